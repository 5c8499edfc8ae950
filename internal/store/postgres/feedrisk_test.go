package postgres

import (
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/feed"
	"github.com/creditgraph/creditgraph/internal/store"
)

// TestRefreshRiskCategories: a database whose feed predates risk
// categories (no RISK_CATEGORY state, no risk_model) gets one APPEARED per
// enterprise, in one gap-free write per chunk, and is then current; a
// second refresh appends nothing.
func TestRefreshRiskCategories(t *testing.T) {
	ctx := t.Context()
	s := NewTestStore(t, credit.NewPolicy(credit.DefaultSettings()))
	b := &store.Batch{Now: date("2026-03-01").Add(9 * time.Hour)}
	var usccs []string
	for i := range 5 {
		u := testUSCC("350102", 700+i)
		usccs = append(usccs, u)
		b.Enterprises = append(b.Enterprises, store.Line[credit.Enterprise]{N: i + 1, V: enterprise(u, "福州刷新测试有限公司")})
	}
	b.Penalties = append(b.Penalties, store.Line[credit.Penalty]{N: 6, V: heavyPenalty(usccs[0], "刷新罚〔2026〕1号", "2026-02-01")})
	if rej, err := s.Apply(ctx, b); err != nil || len(rej) > 0 {
		t.Fatalf("Apply: %v %+v", err, rej)
	}
	// The feed as the previous version left it.
	if _, err := s.write.Exec(ctx, `DELETE FROM feed_state WHERE record_type = 'RISK_CATEGORY';
		DELETE FROM feed_changes WHERE record_type = 'RISK_CATEGORY'; UPDATE feed_meta SET risk_model = NULL`); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.RiskCategoriesCurrent(ctx); err != nil || ok {
		t.Fatalf("RiskCategoriesCurrent before = %v, %v; want false", ok, err)
	}
	head, err := s.FeedCursor(ctx, date("2026-03-02"))
	if err != nil {
		t.Fatal(err)
	}
	var calls []int
	if err := s.RefreshRiskCategories(ctx, date("2026-03-02").Add(8*time.Hour), 2, func(n int) { calls = append(calls, n) }); err != nil {
		t.Fatal(err)
	}
	if want := []int{2, 4, 5}; len(calls) != len(want) || calls[0] != 2 || calls[2] != 5 {
		t.Errorf("progress %v, want %v: chunks of 2", calls, want)
	}
	v := credit.Visibility{Tier: credit.TierPartner, AsOf: date("2026-03-02")}
	risk := store.ChangeFilter{Types: []feed.RecordType{feed.RiskCategory}}
	p, err := s.Changes(ctx, v, risk, store.Page{First: 100, After: head})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != len(usccs) {
		t.Fatalf("%d changes after the refresh, want one per enterprise: %+v", len(p.Changes), p.Changes)
	}
	for i, c := range p.Changes {
		if c.Key.ID != usccs[i] || c.Public != feed.Appeared || !c.Day.Equal(date("2026-03-02")) {
			t.Errorf("change %d = %s %s on %s, want RISK_CATEGORY/%s APPEARED on 2026-03-02", i, c.Key, c.Public, c.Day.Format(time.DateOnly), usccs[i])
		}
	}
	if ok, err := s.RiskCategoriesCurrent(ctx); err != nil || !ok {
		t.Fatalf("RiskCategoriesCurrent after = %v, %v; want true", ok, err)
	}
	if err := s.RefreshRiskCategories(ctx, date("2026-03-02").Add(9*time.Hour), 2, nil); err != nil {
		t.Fatal(err)
	}
	if again, err := s.Changes(ctx, v, risk, store.Page{First: 100, After: p.EndCursor}); err != nil || len(again.Changes) != 0 {
		t.Errorf("a second refresh appended %+v, %v; want nothing", again.Changes, err)
	}
}
