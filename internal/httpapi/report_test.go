package httpapi

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/demo"
	"github.com/creditgraph/creditgraph/internal/ingest"
	"github.com/creditgraph/creditgraph/internal/store"
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

// The day a penalty's disclosure period ends, both reports stop counting
// it for the public tiers, over HTTP on both stores, through the default
// repeat-offender window: on 2026-04-09, the last day of a 3-month fine
// published 2026-01-10, the enterprise has two public penalties; on
// 2026-04-10 one. REGULATOR counts both on both days.
func TestReportsChangeTheDayAPenaltyEnds(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		const uscc = "91350128MA31RPT01X"
		pen := func(dn string, fine int64) store.Line[credit.Penalty] {
			f := decimal.NewFromInt(fine)
			return store.Line[credit.Penalty]{V: credit.Penalty{USCC: uscc, DecisionNumber: dn, ViolationType: "虚假宣传",
				PenaltyTypes: []credit.PenaltyType{credit.PenaltyFine}, FineAmount: &f, Authority: "福州市市场监督管理局",
				DecidedOn: day("2026-01-05"), PublishedOn: day("2026-01-10"), Procedure: credit.ProcedureOrdinary}}
		}
		b := &store.Batch{
			Enterprises: []store.Line[credit.Enterprise]{{V: credit.Enterprise{USCC: uscc, Name: "福州屡罚测试有限公司",
				Status: credit.StatusOperating, RegionCode: "350128", FormerNames: []string{}, KeyAreas: []credit.KeyArea{}}}},
			Penalties: []store.Line[credit.Penalty]{pen("榕市监罚〔2026〕901号", 200_000), pen("榕市监罚〔2026〕902号", 5_000)},
		}
		if rej, err := h.st.Apply(context.Background(), b); err != nil || len(rej) > 0 {
			t.Fatalf("apply: %v %+v", err, rej)
		}
		const q = `{ repeatOffenders(filter: {regionCode: "350128"}) { totalCount edges { penaltyCount node { uscc } } }
		  statistics(filter: {regionCode: "350128", from: "2026-01-01", to: "2026-12-31"}) { penalties { count } } }`
		for _, tc := range []struct {
			day            string
			hdr            []string
			offenders, pen int
		}{
			{"2026-04-09", nil, 1, 2}, {"2026-04-10", nil, 0, 1},
			{"2026-04-09", bearer(partnerKey), 1, 2}, {"2026-04-10", bearer(partnerKey), 0, 1},
			{"2026-04-09", bearer(regulatorKey), 1, 2}, {"2026-04-10", bearer(regulatorKey), 1, 2},
		} {
			h.clock.Set(tc.day)
			var d struct {
				RepeatOffenders struct{ TotalCount int }
				Statistics      struct{ Penalties struct{ Count int } }
			}
			r := h.query(t, q, nil, tc.hdr...)
			r.data(t, &d)
			if d.RepeatOffenders.TotalCount != tc.offenders || d.Statistics.Penalties.Count != tc.pen {
				t.Errorf("%s %v: %d repeat offenders, %d penalties; want %d, %d: %s", tc.day, tc.hdr, d.RepeatOffenders.TotalCount,
					d.Statistics.Penalties.Count, tc.offenders, tc.pen, r.raw)
			}
		}
	})
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}
