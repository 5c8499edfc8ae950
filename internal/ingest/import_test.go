package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/creditgraph/creditgraph/internal/store"
)

// expectations reads a fixture's "_expect" markers: line number → code.
// Lines without one (and not blank) must be accepted. The marker is found
// in the raw text, so it works on lines that are not valid JSON too.
func expectations(t *testing.T, path string) (codes map[int]string, good int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	re := regexp.MustCompile(`"_expect":"([A-Z_]+)"`)
	codes = map[int]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		switch m := re.FindSubmatch(sc.Bytes()); {
		case m != nil:
			codes[n] = string(m[1])
		case strings.TrimSpace(sc.Text()) != "":
			good++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return codes, good
}

// checkAgainstFixture checks a summary against the fixture's markers.
func checkAgainstFixture(t *testing.T, sum Summary, path string) {
	t.Helper()
	want, good := expectations(t, path)
	got := map[int]string{}
	for _, e := range sum.Errors {
		if e.Message == "" {
			t.Errorf("line %d: %s without a message", e.Line, e.Code)
		}
		got[e.Line] = e.Code
	}
	for n, code := range want {
		if got[n] != code {
			t.Errorf("line %d: got %q, want %s", n, got[n], code)
		}
	}
	for n, code := range got {
		if _, ok := want[n]; !ok {
			t.Errorf("line %d: rejected with %s, want accepted (%s)", n, code, messageOf(sum, n))
		}
	}
	if sum.Accepted != good || sum.Rejected != len(want) {
		t.Errorf("accepted, rejected = %d, %d; want %d, %d", sum.Accepted, sum.Rejected, good, len(want))
	}
	if !slices.IsSortedFunc(sum.Errors, func(a, b LineError) int { return a.Line - b.Line }) {
		t.Errorf("errors not sorted by line: %+v", sum.Errors)
	}
}

func messageOf(sum Summary, line int) string {
	for _, e := range sum.Errors {
		if e.Line == line {
			return e.Message
		}
	}
	return ""
}

func importFile(t *testing.T, im *Importer, path string) Summary {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sum, err := im.Import(t.Context(), f)
	if err != nil {
		t.Fatalf("Import(%s): %v", path, err)
	}
	return sum
}

// The rule codes are the store's: the fake is told which records break one.
func fakeWithRules() *fakeStore {
	s := newFakeStore()
	s.rules = map[string]string{
		"serious_listing/榕市监严〔2024〕1号": "REMOVAL_BEFORE_EXPIRY",
		"penalty/厦思市监处罚〔2024〕7号":       "REPAIR_TOO_EARLY",
	}
	return s
}

func TestImportKeepsGoodLines(t *testing.T) {
	for _, size := range []int{1, 3, 5000} {
		t.Run(fmt.Sprintf("batch size %d", size), func(t *testing.T) {
			im := &Importer{Store: fakeWithRules(), BatchSize: size, MaxLineBytes: 2048}
			checkAgainstFixture(t, importFile(t, im, "testdata/mixed.ndjson"), "testdata/mixed.ndjson")
		})
	}
}

// Every record of out_of_order.ndjson comes before what it names; all are
// accepted and the store ends up with the same records as from in_order.
func TestImportOrderIndependent(t *testing.T) {
	for _, size := range []int{1, 2, 5000} {
		t.Run(fmt.Sprintf("batch size %d", size), func(t *testing.T) {
			var keys [2][]string
			for i, path := range []string{"testdata/in_order.ndjson", "testdata/out_of_order.ndjson"} {
				s := newFakeStore()
				sum := importFile(t, &Importer{Store: s, BatchSize: size}, path)
				if sum.Accepted != 15 || sum.Rejected != 0 {
					t.Errorf("%s: summary %+v, want 15 accepted", path, sum)
				}
				for k := range s.records {
					keys[i] = append(keys[i], k)
				}
				slices.Sort(keys[i])
			}
			if !slices.Equal(keys[0], keys[1]) {
				t.Errorf("records differ:\nin order     %q\nout of order %q", keys[0], keys[1])
			}
		})
	}
}

// A deferred record replaced by a later line of the same key is not
// applied after it: the later line wins, as it would in order.
func TestImportLaterLineWinsOverDeferred(t *testing.T) {
	in := strings.Join([]string{
		line(KindPenalty, "facts", "v1"), // enterprise not yet known: deferred
		line(KindLicense, "uscc", usccB), // deferred, and never known
		line(KindEnterprise),
		line(KindPenalty, "facts", "v2"),
	}, "\n")
	s := newFakeStore()
	sum, err := (&Importer{Store: s, BatchSize: 1}).Import(t.Context(), strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Accepted != 3 || sum.Rejected != 1 || len(sum.Errors) != 1 || sum.Errors[0].Line != 2 ||
		sum.Errors[0].Code != store.CodeUnknownReference || sum.Errors[0].Message != "enterprise "+usccB+" is not known" {
		t.Errorf("summary = %+v", sum)
	}
	if n := s.records["penalty/榕市监处罚〔2024〕12号"]; n != 1 {
		t.Errorf("penalty written %d times, want once (v2 only)", n)
	}
}

// Two lines of one key never share a batch, so the later wins whatever a
// backend does within a batch.
func TestImportSplitsBatchOnRepeatedKey(t *testing.T) {
	in := strings.Join([]string{line(KindEnterprise), line(KindLicense), line(KindEnterprise, "name", "新名"), line(KindLicense, "name", "x")}, "\n")
	s := newFakeStore()
	if _, err := (&Importer{Store: s}).Import(t.Context(), strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.batches, []int{2, 2}) {
		t.Errorf("batches = %v, want [2 2]", s.batches)
	}
}

func TestImportErrorsBoundedCountsExact(t *testing.T) {
	var b strings.Builder
	b.WriteString(line(KindLicense, "uscc", usccB) + "\n") // line 1: unknown, rejected only at the end
	for range 40 {
		b.WriteString("{oops\n")
	}
	b.WriteString(line(KindEnterprise) + "\n")
	for _, tt := range []struct {
		name      string
		max       int
		wantLines []int
		truncated bool
	}{
		{"default lists all", 0, nil, false},
		{"cut to 3", 3, []int{1, 2, 3}, true},
		{"no limit", -1, nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sum, err := (&Importer{Store: newFakeStore(), BatchSize: 7, MaxErrors: tt.max}).Import(t.Context(), strings.NewReader(b.String()))
			if err != nil {
				t.Fatal(err)
			}
			if sum.Accepted != 1 || sum.Rejected != 41 || sum.ErrorsTruncated != tt.truncated {
				t.Errorf("summary counts = %d, %d, truncated %v", sum.Accepted, sum.Rejected, sum.ErrorsTruncated)
			}
			var lines []int
			for _, e := range sum.Errors {
				lines = append(lines, e.Line)
			}
			want := tt.wantLines
			if want == nil {
				for n := 1; n <= 41; n++ {
					want = append(want, n)
				}
			}
			if !slices.Equal(lines, want) {
				t.Errorf("error lines = %v, want %v", lines, want)
			}
		})
	}
}

func TestImportFatal(t *testing.T) {
	in := strings.Repeat(line(KindEnterprise)+"\n"+line(KindLicense)+"\n", 3)
	t.Run("store unavailable", func(t *testing.T) {
		s := newFakeStore()
		s.failAt = 2
		sum, err := (&Importer{Store: s, BatchSize: 1}).Import(t.Context(), strings.NewReader(in))
		if !errors.Is(err, store.ErrUnavailable) {
			t.Fatalf("err = %v, want ErrUnavailable", err)
		}
		if sum.Accepted != 1 {
			t.Errorf("accepted = %d, want the 1 record applied before", sum.Accepted)
		}
		if !strings.Contains(sum.Fatal, "store became unavailable") || strings.Contains(sum.Fatal, "fake") || sum.ExitCode() != 2 {
			t.Errorf("fatal = %q (exit %d): want why, in words safe to show, and exit 2", sum.Fatal, sum.ExitCode())
		}
		if b, _ := json.Marshal(sum); !strings.Contains(string(b), `"fatal":"the store became unavailable`) {
			t.Errorf("summary JSON %s does not say why the import stopped", b)
		}
	})
	t.Run("store unavailable on retry", func(t *testing.T) {
		s := newFakeStore()
		s.failAt = 2
		_, err := (&Importer{Store: s}).Import(t.Context(), strings.NewReader(line(KindLicense)+"\n"+line(KindLicense, "license_number", "2")))
		if !errors.Is(err, store.ErrUnavailable) {
			t.Fatalf("err = %v, want ErrUnavailable", err)
		}
	})
	t.Run("read error", func(t *testing.T) {
		boom := errors.New("connection reset")
		r := io.MultiReader(strings.NewReader(in), iotest.ErrReader(boom))
		_, err := (&Importer{Store: newFakeStore(), BatchSize: 1}).Import(t.Context(), r)
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want the read error", err)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := (&Importer{Store: newFakeStore(), BatchSize: 1}).Import(ctx, strings.NewReader(in))
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("no store", func(t *testing.T) {
		if _, err := (&Importer{}).Import(t.Context(), strings.NewReader(in)); err == nil {
			t.Fatal("Import without a store succeeded")
		}
	})
	t.Run("missing file", func(t *testing.T) {
		_, err := (&Importer{Store: newFakeStore()}).ImportFiles(t.Context(), nil, filepath.Join(t.TempDir(), "nope.ndjson"))
		if !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("err = %v, want ErrNotExist", err)
		}
	})
}

// A record the store refuses (ErrInvalidRecord) although its line passed
// every check costs that record alone: the batch is split until it is
// found, and every other record of the batch is kept.
func TestImportSplitsBatchTheStoreRefused(t *testing.T) {
	var in strings.Builder
	in.WriteString(line(KindEnterprise) + "\n")
	for i := range 20 {
		in.WriteString(line(KindLicense, "license_number", fmt.Sprintf("L%02d", i)) + "\n")
	}
	for _, batch := range []int{5000, 7, 1} {
		t.Run(fmt.Sprintf("batch size %d", batch), func(t *testing.T) {
			s := newFakeStore()
			s.poison = map[string]bool{"L03": true, "L17": true}
			sum, err := (&Importer{Store: s, BatchSize: batch}).Import(t.Context(), strings.NewReader(in.String()))
			if err != nil {
				t.Fatal(err)
			}
			if sum.Accepted != 19 || sum.Rejected != 2 {
				t.Fatalf("summary %+v, want 19 accepted and 2 rejected", sum)
			}
			for i, want := range []int{5, 19} { // line numbers of L03 and L17
				e := sum.Errors[i]
				if e.Line != want || e.Code != CodeStoreRejected || !strings.Contains(e.Message, "other records were kept") {
					t.Errorf("error %d = %+v, want line %d %s", i, e, want, CodeStoreRejected)
				}
			}
			for i := range 20 {
				key := fmt.Sprintf("license/L%02d", i)
				if want := i != 3 && i != 17; (s.records[key] == 1) != want {
					t.Errorf("%s written %d times, want written: %v", key, s.records[key], want)
				}
			}
		})
	}
}

// Several files are one import: a record may name one from another file,
// and errors name their file, in file order.
func TestImportFiles(t *testing.T) {
	dir := t.TempDir()
	first := filepath.Join(dir, "repairs.ndjson")
	write := func(path string, lines ...string) {
		if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(first, line(KindCreditRepair), "{bad", line(KindAbnormalRemoval))
	stdin := strings.NewReader(strings.Join([]string{"[]", line(KindPenalty), line(KindEnterprise)}, "\n"))
	s := newFakeStore()
	sum, err := (&Importer{Store: s}).ImportFiles(t.Context(), stdin, first, "-")
	if err != nil {
		t.Fatal(err)
	}
	want := []LineError{
		{File: first, Line: 2, Code: CodeInvalidJSON},
		{File: first, Line: 3, Code: store.CodeUnknownReference},
		{File: "-", Line: 1, Code: CodeInvalidJSON},
	}
	if sum.Accepted != 3 || sum.Rejected != 3 || len(sum.Errors) != len(want) {
		t.Fatalf("summary = %+v", sum)
	}
	for i, e := range sum.Errors {
		e.Message = ""
		if e != want[i] {
			t.Errorf("error %d = %+v, want %+v", i, e, want[i])
		}
	}
	if s.records["repair/penalty/榕市监处罚〔2024〕12号"] != 1 {
		t.Errorf("the repair in the first file was not applied: %v", s.records)
	}
}

func TestSummaryJSON(t *testing.T) {
	tests := []struct {
		name string
		sum  Summary
		want string
	}{
		{"nothing", Summary{}, `{"accepted":0,"rejected":0,"errors":[]}`},
		{"some", Summary{Accepted: 2, Rejected: 1, Errors: []LineError{{Line: 3, Code: CodeInvalidDate, Message: "m"}}},
			`{"accepted":2,"rejected":1,"errors":[{"line":3,"code":"INVALID_DATE","message":"m"}]}`},
		{"truncated", Summary{Rejected: 2, Errors: []LineError{{Line: 3, Code: CodeInvalidDate, Message: "m"}}, ErrorsTruncated: true},
			`{"accepted":0,"rejected":2,"errors":[{"line":3,"code":"INVALID_DATE","message":"m"}],"errors_truncated":true}`},
		{"several files", Summary{Rejected: 1, Errors: []LineError{{File: "a.ndjson", Line: 3, Code: CodeInvalidDate, Message: "m"}}},
			`{"accepted":0,"rejected":1,"errors":[{"file":"a.ndjson","line":3,"code":"INVALID_DATE","message":"m"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, v := range []any{tt.sum, &tt.sum} {
				b, err := json.Marshal(v)
				if err != nil {
					t.Fatal(err)
				}
				if string(b) != tt.want {
					t.Errorf("json = %s\nwant   %s", b, tt.want)
				}
			}
		})
	}
}

func TestSummaryAddAndExitCode(t *testing.T) {
	var total Summary
	if total.ExitCode() != 0 {
		t.Errorf("empty summary exit code = %d, want 0", total.ExitCode())
	}
	total.Add(Summary{Accepted: 5})
	if total.ExitCode() != 0 {
		t.Errorf("all accepted: exit code = %d, want 0", total.ExitCode())
	}
	total.Add(Summary{Accepted: 1, Rejected: 2, Errors: []LineError{{Line: 9}, {Line: 12}}, ErrorsTruncated: true})
	total.Add(Summary{Rejected: 1, Errors: []LineError{{Line: 1}}})
	if total.Accepted != 6 || total.Rejected != 3 || !total.ErrorsTruncated || total.ExitCode() != 1 {
		t.Errorf("total = %+v, exit %d", total, total.ExitCode())
	}
	var lines []string
	for _, e := range total.Errors {
		lines = append(lines, strconv.Itoa(e.Line))
	}
	if strings.Join(lines, ",") != "9,12,1" {
		t.Errorf("errors in order %s, want 9,12,1 (each summary's in turn)", strings.Join(lines, ","))
	}
}

// A gzipped source is read as its contents, found by its magic bytes: the
// demo dataset and gzipped stdin import like plain NDJSON; a broken gzip
// stream is a fatal read error, not a line of invalid JSON.
func TestImportReadsGzip(t *testing.T) {
	plain := line(KindEnterprise) + "\n" + line(KindLicense) + "\n"
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(plain))
	zw.Close()
	for name, in := range map[string][]byte{"plain": []byte(plain), "gzipped": zipped.Bytes(), "empty": nil} {
		t.Run(name, func(t *testing.T) {
			sum, err := (&Importer{Store: newFakeStore()}).Import(t.Context(), bytes.NewReader(in))
			want := 2
			if name == "empty" {
				want = 0
			}
			if err != nil || sum.Accepted != want || sum.Rejected != 0 {
				t.Fatalf("%v %+v", err, sum)
			}
		})
	}
	t.Run("broken gzip", func(t *testing.T) {
		broken := append([]byte{}, zipped.Bytes()[:12]...)
		sum, err := (&Importer{Store: newFakeStore()}).Import(t.Context(), bytes.NewReader(broken))
		if !errors.Is(err, ErrRead) || sum.Fatal == "" {
			t.Fatalf("err %v, summary %+v: want a fatal read error", err, sum)
		}
	})
}
