package httpapi

import (
	"context"
	"testing"

	"github.com/creditgraph/creditgraph/internal/demo"
	"github.com/creditgraph/creditgraph/internal/ingest"
)

// demoHarness serves the embedded demo dataset, as `go run ./server` does.
func demoHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t, memoryStore())
	rc := demo.OpenAt(h.clock.Now())
	defer rc.Close()
	if sum, err := (&ingest.Importer{Store: h.st}).Import(context.Background(), rc); err != nil || sum.Rejected != 0 {
		t.Fatalf("load demo: %v %+v", err, sum)
	}
	return h
}

// The README's examples for issue 9's fields answer something on the demo.
func TestReadmeSearchExamples(t *testing.T) {
	h := demoHarness(t)
	for _, tc := range []struct{ name, query string }{
		{"trade name", `{ searchEnterprises(query: "海禾", first: 5) { totalCount edges { score matchKind matchedName matchedFormerName node { uscc name status } } } }`},
		{"one character wrong", `{ searchEnterprises(query: "泉州海和食品") { totalCount } }`},
		{"former name", `{ searchEnterprises(query: "福建鑫峰大药房") { totalCount edges { matchedFormerName } } }`},
		{"case text", `{ typicalCases(filter: {text: "特种设备"}) { totalCount nodes { caseId title publishedOn } } }`},
		{"repeat offenders", `{ repeatOffenders(first: 5) { totalCount edges { penaltyCount totalFines latestDecidedOn node { uscc name } } } }`},
		{"statistics", `{ statistics(filter: {regionCode: "3501"}) { penalties { count totalFines byMonth { month count } byViolationType { key count } } seriousListings { count } abnormalListings { count byReasonCode { key count } } inspections { count nonCompliant } } }`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := h.query(t, tc.query, nil)
			var d map[string]map[string]any
			r.data(t, &d)
			for _, v := range d {
				if n, ok := v["totalCount"]; ok && n.(float64) == 0 {
					t.Fatalf("empty answer: %s", r.raw)
				}
				if p, ok := v["penalties"].(map[string]any); ok && p["count"].(float64) == 0 {
					t.Fatalf("empty statistics: %s", r.raw)
				}
			}
		})
	}
}

// A client written against the contract's repeatOffenders(filter:
// ListingFilter, minPenalties: Int): EnterpriseConnection! keeps working.
func TestRepeatOffendersContractShape(t *testing.T) {
	h := demoHarness(t)
	q := `{ repeatOffenders(filter: {regionCode: "35", listedFrom: "2000-01-01", includeRemoved: false}, minPenalties: 1, first: 2) {
	  totalCount edges { cursor node { uscc name } } nodes { uscc } pageInfo { hasNextPage endCursor } } }`
	var d struct {
		RepeatOffenders struct {
			TotalCount int
			Nodes      []struct{ USCC string }
		}
	}
	h.query(t, q, nil).data(t, &d)
	if d.RepeatOffenders.TotalCount == 0 || len(d.RepeatOffenders.Nodes) == 0 {
		t.Fatalf("contract-shaped query found nothing: %+v", d)
	}
	for _, tc := range []struct{ name, query string }{
		{"minPenalties 0", `{ repeatOffenders(minPenalties: 0) { totalCount } }`},
		{"filter minPenalties too large", `{ repeatOffenders(filter: {minPenalties: 5000}) { totalCount } }`},
		{"dates reversed", `{ repeatOffenders(filter: {decidedFrom: "2025-01-01", decidedTo: "2024-01-01"}) { totalCount } }`},
		{"empty violation type", `{ repeatOffenders(filter: {violationType: " "}) { totalCount } }`},
		{"bad region", `{ statistics(filter: {regionCode: "3"}) { penalties { count } } }`},
		{"statistics dates reversed", `{ statistics(filter: {from: "2025-01-01", to: "2024-01-01"}) { penalties { count } } }`},
	} {
		if r := h.query(t, tc.query, nil); r.code() != "BAD_USER_INPUT" {
			t.Errorf("%s: %s", tc.name, r.raw)
		}
	}
}
