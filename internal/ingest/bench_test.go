package ingest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"testing"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store/memory"
)

// BenchmarkDecode decodes a mix of typical lines (an enterprise, a licence,
// a penalty, an inspection, a listing) and reports lines/s.
func BenchmarkDecode(b *testing.B) {
	lines := benchLines(b)
	var p Parser
	var size int64
	for _, l := range lines {
		size += int64(len(l)) + 1
	}
	b.SetBytes(size / int64(len(lines)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if _, lerr := p.Decode(lines[n%len(lines)]); lerr != nil {
			b.Fatal(lerr)
		}
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "lines/s")
}

func benchLines(tb testing.TB) [][]byte {
	tb.Helper()
	f, err := os.Open("testdata/bench.ndjson")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var lines [][]byte
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, append([]byte(nil), sc.Bytes()...))
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return lines
}

// BenchmarkImport streams a file of enterprises, each with a licence, a
// penalty and an inspection, through the Importer into the memory store,
// and reports records/s end to end.
func BenchmarkImport(b *testing.B) {
	const enterprises = 12_500 // 50,000 records
	var in bytes.Buffer
	for n := range enterprises {
		first := fmt.Sprintf("91350102%09d", n)
		u := first + string(credit.USCCCheckChar(first))
		in.WriteString(line(KindEnterprise, "uscc", u) + "\n")
		in.WriteString(line(KindLicense, "uscc", u, "license_number", "L"+u) + "\n")
		in.WriteString(line(KindPenalty, "uscc", u, "decision_number", "P"+u, "facts", "当事人生产的糕点菌落总数不符合食品安全国家标准。") + "\n")
		in.WriteString(line(KindInspection, "uscc", u, "inspection_id", "I"+u) + "\n")
	}
	b.SetBytes(int64(in.Len()))
	b.ReportAllocs()
	for b.Loop() {
		s := memory.New(credit.NewPolicy(credit.DefaultSettings()))
		sum, err := (&Importer{Store: s}).Import(b.Context(), bytes.NewReader(in.Bytes()))
		if err != nil || sum.Accepted != 4*enterprises {
			b.Fatalf("Import: %+v, %v", sum.Rejected, err)
		}
	}
	b.ReportMetric(float64(4*enterprises*b.N)/b.Elapsed().Seconds(), "records/s")
}
