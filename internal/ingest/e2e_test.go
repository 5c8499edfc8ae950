package ingest

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/creditgraph/creditgraph/internal/store/memory"
)

// End-to-end: files through the Importer into the embedded store, read
// back through the store's Reader.

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func newMemoryStore(t *testing.T) *memory.Store {
	s := memory.New(credit.NewPolicy(credit.DefaultSettings()))
	t.Cleanup(s.Close)
	return s
}

// snapshot renders everything a regulator sees in s, for comparison.
func snapshot(t *testing.T, s store.Reader) string {
	t.Helper()
	ctx := t.Context()
	v := credit.Visibility{Tier: credit.TierRegulator, AsOf: day("2026-06-01")}
	var ents []credit.Enterprise
	for p := (store.Page{First: 100}); ; {
		c, err := s.Enterprises(ctx, v, store.EnterpriseFilter{}, p)
		if err != nil {
			t.Fatal(err)
		}
		ents = append(ents, c.Items...)
		if !c.HasNext {
			break
		}
		p.After = c.Cursors[len(c.Cursors)-1]
	}
	usccs := make([]string, len(ents))
	for i := range ents {
		ents[i].UpdatedAt = time.Time{} // when it was written, not what
		usccs[i] = ents[i].USCC
	}
	snap := map[string]any{"enterprises": ents}
	add := func(name string, v any, err error) {
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		snap[name] = v
	}
	lic, err := s.LicensesByUSCC(ctx, v, usccs)
	add("licenses", lic, err)
	pen, err := s.PenaltiesByUSCC(ctx, v, usccs)
	add("penalties", pen, err)
	insp, err := s.InspectionsByUSCC(ctx, v, usccs)
	add("inspections", insp, err)
	ab, err := s.ListingsByUSCC(ctx, v, credit.ListAbnormal, usccs)
	add("abnormal", ab, err)
	se, err := s.ListingsByUSCC(ctx, v, credit.ListSerious, usccs)
	add("serious", se, err)
	com, err := s.CommitmentsByUSCC(ctx, v, usccs)
	add("commitments", com, err)
	cases, err := s.TypicalCases(ctx, v, store.CaseFilter{}, store.Page{First: 100})
	add("cases", cases.Items, err)
	b, err := json.MarshalIndent(snap, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The mixed fixture has a bad line for every code (the store's included)
// between good ones: the good ones are kept, each bad one is reported with
// its line, and the summary prints exactly as the golden file.
func TestEndToEndMixed(t *testing.T) {
	s := newMemoryStore(t)
	sum := importFile(t, &Importer{Store: s, MaxLineBytes: 2048}, "testdata/mixed.ndjson")
	checkAgainstFixture(t, sum, "testdata/mixed.ndjson")

	var got bytes.Buffer
	enc := json.NewEncoder(&got)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(sum); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/mixed.summary.golden.json", got.Bytes())

	compact, err := json.Marshal(sum)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(compact), `{"accepted":8,"rejected":15,"errors":[{"line":4,"code":"INVALID_JSON","message":`) {
		t.Errorf("summary shape: %s", compact)
	}

	n, err := s.CountEnterprises(t.Context(), credit.Visibility{Tier: credit.TierRegulator, AsOf: day("2026-06-01")}, store.EnterpriseFilter{})
	if err != nil || n != 2 {
		t.Errorf("CountEnterprises = %d, %v; want the 2 good ones", n, err)
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update if the change is intended):\ngot:\n%s", path, got)
	}
}

// Credit repairs, removals and licences before their enterprise and
// listings: the store ends up the same as from the file in order, whatever
// the batch size.
func TestEndToEndOrderIndependent(t *testing.T) {
	ref := newMemoryStore(t)
	if sum := importFile(t, &Importer{Store: ref}, "testdata/in_order.ndjson"); sum.Accepted != 15 || sum.Rejected != 0 {
		t.Fatalf("in order: %+v", sum)
	}
	want := snapshot(t, ref)
	if !strings.Contains(want, `"RepairedOn": "2024-06-01T00:00:00Z"`) {
		t.Fatalf("the reference store lacks the penalty repair:\n%s", want)
	}
	for _, size := range []int{1, 2, 4, 5000} {
		for _, path := range []string{"testdata/in_order.ndjson", "testdata/out_of_order.ndjson"} {
			t.Run(fmt.Sprintf("%s batch size %d", path, size), func(t *testing.T) {
				s := newMemoryStore(t)
				sum := importFile(t, &Importer{Store: s, BatchSize: size}, path)
				if sum.Accepted != 15 || sum.Rejected != 0 {
					t.Errorf("summary = %+v, want all 15 accepted", sum)
				}
				if got := snapshot(t, s); got != want {
					t.Errorf("store differs from the in-order import:\n%s\nwant\n%s", got, want)
				}
			})
		}
	}
}

// Importing the same file again accepts every record again and leaves the
// store as it was.
func TestEndToEndIdempotent(t *testing.T) {
	for _, path := range []string{"testdata/in_order.ndjson", "testdata/out_of_order.ndjson"} {
		t.Run(path, func(t *testing.T) {
			s := newMemoryStore(t)
			im := &Importer{Store: s, BatchSize: 4}
			first := importFile(t, im, path)
			before := snapshot(t, s)
			second := importFile(t, im, path)
			if first.Accepted != 15 || second.Accepted != 15 || first.Rejected+second.Rejected != 0 {
				t.Errorf("summaries = %+v, %+v; want 15 accepted both times", first, second)
			}
			if after := snapshot(t, s); after != before {
				t.Errorf("store changed on re-import:\n%s\nwas\n%s", after, before)
			}
		})
	}
}
