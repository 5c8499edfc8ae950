package credit

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// demoFreeText returns the free-text fields of the bundled demo dataset, the
// fields PUBLIC and PARTNER read through Redact, record by record, and the
// records of the enterprise with the most of them (a profile's worth).
func demoFreeText(tb testing.TB) (all [][]string, profile [][]string) {
	tb.Helper()
	f, err := os.Open(filepath.Join("..", "demo", "demo.ndjson.gz"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	byUSCC := map[string][][]string{}
	sc := bufio.NewScanner(z)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			tb.Fatal(err)
		}
		var texts []string
		for _, key := range []string{"address", "business_scope", "content", "facts", "basis", "items", "reason", "ground", "title", "summary"} {
			if s, ok := rec[key].(string); ok && s != "" {
				texts = append(texts, s)
			}
		}
		if len(texts) == 0 {
			continue
		}
		all = append(all, texts)
		if u, ok := rec["uscc"].(string); ok {
			byUSCC[u] = append(byUSCC[u], texts)
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	for _, recs := range byUSCC {
		if len(recs) > len(profile) {
			profile = recs
		}
	}
	return all, profile
}

// BenchmarkRedactDemo redacts the demo dataset's free text: every record
// (ns/record is the figure to compare), and one enterprise's records, what
// a profile query redacts at read time.
func BenchmarkRedactDemo(b *testing.B) {
	all, profile := demoFreeText(b)
	for _, bc := range []struct {
		name    string
		records [][]string
	}{{"all", all}, {"profile", profile}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, texts := range bc.records {
					for _, s := range texts {
						_ = Redact(s)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(bc.records)), "ns/record")
		})
	}
}
