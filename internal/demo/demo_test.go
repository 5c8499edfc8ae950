package demo

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/gen"
	"github.com/creditgraph/creditgraph/internal/ingest"
	"github.com/creditgraph/creditgraph/internal/store/memory"
	"github.com/shopspring/decimal"
)

func readAll(t *testing.T) []byte {
	t.Helper()
	rc := Open()
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("reading the embedded dataset: %v", err)
	}
	return b
}

type line map[string]any

func (l line) s(k string) string { v, _ := l[k].(string); return v }

func (l line) date(t *testing.T, k string) time.Time {
	d, err := credit.ParseDate(l.s(k))
	if err != nil {
		t.Fatalf("%s: %v", k, err)
	}
	return d
}

func lines(t *testing.T) []line {
	var out []line
	sc := bufio.NewScanner(bytes.NewReader(readAll(t)))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %d: %v", len(out)+1, err)
		}
		out = append(out, l)
	}
	return out
}

func TestOpenDecodes(t *testing.T) {
	n := 0
	for _, l := range lines(t) {
		if l.s("kind") == "enterprise" {
			n++
		}
	}
	if n != Enterprises {
		t.Fatalf("%d enterprise lines, want %d", n, Enterprises)
	}
}

// TestUpToDate fails when the generator changed and the file was not
// regenerated: run go generate ./internal/demo.
func TestUpToDate(t *testing.T) {
	var want bytes.Buffer
	if err := gen.Write(&want, gen.Options{Enterprises: Enterprises, Seed: Seed}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(readAll(t), want.Bytes()) {
		t.Fatal("demo.ndjson.gz is stale: run go generate ./internal/demo and check the showcases")
	}
}

// TestImportsIntoEmbeddedStore loads the demo as the server does without a
// database: every record must be accepted.
func TestImportsIntoEmbeddedStore(t *testing.T) {
	rc := Open()
	defer rc.Close()
	im := &ingest.Importer{Store: memory.New(credit.NewPolicy(credit.DefaultSettings()))}
	sum, err := im.Import(context.Background(), rc)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rejected != 0 || sum.Accepted != len(lines(t)) {
		t.Fatalf("accepted %d, rejected %d: %+v", sum.Accepted, sum.Rejected, sum.Errors)
	}
}

// TestGeneratedImports checks generated datasets other than the demo
// against the real importer and embedded store: no line may be rejected.
func TestGeneratedImports(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	for _, seed := range []int64{1, 2} {
		var buf bytes.Buffer
		if err := gen.Write(&buf, gen.Options{Enterprises: 2000, Seed: seed}); err != nil {
			t.Fatal(err)
		}
		n := bytes.Count(buf.Bytes(), []byte{'\n'})
		im := &ingest.Importer{Store: memory.New(credit.NewPolicy(credit.DefaultSettings()))}
		sum, err := im.Import(context.Background(), &buf)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Rejected != 0 || sum.Accepted != n {
			t.Errorf("seed %d: accepted %d of %d, rejected %d: %+v", seed, sum.Accepted, n, sum.Rejected, sum.Errors)
		}
	}
}

// TestShowcases checks that each showcase shows what its description says,
// as of the dataset's anchor date.
func TestShowcases(t *testing.T) {
	p := credit.NewPolicy(credit.DefaultSettings())
	asOf := gen.DefaultAnchor()
	recs := map[string][]line{} // by USCC and kind
	repaired := map[string]time.Time{}
	removed := map[string]line{}
	for _, l := range lines(t) {
		switch l.s("kind") {
		case "credit_repair":
			repaired[l.s("target_decision_number")] = l.date(t, "repaired_on")
		case "abnormal_removal", "serious_removal":
			removed[l.s("listing_decision_number")] = l
		}
		if u := l.s("uscc"); u != "" {
			recs[u+" "+l.s("kind")] = append(recs[u+" "+l.s("kind")], l)
		}
	}
	penaltyStates := func(uscc string) map[credit.DisclosureState]int {
		out := map[credit.DisclosureState]int{}
		for _, l := range recs[uscc+" penalty"] {
			pen := credit.Penalty{USCC: uscc, DecisionNumber: l.s("decision_number"), DecidedOn: l.date(t, "decided_on"),
				PublishedOn: l.date(t, "published_on"), Procedure: credit.Procedure(l.s("procedure")), Revoked: l["revoked"] == true}
			for _, v := range l["penalty_types"].([]any) {
				pen.PenaltyTypes = append(pen.PenaltyTypes, credit.PenaltyType(v.(string)))
			}
			if f := l.s("fine_amount"); f != "" {
				d := decimal.RequireFromString(f)
				pen.FineAmount = &d
			}
			if r, ok := repaired[pen.DecisionNumber]; ok {
				pen.RepairedOn = &r
			}
			out[p.Penalty(pen, asOf).State]++
		}
		return out
	}
	if len(ShowcaseUSCCs) != 3 {
		t.Fatalf("%d showcases, want 3", len(ShowcaseUSCCs))
	}
	for _, s := range ShowcaseUSCCs {
		if _, err := credit.ParseUSCC(s.USCC); err != nil || len(recs[s.USCC+" enterprise"]) != 1 || s.Description == "" {
			t.Fatalf("showcase %s: not one valid enterprise of the demo (%v)", s.USCC, err)
		}
	}

	t.Run("food producer", func(t *testing.T) {
		u := ShowcaseFoodProducer
		st := penaltyStates(u)
		if len(recs[u+" license"]) < 1 || len(recs[u+" inspection"]) < 2 || st[credit.Disclosed] < 1 {
			t.Errorf("licences %d, inspections %d, penalty states %v", len(recs[u+" license"]), len(recs[u+" inspection"]), st)
		}
		areas, _ := recs[u+" enterprise"][0]["key_areas"].([]any)
		if len(areas) == 0 || areas[0] != string(credit.AreaFoodProduction) {
			t.Errorf("key areas %v", areas)
		}
	})
	t.Run("serious list", func(t *testing.T) {
		u := ShowcaseSeriousList
		ls := recs[u+" serious_listing"]
		if len(ls) != 1 || len(recs[u+" typical_case"]) == 0 {
			t.Fatalf("serious listings %d, typical cases %d", len(ls), len(recs[u+" typical_case"]))
		}
		l := credit.Listing{List: credit.ListSerious, USCC: u, DecisionNumber: ls[0].s("decision_number"), ListedOn: ls[0].date(t, "listed_on")}
		if _, gone := removed[l.DecisionNumber]; gone || p.SeriousListing(l, asOf).State != credit.Disclosed || ls[0].s("penalty_decision_number") == "" {
			t.Errorf("listing %s is not publicly listed for a penalty on %s", l.DecisionNumber, asOf.Format(time.DateOnly))
		}
		if st := penaltyStates(u); st[credit.Disclosed] < 1 || st[credit.Withdrawn] < 1 || st[credit.NotDisclosed] < 1 {
			t.Errorf("penalty states %v", st)
		}
	})
	t.Run("repaired", func(t *testing.T) {
		u := ShowcaseRepaired
		st := penaltyStates(u)
		var gone bool
		for _, l := range recs[u+" abnormal_listing"] {
			_, gone = removed[l.s("decision_number")]
		}
		if !gone || st[credit.Repaired] < 1 || st[credit.Expired] < 1 {
			t.Errorf("abnormal listing removed: %v, penalty states %v", gone, st)
		}
	})
}
