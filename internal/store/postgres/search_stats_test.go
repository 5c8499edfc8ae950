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

// TestSimilarLookupBothSides: a position whose rare tokens all lie on one
// side of the wrong character (and in the skip pair) also asks for the
// other side's rarest bigram when it is held by at most similarShare of
// the names, so 鼓楼区阿?手机店 is not read as every 阿?手机店; a side held
// by more than that is left out, and a side already asked for adds
// nothing; of more than similarLookupMax rare tokens, the rarest.
func TestSimilarLookupBothSides(t *testing.T) {
	q, err := search.Parse("鼓楼区阿丽手机店")
	if err != nil {
		t.Fatal(err)
	}
	set := q.SimilarSets()[4] // 丽 wrong
	if !slices.Equal(set.Left, []string{"区阿", "楼区", "鼓楼"}) || !slices.Equal(set.Right, []string{"手机", "机店"}) {
		t.Fatalf("sides %q and %q", set.Left, set.Right)
	}
	ts := func(left float64) *tokenSnapshot {
		return &tokenSnapshot{freq: map[string]float64{"鼓楼": left, "楼区": left + 0.01, "区阿": left + 0.02, "手机": 0.005, "机店": 0.004},
			rare: 0.001, skips: map[string]float64{}, skipRare: 0.003, rows: 1e6}
	}
	for _, c := range []struct {
		left float64
		want []string
	}{
		{0.03, []string{"手机", "机店", "阿_手", "鼓楼"}}, // the left side's rarest added
		{0.2, []string{"手机", "机店", "阿_手"}},        // every left bigram too common
		{0.0005, []string{"鼓楼", "阿_手", "机店"}},     // four rare: the three rarest, 鼓楼 among them
	} {
		if got := similarLookup(set, ts(c.left)); !slices.Equal(got, c.want) {
			t.Errorf("left bigrams held by %v: %q, want %q", c.left, got, c.want)
		}
	}
}
