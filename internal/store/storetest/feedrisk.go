package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/feed"
	"github.com/creditgraph/creditgraph/internal/risk"
	"github.com/creditgraph/creditgraph/internal/store"
)

// testFeedRiskCategory: an enterprise's risk category is a record of the
// feed (RISK_CATEGORY, PARTNER and up). Writes to any of its records move
// it, and so do dates with no write — a penalty's points decaying across
// a threshold, a future-dated serious listing taking effect, a failed
// inspection leaving its window — each on its own day, at the day's start.
// The expected feed is worked out day by day from the risk model itself;
// PUBLIC gets no RISK_CATEGORY change at all.
func testFeedRiskCategory(t *testing.T, s store.Store) {
	a2 := company(2)
	heavy := with(penalty(a1, "P-HEAVY", "2025-01-01"), func(p *credit.Penalty) {
		p.FineAmount, p.Content = yuan(1_000_000), ptr("罚款1000000元，责令停产停业")
		p.PenaltyTypes = []credit.PenaltyType{credit.PenaltyFine, credit.PenaltySuspension}
	})
	failed := with(inspection(a1, "I-FAIL", "2025-06-01"), func(in *credit.Inspection) { in.Result = credit.ResultNonCompliant })
	writes := []struct {
		on      string
		records []any
	}{
		{"2025-01-01", []any{enterprise(a1), heavy, enterprise(a2), serious(a2, "S-LATER", "2025-03-01")}},
		{"2025-06-01", []any{failed}},
	}
	const until = "2028-06-01"
	isRisk := func(rt feed.RecordType) bool { return rt == feed.RiskCategory }
	// Followed on each write's day and at the end, within the retention.
	tiers := []func(string) credit.Visibility{partnerOn, regulatorOn}
	got, cursors := make([][]string, len(tiers)), make([]string, len(tiers))
	read := func(on string) {
		for i, v := range tiers {
			lines, _ := followTypes(t, s, v(on), store.ChangeFilter{}, cursors[i], isRisk)
			got[i] = append(got[i], lines...)
		}
		// The head, past the changes a tier does not see: what a follower
		// holds after its last page is older than the retention otherwise.
		head, err := feedOf(t, s).FeedCursor(t.Context(), day(on))
		if err != nil {
			t.Fatal(err)
		}
		for i := range cursors {
			cursors[i] = head
		}
	}
	for _, w := range writes {
		applyOn(t, s, w.on, w.records...)
		read(w.on)
	}
	read(until)
	want := expectedRiskFeed(t, writes, until)
	for i, v := range tiers {
		wantFeed(t, v(until).Tier.String()+"'s risk categories", got[i], want)
	}
	timeDriven := 0
	for _, l := range want {
		if l[len(l)-len("2025-01-01"):] != "2025-01-01" && l[len(l)-len("2025-06-01"):] != "2025-06-01" {
			timeDriven++
		}
	}
	if timeDriven < 3 {
		t.Errorf("the scenario has %d date-driven risk changes, want at least 3: %q", timeDriven, want)
	}
	public := credit.Visibility{Tier: credit.TierPublic, AsOf: day(until)}
	if got, _ := followTypes(t, s, public, store.ChangeFilter{}, "", isRisk); len(got) > 0 {
		t.Errorf("PUBLIC sees risk categories in the feed: %q", got)
	}
	if got, _ := followTypes(t, s, public, store.ChangeFilter{Types: []feed.RecordType{feed.RiskCategory}}, "", isRisk); len(got) > 0 {
		t.Errorf("PUBLIC filtering for risk categories sees: %q", got)
	}
}

// expectedRiskFeed replays writes day by day through the risk model: on
// each day the category as of that day's start (a change there is
// date-driven), then after the day's write.
func expectedRiskFeed(t *testing.T, writes []struct {
	on      string
	records []any
}, until string) []string {
	t.Helper()
	m, err := risk.NewModel(risk.DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	p := credit.NewPolicy(credit.DefaultSettings())
	ins := map[string]*risk.Inputs{}
	var order []string
	last := map[string]risk.Category{}
	var out []string
	note := func(d time.Time) {
		for _, u := range order {
			c := m.Category(*ins[u], d, p)
			kind := "CHANGED"
			if prev, ok := last[u]; ok && prev == c {
				continue
			} else if !ok {
				kind = "APPEARED"
			}
			last[u] = c
			out = append(out, fmt.Sprintf("RISK_CATEGORY/%s %s@%s", u, kind, d.Format(time.DateOnly)))
		}
	}
	next := 0
	for d := day(writes[0].on); !d.After(day(until)); d = d.AddDate(0, 0, 1) {
		note(d)
		if next < len(writes) && day(writes[next].on).Equal(d) {
			for _, r := range writes[next].records {
				switch v := r.(type) {
				case credit.Enterprise:
					ins[v.USCC] = &risk.Inputs{Enterprise: v}
					order = append(order, v.USCC)
				case credit.Penalty:
					ins[v.USCC].Penalties = append(ins[v.USCC].Penalties, v)
				case credit.Inspection:
					ins[v.USCC].Inspections = append(ins[v.USCC].Inspections, v)
				case credit.Listing:
					ins[v.USCC].Serious = append(ins[v.USCC].Serious, v)
				default:
					t.Fatalf("expectedRiskFeed: no case for %T", r)
				}
			}
			next++
			note(d)
		}
	}
	return out
}
