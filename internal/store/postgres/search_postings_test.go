package postgres

import (
	"context"
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

// postingFixture is a few hundred enterprises whose names share cities,
// trade names and lines of business in every position, some of them
// exactly a pair (海禾), some renamed (a former name holding the pair),
// operating and not: enough for a pair's holders to fall in every class
// and for a short walk to end before the page is full.
func postingFixture(round int) []credit.Enterprise {
	ents, _ := storetest.RelevanceFixture()
	base := ents[0]
	cities := []string{"泉州", "厦门", "福州", "漳州", ""}
	trades := []string{"海禾", "禾丰", "鑫荣", "盛美", "海鑫", "荣海"}
	lines := []string{"食品", "贸易", "科技", "餐饮", "海禾"}
	suffixes := []string{"有限公司", "商行", "食品厂"}
	statuses := []credit.EnterpriseStatus{credit.StatusOperating, credit.StatusCancelled, credit.StatusOperating, credit.StatusRevoked}
	var out []credit.Enterprise
	for i := range 240 {
		first := fmt.Sprintf("91350%d03%09d", 2+i%3, i)
		e := base
		e.USCC = first + string(credit.USCCCheckChar(first))
		e.RegionCode = first[2:8]
		// Each round moves names, statuses and former names, so a
		// re-import changes some of each.
		j := i + round*7
		e.Name = cities[j%5] + trades[(j/5)%6] + lines[(j/3)%5] + suffixes[j%3]
		e.Status = statuses[(i+round)%4]
		e.FormerNames = nil
		switch {
		case j%11 == 0:
			e.Name = trades[j%6] // a name that is a pair
		case j%17 == 0: // a former name that is a trigram, the name starting with it
			e.Name, e.FormerNames = trades[j%6]+"厂"+lines[j%5], []string{trades[j%6] + "厂"}
		case j%7 == 0:
			e.FormerNames = []string{trades[(j+1)%6] + "（" + cities[j%4] + "）" + lines[j%5]}
		case j%13 == 0:
			e.FormerNames = []string{lines[j%5], cities[(j+2)%4] + trades[j%6]}
		}
		out = append(out, e)
	}
	return out
}

// wantPostings are search_postings' rows of ents, computed in Go.
func wantPostings(ents []credit.Enterprise) []string {
	var out []string
	for _, e := range ents {
		n, f, _ := searchColumns(e.Name, e.FormerNames)
		best := map[string]int{}
		for _, name := range append([]string{n}, f...) {
			rs := []rune(name)
			for _, k := range []int{2, 3} { // pairs and trigrams
				for i := 0; i+k <= len(rs); i++ {
					b, cls := string(rs[i:i+k]), 2
					switch {
					case name == b:
						cls = 0
					case i == 0:
						cls = 1
					}
					if c, ok := best[b]; !ok || cls < c {
						best[b] = cls
					}
				}
			}
		}
		for b, cls := range best {
			out = append(out, fmt.Sprintf("%s %d %v %s", b, cls, e.Status != credit.StatusOperating, e.USCC))
		}
	}
	slices.Sort(out)
	return out
}

func gotPostings(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.write.Query(context.Background(), `SELECT token, cls, closed, uscc FROM search_postings`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var token, uscc string
		var cls int
		var closed bool
		if err := rows.Scan(&token, &cls, &closed, &uscc); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s %d %v %s", token, cls, closed, uscc))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// TestSearchPostings: search_postings follows every write of enterprises
// (new ones, renames, new former names, status changes, re-imports of the
// same), and a search read through it (a 2- or 3-character query in one
// range, a longer one walking its rarest trigram and probing the next,
// every tier, however short the walk and whatever the token statistics)
// pages through the same hits in the same order as the embedded store,
// and counts them alike.
func TestSearchPostings(t *testing.T) {
	s := NewTestStore(t, credit.NewPolicy(credit.DefaultSettings()))
	m := memory.New(credit.NewPolicy(credit.DefaultSettings()))
	t.Cleanup(m.Close)
	v := credit.Visibility{Tier: credit.TierPublic, AsOf: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}
	queries := []string{"海禾", "禾丰", "荣海", "食品", "有限", "泉州", "厦门", "商行", "海鑫", "鑫荣",
		"泉州海", "海禾食", "禾丰贸", "有限公", "州海禾", "海禾厂", "州禾丰食品", "泉州禾丰食品有限公司", "厦门海禾贸易有限公",
		"禾丰贸易有限公", "泉州海禾食品商行", "海禾科技有限公司", "荣海厂科技", "盛美厂贸易", "鑫荣厂餐饮", "禾丰厂食品", "海禾厂科", "禾丰厂",
		"泉州海禾", "海禾食品", "禾丰贸易", "海禾（泉州）", "荣海餐饮有限", "厦门鑫荣科技有限公司", "泉州海禾食品有限公司", "福建海禾", "州海",
		"泉州海鑫食品有限公司", "厦门荣海餐饮商行", "鑫荣（漳州）贸易", "海禾泉州食品厂", "9135020300000000"}
	page := func(st store.Searcher, q search.Query, first int) (keys []string, count int) {
		after := ""
		for range 300 {
			c, err := st.SearchEnterprises(t.Context(), v, q, store.EnterpriseFilter{}, store.Page{First: first, After: after})
			if err != nil {
				t.Fatal(err)
			}
			if after != "" && len(c.Items) == 0 {
				// hasNextPage promised a page that holds nothing.
				keys = append(keys, "empty page after hasNextPage")
			}
			for _, h := range c.Items {
				keys = append(keys, h.Enterprise.USCC+":"+h.Tier.String()+":"+h.Name)
			}
			if !c.HasNext {
				break
			}
			after = c.Cursors[len(c.Cursors)-1]
		}
		n, err := st.CountSearchEnterprises(t.Context(), v, q, store.EnterpriseFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return keys, n
	}
	stats := map[string]*tokenStats{
		"none": nil,
		"rare": {read: time.Now(), freq: map[string]float64{}, rare: 0, rows: 1e6},
		"common": {read: time.Now(), freq: map[string]float64{"海禾": 0.5, "食品": 0.4}, rare: 0.9, rows: 1e6,
			skips: map[string]float64{"州_禾": 0.3}, skipRare: 0.2,
			grams: map[string]float64{"海禾食": 0.3, "泉州海": 0.01, "有限公": 0.9, "荣海厂": 0.5, "禾丰厂": 0.5, "海禾厂": 0.5}, gramRare: 0.001},
		// Every trigram held by thousands: walks merge their two rarest.
		"joins": {read: time.Now(), freq: map[string]float64{}, rare: 0.05, rows: 1e6,
			grams: map[string]float64{"有限公": 0.9, "海禾食": 0.02}, gramRare: 0.01},
	}
	for round := range 2 {
		ents := postingFixture(round)
		var b store.Batch
		for i, e := range ents {
			b.Enterprises = append(b.Enterprises, store.Line[credit.Enterprise]{N: i + 1, V: e})
		}
		for _, st := range []store.Store{s, m} {
			if rej, err := st.Apply(t.Context(), &b); err != nil || len(rej) > 0 {
				t.Fatalf("round %d: Apply: %v %+v", round, err, rej)
			}
		}
		if got, want := gotPostings(t, s), wantPostings(ents); !slices.Equal(got, want) {
			t.Fatalf("round %d: %d postings, want %d; first differences: %v", round, len(got), len(want), firstDiff(got, want))
		}
		// The one-character-wrong tier's index (migration 00021) holds
		// what package search calls a name's index tokens and skip pairs.
		for _, e := range ents {
			n, f, tokens := searchColumns(e.Name, e.FormerNames)
			var got []string
			if err := s.write.QueryRow(t.Context(), `SELECT search_similar_tokens($1, $2, $3)`, tokens, n, f).Scan(&got); err != nil {
				t.Fatal(err)
			}
			want := slices.Clone(tokens)
			for _, p := range search.SkipPairs(append([]string{n}, f...)...) {
				want = append(want, skipToken(p))
			}
			if !slices.Equal(got, want) {
				t.Fatalf("search_similar_tokens(%s, %q) = %q, package search %q", n, f, got, want)
			}
		}
		found := 0
		for _, text := range queries {
			q, err := search.Parse(text)
			if err != nil {
				t.Fatal(err)
			}
			for _, first := range []int{2, 20} {
				want, wantN := page(m, q, first)
				if len(want) > 1 {
					found++
				}
				for name, ts := range stats {
					for _, walk := range []int{postingWalkRows, 1} {
						s.tokens, s.pairWalk = ts, walk
						if got, n := page(s, q, first); !slices.Equal(got, want) || n != wantN {
							t.Errorf("round %d: %s, pages of %d, %s tokens, walks of %d: %v (count %d), the embedded store %v (count %d)",
								round, text, first, name, walk, got, n, want, wantN)
						}
					}
				}
			}
		}
		if found < len(queries) {
			t.Fatalf("round %d: only %d query pages found more than one enterprise", round, found)
		}
	}
}

func firstDiff(got, want []string) []string {
	var out []string
	for _, g := range got {
		if !slices.Contains(want, g) && len(out) < 5 {
			out = append(out, "extra "+g)
		}
	}
	for _, w := range want {
		if !slices.Contains(got, w) && len(out) < 10 {
			out = append(out, "missing "+w)
		}
	}
	return out
}
