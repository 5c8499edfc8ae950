package httpapi

import (
	"fmt"
	"strings"
	"testing"
)

// The leak suite's cases for the paths that search, count and rank
// (issue 9): a hidden value must not be findable, countable or rankable by
// a tier that may not read it, and must be by REGULATOR, so the cases cannot
// pass by finding nothing. REGULATOR asks first, so that a response cache
// keyed without the tier would hand its answers down.

type leakSearchCase struct {
	name, query string
	// hidden: found by REGULATOR only; public: found by every tier.
	hidden, public bool
	// canaries that must not appear in a public tier's answer.
	secrets []string
}

func leakSearchCases() []leakSearchCase {
	cases := func(text string) string {
		return fmt.Sprintf(`{ typicalCases(filter: {text: %q}) { totalCount nodes { caseId title summary } } }`, text)
	}
	return []leakSearchCase{
		{name: "case title phone", query: cases("13600003333"), hidden: true, secrets: []string{"13600003333"}},
		{name: "case summary phone", query: cases("13922223333"), hidden: true, secrets: []string{"13922223333"}},
		{name: "unpublished case", query: cases("CANARY-UNPUBLISHED"), hidden: true, secrets: []string{"CANARY-UNPUBLISHED"}},
		{name: "public case text", query: cases("PUBTOK-CASE-TITLE"), public: true, secrets: []string{"13600003333", "13922223333"}},
	}
}

// totalCount of the answer's only root field.
func leakTotal(t *testing.T, r response) int {
	t.Helper()
	var d map[string]struct{ TotalCount int }
	r.data(t, &d)
	for _, v := range d {
		return v.TotalCount
	}
	t.Fatalf("no root field: %s", r.raw)
	return 0
}

func TestLeakSearchPaths(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		loadCanaries(t, h)
		for _, tc := range leakSearchCases() {
			t.Run(tc.name, func(t *testing.T) {
				reg := h.query(t, tc.query, nil, bearer(regulatorKey)...)
				if n := leakTotal(t, reg); n == 0 {
					t.Fatalf("REGULATOR finds nothing: the case proves nothing: %s", reg.raw)
				}
				for _, who := range []struct {
					name string
					hdr  []string
				}{{"PUBLIC anonymous", nil}, {"PUBLIC key", bearer(publicKey)}, {"PARTNER", bearer(partnerKey)}} {
					r := h.query(t, tc.query, nil, who.hdr...)
					n := leakTotal(t, r)
					if tc.hidden && n != 0 {
						t.Errorf("%s finds %d by hidden text: %s", who.name, n, r.raw)
					}
					if tc.public && n == 0 {
						t.Errorf("%s finds nothing by public text: %s", who.name, r.raw)
					}
					for _, s := range tc.secrets {
						if strings.Contains(string(r.raw), s) {
							t.Errorf("%s: answer holds %q: %s", who.name, s, r.raw)
						}
					}
				}
			})
		}
	})
}

// What every enterprise's penalties look like to a caller through the
// per-enterprise loader: the reference counts and ranks must agree with.
type loaderView struct {
	count map[string]int // by USCC, enterprises with at least one penalty
	total int
}

func loaderPenalties(t *testing.T, h *harness, hdr []string) loaderView {
	t.Helper()
	var d struct {
		Enterprises struct {
			Nodes []struct {
				USCC      string
				Penalties struct{ TotalCount int }
			}
		}
	}
	h.query(t, `{ enterprises(first: 100) { nodes { uscc penalties(first: 100) { totalCount } } } }`, nil, hdr...).data(t, &d)
	lv := loaderView{count: map[string]int{}}
	for _, n := range d.Enterprises.Nodes {
		if n.Penalties.TotalCount > 0 {
			lv.count[n.USCC] = n.Penalties.TotalCount
			lv.total += n.Penalties.TotalCount
		}
	}
	return lv
}

const leakRepeatQuery = `{ repeatOffenders(filter: {minPenalties: 1, decidedFrom: "1990-01-01", decidedTo: "2099-12-31"}, first: 100) {
  totalCount edges { penaltyCount totalFines latestDecidedOn node { uscc } } } }`

const leakStatisticsQuery = `{ statistics { asOf penalties { count totalFines byMonth { month count totalFines }
  byViolationType { key count totalFines } byRegion { key count } }
  seriousListings { count byMonth { month count } byKeyArea { key count } }
  abnormalListings { count byMonth { month count } byKeyArea { key count } byReasonCode { key count } }
  inspections { count nonCompliant byResult { key count } } } }`

// Repeat offenders and statistics count exactly the penalties each tier
// sees through the loaders: hidden ones (expired, withdrawn, simple
// procedure, warning only, repaired, unpublished) count for REGULATOR only,
// and a public tier's breakdown by violation type holds no hidden type nor
// the personal data in a disclosed one.
func TestLeakCountsAndRanks(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		loadCanaries(t, h)
		callers := []struct {
			name   string
			hdr    []string
			public bool
		}{{"REGULATOR", bearer(regulatorKey), false}, {"PUBLIC anonymous", nil, true}, {"PUBLIC key", bearer(publicKey), true}, {"PARTNER", bearer(partnerKey), true}}
		var regTotal int
		for _, c := range callers {
			t.Run(c.name, func(t *testing.T) {
				lv := loaderPenalties(t, h, c.hdr)
				if c.public && lv.total >= regTotal {
					t.Fatalf("loaders show %d penalties, REGULATOR %d: the fixture hides nothing", lv.total, regTotal)
				}
				if !c.public {
					regTotal = lv.total
				}
				var ro struct {
					RepeatOffenders struct {
						TotalCount int
						Edges      []struct {
							PenaltyCount int
							Node         struct{ USCC string }
						}
					}
				}
				r := h.query(t, leakRepeatQuery, nil, c.hdr...)
				r.data(t, &ro)
				if ro.RepeatOffenders.TotalCount != len(lv.count) || len(ro.RepeatOffenders.Edges) != len(lv.count) {
					t.Errorf("repeat offenders: %d (%d edges), loaders show %d enterprises with penalties: %s",
						ro.RepeatOffenders.TotalCount, len(ro.RepeatOffenders.Edges), len(lv.count), r.raw)
				}
				for _, e := range ro.RepeatOffenders.Edges {
					if e.PenaltyCount != lv.count[e.Node.USCC] {
						t.Errorf("repeat offender %s: %d penalties counted, the loader shows %d", e.Node.USCC, e.PenaltyCount, lv.count[e.Node.USCC])
					}
				}
				var st struct {
					Statistics struct {
						Penalties struct {
							Count           int
							ByViolationType []struct{ Key string }
						}
					}
				}
				r = h.query(t, leakStatisticsQuery, nil, c.hdr...)
				r.data(t, &st)
				if st.Statistics.Penalties.Count != lv.total {
					t.Errorf("statistics count %d penalties, the loaders show %d", st.Statistics.Penalties.Count, lv.total)
				}
				if c.public {
					for _, secret := range []string{"CANARY-", "13700001111"} {
						if strings.Contains(string(r.raw), secret) {
							t.Errorf("statistics hold %q: %s", secret, r.raw)
						}
					}
				} else if !strings.Contains(string(r.raw), "CANARY-EXPIRED-PENALTY-VIOLATION") {
					t.Errorf("REGULATOR's statistics miss the hidden violation types: %s", r.raw)
				}
				// A hidden violation type finds nothing below REGULATOR.
				q := `{ repeatOffenders(filter: {minPenalties: 1, decidedFrom: "1990-01-01", violationType: "CANARY-EXPIRED-PENALTY-VIOLATION"}) { totalCount nodes { uscc } } }`
				n := leakTotal(t, h.query(t, q, nil, c.hdr...))
				if want := map[bool]int{true: 0, false: 1}[c.public]; n != want {
					t.Errorf("repeat offenders by a hidden violation type: %d, want %d", n, want)
				}
			})
		}
	})
}
