package search

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/creditgraph/creditgraph/internal/credit"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"full-width brackets", "泉州海禾食品（厦门）有限公司", "泉州海禾食品厦门有限公司"},
		{"ascii brackets and spaces", " 泉州海禾食品 (厦门) 有限公司 ", "泉州海禾食品厦门有限公司"},
		{"full-width latin and digits", "ＡＢＣ１２３贸易", "abc123贸易"},
		{"latin case", "ABC Trading Co., Ltd.", "abctradingcoltd"},
		{"middle dot and symbols", "福州·阿里＆巴巴+科技", "福州阿里巴巴科技"},
		{"zero-width space", "海\u200b禾", "海禾"},
		{"ideographic space", "海　禾", "海禾"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Normalize(tc.in); got != tc.want {
				t.Fatalf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, in, norm, code string
		bad                  bool
	}{
		{name: "two characters", in: "海禾", norm: "海禾"},
		{name: "one character", in: "海", bad: true},
		{name: "one character and punctuation", in: "（海）", bad: true},
		{name: "empty", in: "  ", bad: true},
		{name: "fifty", in: strings.Repeat("海", 50), norm: strings.Repeat("海", 50)},
		{name: "fifty-one", in: strings.Repeat("海", 51), bad: true},
		{name: "code prefix", in: "91350503m", norm: "91350503m", code: "91350503M"},
		{name: "seven is no code", in: "9135050", norm: "9135050"},
		{name: "letter outside the alphabet", in: "91350503I", norm: "91350503i"},
		{name: "full-width code", in: "９１３５０５０３", norm: "91350503", code: "91350503"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := Parse(tc.in)
			if tc.bad {
				if !errors.Is(err, ErrQuery) {
					t.Fatalf("Parse(%q) err = %v, want ErrQuery", tc.in, err)
				}
				return
			}
			if err != nil || q.Norm != tc.norm || q.Code != tc.code {
				t.Fatalf("Parse(%q) = %+v, %v; want norm %q code %q", tc.in, q, err, tc.norm, tc.code)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	const u = "91350503MA2XXXXX0X"
	tests := []struct {
		name, query, current string
		former               []string
		want                 Tier
		wantName             string
		wantFormer           bool
	}{
		{"exact", "泉州海禾食品有限公司", "泉州海禾食品有限公司", nil, Exact, "泉州海禾食品有限公司", false},
		{"exact full-width", "泉州海禾食品(厦门)有限公司", "泉州海禾食品（厦门）有限公司", nil, Exact, "泉州海禾食品（厦门）有限公司", false},
		{"prefix", "泉州海禾", "泉州海禾食品有限公司", nil, Prefix, "泉州海禾食品有限公司", false},
		{"trade name", "海禾", "泉州海禾食品有限公司", nil, Contained, "泉州海禾食品有限公司", false},
		{"one wrong", "泉州海和食品", "泉州海禾食品有限公司", nil, Similar, "泉州海禾食品有限公司", false},
		{"two wrong", "泉州海和食物", "泉州海禾食品有限公司", nil, None, "泉州海禾食品有限公司", false},
		{"short query no similarity", "海和", "泉州海禾食品有限公司", nil, None, "泉州海禾食品有限公司", false},
		{"former beats current", "泉州老字号", "泉州海禾食品有限公司", []string{"泉州老字号食品厂"}, Prefix, "泉州老字号食品厂", true},
		{"current wins a tie", "海禾", "泉州海禾食品有限公司", []string{"厦门海禾贸易有限公司"}, Contained, "泉州海禾食品有限公司", false},
		{"code exact", u, "泉州海禾食品有限公司", nil, Exact, "泉州海禾食品有限公司", false},
		{"code prefix", u[:10], "泉州海禾食品有限公司", nil, Prefix, "泉州海禾食品有限公司", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := Parse(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			m := q.Match(u, tc.current, tc.former)
			if m.Tier != tc.want || (m.Tier != None && (m.Name != tc.wantName || m.Former != tc.wantFormer)) {
				t.Fatalf("Match = %+v, want %v %q former=%v", m, tc.want, tc.wantName, tc.wantFormer)
			}
		})
	}
}

// The LIKE patterns PostgreSQL uses must select exactly what similar does.
func TestSimilarPatternsAgree(t *testing.T) {
	q, _ := Parse("海禾食品厂")
	pats := q.SimilarPatterns()
	if len(pats) != 5 || pats[1] != "%海_食品厂%" {
		t.Fatalf("patterns = %q", pats)
	}
	q, _ = Parse("海禾食品")
	if got := q.SimilarBigramSets(); got != nil {
		t.Fatalf("a 4-character query has no similar tier, got %q", got)
	}
	q, _ = Parse("海禾食品厂")
	// 食品 is held by a large share of names: the lookup leaves it out.
	want := [][]string{{"品厂", "禾食"}, {"品厂"}, {"品厂", "海禾"}, {"海禾", "禾食"}}
	if got := q.SimilarBigramSets(); !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("bigram sets = %q, want %q", got, want)
	}
	if got := Bigrams("海禾食", "禾食"); !slices.Equal(got, []string{"海禾", "禾食"}) {
		t.Fatalf("bigrams = %q", got)
	}
}

func TestCompare(t *testing.T) {
	hit := func(tier Tier, st credit.EnterpriseStatus, u string) Hit {
		return Hit{Enterprise: credit.Enterprise{USCC: u, Status: st}, Match: Match{Tier: tier}}
	}
	hits := []Hit{
		hit(Contained, credit.StatusOperating, "B"),
		hit(Prefix, credit.StatusCancelled, "A"),
		hit(Contained, credit.StatusRevoked, "A"),
		hit(Contained, credit.StatusOperating, "C"),
		hit(Exact, credit.StatusCancelled, "Z"),
	}
	slices.SortFunc(hits, Compare)
	var got []string
	for _, h := range hits {
		got = append(got, h.Tier.String()+"/"+h.Enterprise.USCC)
	}
	want := []string{"exact/Z", "prefix/A", "contained/B", "contained/C", "contained/A"}
	if !slices.Equal(got, want) {
		t.Fatalf("order = %q, want %q", got, want)
	}
}

func TestIndexTokens(t *testing.T) {
	got := IndexTokens("海禾食品", "老字号")
	want := []string{"^海", "^老", "字号", "海禾", "禾食", "老字", "食品"}
	if !slices.Equal(got, want) {
		t.Fatalf("IndexTokens = %q, want %q", got, want)
	}
	q, _ := Parse("海禾")
	if got := q.PrefixTokens(); !slices.Equal(got, []string{"海禾", "^海"}) {
		t.Fatalf("PrefixTokens = %q", got)
	}
}

func TestLookupBigrams(t *testing.T) {
	if got := LookupBigrams([]string{"有限", "温陵", "公司"}); !slices.Equal(got, []string{"温陵"}) {
		t.Fatalf("LookupBigrams = %q", got)
	}
	if got := LookupBigrams([]string{"有限", "公司"}); !slices.Equal(got, []string{"有限", "公司"}) {
		t.Fatalf("all common: LookupBigrams = %q", got)
	}
}

// TestIntact: a name holding the query with any one character wrong holds
// every token Intact keeps for that character.
func TestIntact(t *testing.T) {
	for _, text := range []string{"泉州海禾食品有限公司", "品贸易有限公司延", "海禾食品", "长祥食品有限公司", "abcab"} {
		q, err := Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		qr := []rune(q.Norm)
		for i := range qr {
			wrong := slices.Clone(qr)
			wrong[i] = '某'
			name := "福建" + string(wrong) + "分公司"
			for _, n := range []int{2, 3} {
				held := Bigrams(name)
				if n == 3 {
					held = Trigrams(name)
				}
				for _, g := range q.Intact(i, n) {
					if !slices.Contains(held, g) {
						t.Errorf("%s, character %d wrong (%s): Intact(%d, %d) keeps %s, which the name does not hold", text, i, name, i, n, g)
					}
				}
			}
		}
	}
	q, _ := Parse("品贸易有限公司延")
	if got := q.Intact(7, 3); !slices.Equal(got, []string{"品贸易", "贸易有", "易有限", "有限公", "限公司"}) {
		t.Errorf("Intact(7, 3) = %v", got)
	}
	if got := q.Intact(3, 3); !slices.Equal(got, []string{"品贸易", "限公司", "公司延"}) {
		t.Errorf("Intact(3, 3) = %v", got)
	}
}
