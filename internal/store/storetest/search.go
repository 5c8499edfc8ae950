package storetest

import (
	"errors"
	"slices"
	"testing"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/search"
	"github.com/creditgraph/creditgraph/internal/store"
)

// RelevanceCase is one query of the name-search relevance fixture: the
// enterprise that must rank first, how it matched, and, when the whole
// order matters, every hit in order.
type RelevanceCase struct {
	Name        string
	Query       string
	First       string // USCC
	MatchedName string
	Former      bool
	Tier        search.Tier
	Order       []string // every hit's USCC, in order; nil = only First is checked
}

// Relevance fixture enterprises, Fuzhou Gulou codes in USCC order.
var (
	relHaihe       = company(101) // 泉州海禾食品有限公司
	relHaiheBranch = company(102) // its 晋江分公司
	relHaiheXM     = company(103) // 厦门海禾贸易有限公司, cancelled
	relRenamed     = company(104) // former name 福州老字号食品厂
	relHaiheFJ     = company(105) // 海禾（福建）食品有限公司, full-width brackets
	relHefeng      = company(106) // 漳州禾丰农业开发有限公司
	relHaiheB      = company(107) // 泉州海禾副食品商行 (operating; its code sorts after relHaiheBranch)
	relOther       = company(108) // 福州测试饮料有限公司: matches nothing above
)

// RelevanceFixture returns the enterprises of the name-search relevance
// fixture (similar names, a branch, a former name, full-width brackets, a
// name one character away from a query) and the queries run against it,
// on both stores by the conformance suite and over HTTP by httpapi.
func RelevanceFixture() ([]credit.Enterprise, []RelevanceCase) {
	ent := func(uscc, name string, st credit.EnterpriseStatus, former ...string) credit.Enterprise {
		return with(enterprise(uscc), func(e *credit.Enterprise) { e.Name, e.Status, e.FormerNames = name, st, former })
	}
	ents := []credit.Enterprise{
		ent(relHaihe, "泉州海禾食品有限公司", credit.StatusOperating),
		ent(relHaiheBranch, "泉州海禾食品有限公司晋江分公司", credit.StatusOperating),
		ent(relHaiheXM, "厦门海禾贸易有限公司", credit.StatusCancelled),
		ent(relRenamed, "福州新名科技有限公司", credit.StatusOperating, "福州老字号食品厂"),
		ent(relHaiheFJ, "海禾（福建）食品有限公司", credit.StatusRevoked),
		ent(relHefeng, "漳州禾丰农业开发有限公司", credit.StatusOperating),
		ent(relHaiheB, "泉州海禾副食品商行", credit.StatusOperating),
		ent(relOther, "福州测试饮料有限公司", credit.StatusOperating, "福州测试食品有限公司"),
	}
	cases := []RelevanceCase{
		{Name: "exact", Query: "泉州海禾食品有限公司", First: relHaihe, MatchedName: "泉州海禾食品有限公司", Tier: search.Exact,
			Order: []string{relHaihe, relHaiheBranch}},
		{Name: "exact with spaces and ASCII brackets", Query: " 海禾 (福建) 食品有限公司", First: relHaiheFJ,
			MatchedName: "海禾（福建）食品有限公司", Tier: search.Exact},
		{Name: "full-width brackets", Query: "海禾（福建）食品", First: relHaiheFJ, MatchedName: "海禾（福建）食品有限公司", Tier: search.Prefix},
		// The trade name in the middle: the prefix match first, then the
		// operating ones by code, then the cancelled one.
		{Name: "trade name", Query: "海禾", First: relHaiheFJ, MatchedName: "海禾（福建）食品有限公司", Tier: search.Prefix,
			Order: []string{relHaiheFJ, relHaihe, relHaiheBranch, relHaiheB, relHaiheXM}},
		{Name: "branch", Query: "晋江分公司", First: relHaiheBranch, MatchedName: "泉州海禾食品有限公司晋江分公司", Tier: search.Contained,
			Order: []string{relHaiheBranch}},
		{Name: "former name", Query: "福州老字号", First: relRenamed, MatchedName: "福州老字号食品厂", Former: true, Tier: search.Prefix,
			Order: []string{relRenamed}},
		{Name: "current name wins over a former name", Query: "福州测试", First: relOther, MatchedName: "福州测试饮料有限公司", Tier: search.Prefix,
			Order: []string{relOther}},
		{Name: "one character wrong", Query: "漳州禾风农业", First: relHefeng, MatchedName: "漳州禾丰农业开发有限公司", Tier: search.Similar,
			Order: []string{relHefeng}},
		{Name: "one character wrong in a full name", Query: "泉州海和食品有限公司", First: relHaihe, MatchedName: "泉州海禾食品有限公司", Tier: search.Similar,
			Order: []string{relHaihe, relHaiheBranch}},
		{Name: "latin case and full-width", Query: "ＦＵＺＨＯＵ海禾", Tier: search.None},
		{Name: "code prefix", Query: relHefeng[:17], First: relHefeng, MatchedName: "漳州禾丰农业开发有限公司", Tier: search.Prefix},
		{Name: "whole code lower-case", Query: relRenamed[:17] + string(relRenamed[17]|0x20), First: relRenamed,
			MatchedName: "福州新名科技有限公司", Tier: search.Exact, Order: []string{relRenamed}},
	}
	// A code's check character may be a digit: lower-casing it changes nothing.
	return ents, cases
}

func testSearchRelevance(t *testing.T, s store.Store) {
	ents, cases := RelevanceFixture()
	recs := make([]any, len(ents))
	for i, e := range ents {
		recs[i] = e
	}
	mustApply(t, s, recs...)
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			q, err := search.Parse(tc.Query)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range everyTier("2024-06-01") {
				c, err := s.SearchEnterprises(t.Context(), v, q, store.EnterpriseFilter{}, store.Page{First: 100})
				if err != nil {
					t.Fatalf("%s: %v", v.Tier, err)
				}
				n, err := s.CountSearchEnterprises(t.Context(), v, q, store.EnterpriseFilter{})
				if err != nil || n != len(c.Items) {
					t.Fatalf("%s: count = %d, %v; page has %d", v.Tier, n, err, len(c.Items))
				}
				if tc.Tier == search.None {
					if len(c.Items) != 0 {
						t.Fatalf("%s: want no hit, got %v", v.Tier, keysOf(c.Items, hitKey))
					}
					continue
				}
				if len(c.Items) == 0 {
					t.Fatalf("%s: no hit", v.Tier)
				}
				h := c.Items[0]
				if h.Enterprise.USCC != tc.First || h.Tier != tc.Tier || h.Name != tc.MatchedName || h.Former != tc.Former {
					t.Fatalf("%s: first = %s %v %q former=%v; want %s %v %q former=%v (all: %v)", v.Tier,
						h.Enterprise.USCC, h.Tier, h.Name, h.Former, tc.First, tc.Tier, tc.MatchedName, tc.Former, keysOf(c.Items, hitKey))
				}
				if tc.Order != nil {
					eqKeys(t, v.Tier.String()+" order", keysOf(c.Items, hitKey), tc.Order)
				}
				if v.Public() && h.Enterprise.LegalRepresentativeIDNumber != nil {
					t.Fatalf("%s: a hit carries the legal representative's ID number", v.Tier)
				}
			}
		})
	}
}

func hitKey(h search.Hit) string { return h.Enterprise.USCC }

// Paging through a search walks every hit once, across tiers, and a cursor
// is refused by another query.
func testSearchPaging(t *testing.T, s store.Store) {
	ents, _ := RelevanceFixture()
	recs := make([]any, len(ents))
	for i, e := range ents {
		recs[i] = e
	}
	mustApply(t, s, recs...)
	v := public("2024-06-01")
	q, _ := search.Parse("泉州海禾食品有限公司")
	want := []string{relHaihe, relHaiheBranch}
	q2, _ := search.Parse("海禾")
	want2 := []string{relHaiheFJ, relHaihe, relHaiheBranch, relHaiheB, relHaiheXM}
	for _, tc := range []struct {
		q    search.Query
		want []string
	}{{q, want}, {q2, want2}} {
		var got []string
		after := ""
		for range 10 {
			c, err := s.SearchEnterprises(t.Context(), v, tc.q, store.EnterpriseFilter{}, store.Page{First: 2, After: after})
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, keysOf(c.Items, hitKey)...)
			if !c.HasNext {
				break
			}
			after = c.Cursors[len(c.Cursors)-1]
		}
		eqKeys(t, tc.q.Norm+" pages", got, tc.want)
	}
	c, err := s.SearchEnterprises(t.Context(), v, q2, store.EnterpriseFilter{}, store.Page{First: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SearchEnterprises(t.Context(), v, q, store.EnterpriseFilter{}, store.Page{First: 1, After: c.Cursors[0]}); !errors.Is(err, store.ErrBadCursor) {
		t.Fatalf("cursor of another query: err = %v, want ErrBadCursor", err)
	}
	// Filters apply: only the cancelled one.
	c, err = s.SearchEnterprises(t.Context(), v, q2, store.EnterpriseFilter{Status: credit.StatusCancelled}, store.Page{})
	if err != nil || !slices.Equal(keysOf(c.Items, hitKey), []string{relHaiheXM}) {
		t.Fatalf("status filter: %v, %v", keysOf(c.Items, hitKey), err)
	}
	hits, err := store.FindByName(t.Context(), s, v, "海禾食品", 3, 0)
	if err != nil || len(hits) != 2 || hits[0].Enterprise.USCC != relHaihe || hits[0].Score() != search.Contained.Score() {
		t.Fatalf("FindByName: %+v, %v", hits, err)
	}
	// A floor drops the tiers below it, and only those: the same hits
	// above it, in the same order.
	all, err := store.FindByName(t.Context(), s, v, "泉州海禾食品有限公司", 20, 0)
	if err != nil {
		t.Fatal(err)
	}
	if tiers := map[search.Tier]bool{}; len(all) > 0 {
		for _, h := range all {
			tiers[h.Tier] = true
		}
		if len(tiers) < 2 {
			t.Fatalf("the floor check needs hits of two tiers or more; the fixture gives %+v", all)
		}
	}
	for _, min := range []float64{search.Similar.Score(), search.Contained.Score(), search.Prefix.Score(), search.Exact.Score()} {
		floored, err := store.FindByName(t.Context(), s, v, "泉州海禾食品有限公司", 20, min)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, h := range all {
			if h.Score() >= min {
				want = append(want, h.Enterprise.USCC)
			}
		}
		if got := keysOf(floored, hitKey); !slices.Equal(got, want) {
			t.Errorf("FindByName with a floor of %.2f: %v, want %v", min, got, want)
		}
	}
}

// CaseTextHidden is a typical-case summary whose personal data (a third
// person's name, an illness, a phone and an ID number) the public tiers
// read redacted; CaseTextProbes are what a text search finds in it, per
// tier: a search matches only the text its caller may read.
const CaseTextHidden = "某超市销售过期食品案：店员李四华患有乙型肝炎仍从事接触直接入口食品工作，举报人电话13912345678，身份证350102199001011234。"

// CaseTextProbe is one text search over a case holding CaseTextHidden.
type CaseTextProbe struct {
	Text      string
	Public    bool // found by PUBLIC and PARTNER
	Regulator bool // found by REGULATOR
}

// CaseTextProbes: hidden words only REGULATOR finds; public words everyone
// finds; the redacted form only the public tiers, who read it.
var CaseTextProbes = []CaseTextProbe{
	{"李四华", false, true},
	{"乙型肝炎", false, true},
	{"13912345678", false, true},
	{"350102199001011234", false, true},
	{"过期食品", true, true},
	{"直接入口 食品", true, true}, // normalised: spaces dropped
	{"店员李某", true, false},
}

func testCaseTextSearch(t *testing.T, s store.Store) {
	mustApply(t, s,
		with(typicalCase("C1", "2024-01-01"), func(c *credit.TypicalCase) { c.Title = "超市销售过期食品案"; c.Summary = CaseTextHidden }),
		with(typicalCase("C2", "2024-02-01"), func(c *credit.TypicalCase) {
			c.Title = "电梯维保不到位案"
			c.Summary = "某物业公司电梯未按期维保"
		}),
		with(typicalCase("C3", "2024-03-01"), func(c *credit.TypicalCase) { c.Title = "过期食品再次被查"; c.Summary = "某超市" }),
		with(typicalCase("C4", "2024-09-01"), func(c *credit.TypicalCase) { c.Title = "过期食品（未发布）" }), // published after the date
	)
	for _, p := range CaseTextProbes {
		for _, v := range everyTier("2024-06-01") {
			want := p.Public
			if !v.Public() {
				want = p.Regulator
			}
			f := store.CaseFilter{Text: p.Text}
			c, err := s.TypicalCases(t.Context(), v, f, store.Page{})
			if err != nil {
				t.Fatal(err)
			}
			n, err := s.CountTypicalCases(t.Context(), v, f)
			if err != nil || n != len(c.Items) {
				t.Fatalf("%s %q: count %d, %v; page %d", v.Tier, p.Text, n, err, len(c.Items))
			}
			found := slices.Contains(keysOf(c.Items, caseKey), "C1")
			if found != want {
				t.Fatalf("%s searching %q: found C1 = %v, want %v", v.Tier, p.Text, found, want)
			}
		}
	}
	// Text and the other filters, paged: 过期食品 is in C1, C3 and, for
	// REGULATOR only, the unpublished C4.
	for _, tc := range []struct {
		v    credit.Visibility
		want []string
	}{{public("2024-06-01"), []string{"C3", "C1"}}, {regulator("2024-06-01"), []string{"C4", "C3", "C1"}}} {
		var got []string
		after := ""
		for range 5 {
			c, err := s.TypicalCases(t.Context(), tc.v, store.CaseFilter{Text: "过期食品", KeyArea: credit.AreaFoodDistribution}, store.Page{First: 1, After: after})
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, keysOf(c.Items, caseKey)...)
			if !c.HasNext {
				break
			}
			after = c.Cursors[0]
		}
		eqKeys(t, tc.v.Tier.String()+" pages of 过期食品", got, tc.want)
	}
}
