package postgres

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/search"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/creditgraph/creditgraph/internal/store/memory"
	"github.com/creditgraph/creditgraph/internal/store/storetest"
)

// TestSearchTokenStats: whatever the token statistics say (none; every
// token rare, so every tier is read from the index; every token common
// among a million names, so short queries walk enterprises in rank order
// and longer ones walk and then ask the index), a search pages through
// the same hits in the same order as the embedded store, and counts them
// alike: every way a tier is read (tierRead) against the store that scans.
func TestSearchTokenStats(t *testing.T) {
	s := NewTestStore(t, credit.NewPolicy(credit.DefaultSettings()))
	ents, cases := storetest.RelevanceFixture()
	// Names that only a former name ranks by prefix, operating and not.
	for i, st := range []credit.EnterpriseStatus{credit.StatusOperating, credit.StatusCancelled} {
		first := "91350203" + strings.Repeat("0", 8) + string(rune('1'+i))
		e := ents[0]
		e.USCC, e.Name, e.FormerNames, e.Status = first+string(credit.USCCCheckChar(first)), "厦门鹭岛贸易有限公司", []string{"泉州鹭岛贸易有限公司"}, st
		e.RegionCode = "350203"
		ents = append(ents, e)
	}
	var b store.Batch
	for i, e := range ents {
		b.Enterprises = append(b.Enterprises, store.Line[credit.Enterprise]{N: i + 1, V: e})
	}
	if rej, err := s.Apply(t.Context(), &b); err != nil || len(rej) > 0 {
		t.Fatalf("Apply: %v %+v", err, rej)
	}
	m := memory.New(credit.NewPolicy(credit.DefaultSettings()))
	t.Cleanup(m.Close)
	if rej, err := m.Apply(t.Context(), &b); err != nil || len(rej) > 0 {
		t.Fatalf("embedded Apply: %v %+v", err, rej)
	}
	queries := []string{"海禾", "食品", "有限", "公司", "泉州海禾", "禾丰农业", "福州老字", "福州", "老字", "泉州", "厦门", "漳州禾风农业", "泉州海和食品有限公司"}
	for _, c := range cases {
		queries = append(queries, c.Query)
	}
	v := credit.Visibility{Tier: credit.TierPublic, AsOf: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}
	page := func(s store.Searcher, q search.Query) (keys []string, count int) {
		after := ""
		for range 20 {
			c, err := s.SearchEnterprises(t.Context(), v, q, store.EnterpriseFilter{}, store.Page{First: 2, After: after})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range c.Items {
				keys = append(keys, h.Enterprise.USCC+":"+h.Tier.String())
			}
			if !c.HasNext {
				break
			}
			after = c.Cursors[len(c.Cursors)-1]
		}
		n, err := s.CountSearchEnterprises(t.Context(), v, q, store.EnterpriseFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return keys, n
	}
	stats := map[string]*tokenStats{
		"rare":   {read: time.Now(), freq: map[string]float64{}, rare: 0, rows: 1e6},
		"common": {read: time.Now(), freq: map[string]float64{"^泉": 0.5}, rare: 0.9, rows: 1e6},
	}
	found := 0
	for _, text := range queries {
		q, err := search.Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		want, wantN := page(m, q)
		if len(want) > 0 {
			found++
		}
		stats["none"] = nil
		for name, ts := range stats {
			s.tokens = ts
			got, n := page(s, q)
			if !slices.Equal(got, want) || n != wantN {
				t.Errorf("%s with %s tokens: %v (count %d), the embedded store %v (count %d)", text, name, got, n, want, wantN)
			}
		}
	}
	if found < len(queries)-3 {
		t.Fatalf("only %d of %d queries found anything", found, len(queries))
	}
}
