package postgres

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/search"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/creditgraph/creditgraph/internal/store/memory"
	"github.com/creditgraph/creditgraph/internal/store/storetest"
)

// TestSearchWhole: a first page read in one statement (searchWhole: the
// exact, prefix and contained tiers' candidates together, then the
// similar tier's only if the page is short) holds the same hits in the
// same order as the embedded store, wherever the page ends: inside the
// upper tiers, at their end, inside the similar tier among operating and
// closed names, with a floor, with a filter.
func TestSearchWhole(t *testing.T) {
	s := NewTestStore(t, credit.NewPolicy(credit.DefaultSettings()))
	m := memory.New(credit.NewPolicy(credit.DefaultSettings()))
	t.Cleanup(m.Close)
	ents, _ := storetest.RelevanceFixture()
	base := ents[0]
	statuses := []credit.EnterpriseStatus{credit.StatusCancelled, credit.StatusOperating, credit.StatusRevoked, credit.StatusOperating}
	names := []string{
		"厦门鹭岛贸易有限公司",      // exact
		"厦门鹭岛贸易有限公司集美分公司", // prefix
		"福建厦门鹭岛贸易有限公司",    // contained
		"福建省厦门鹭岛贸易有限公司",   // contained
	}
	for _, r := range "东西南北中金银铜" { // one character wrong, in several positions
		names = append(names, "厦门"+string(r)+"岛贸易有限公司", "厦门鹭岛贸"+string(r)+"有限公司")
	}
	var b store.Batch
	for i, name := range names {
		first := fmt.Sprintf("91350%d03%09d", 2+i%2, 700+i)
		e := base
		e.USCC, e.RegionCode = first+string(credit.USCCCheckChar(first)), first[2:8]
		e.Name, e.Status, e.FormerNames = name, statuses[i%4], nil
		if i%5 == 3 {
			e.Name, e.FormerNames = "漳州新名商贸有限公司", []string{name} // found by a former name
		}
		b.Enterprises = append(b.Enterprises, store.Line[credit.Enterprise]{N: i + 1, V: e})
	}
	for _, st := range []store.Store{s, m} {
		if rej, err := st.Apply(t.Context(), &b); err != nil || len(rej) > 0 {
			t.Fatalf("Apply: %v %+v", err, rej)
		}
	}
	v := credit.Visibility{Tier: credit.TierPublic, AsOf: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}
	s.tokens = &tokenStats{read: time.Now(), freq: map[string]float64{}, rare: 0, rows: 1e6}
	ts := s.tokenStatsNow()
	for _, text := range []string{"厦门鹭岛贸易有限公司", "门鹭岛贸易有限", "鹭岛贸易有限公"} {
		q, err := search.Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		for _, floor := range []search.Tier{search.None, search.Contained} {
			q.Floor = floor
			for _, f := range []store.EnterpriseFilter{{}, {RegionPrefix: "350203"}} {
				all, err := m.SearchEnterprises(t.Context(), v, q, f, store.Page{First: 100})
				if err != nil {
					t.Fatal(err)
				}
				if floor == search.None && len(all.Items) < 10 {
					t.Fatalf("%s: the fixture finds only %d", text, len(all.Items))
				}
				for first := 1; first <= len(all.Items)+1; first++ {
					if !wholeFits(q, ts, first+1) {
						t.Fatalf("%s, a page of %d: not read in one statement", text, first)
					}
					got, err := s.SearchEnterprises(t.Context(), v, q, f, store.Page{First: first})
					if err != nil {
						t.Fatal(err)
					}
					want := all.Items[:min(first, len(all.Items))]
					if keys(got.Items) != keys(want) || got.HasNext != (len(all.Items) > first) {
						t.Errorf("%s (floor %v, filter %+v), a page of %d: %s (more: %v), the embedded store %s",
							text, floor, f, first, keys(got.Items), got.HasNext, keys(want))
					}
				}
			}
		}
	}
}

func keys(hits []search.Hit) string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Enterprise.USCC[14:]+":"+h.Tier.String()+":"+h.Name)
	}
	return fmt.Sprint(slices.Clip(out))
}
