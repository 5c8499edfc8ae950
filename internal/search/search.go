package search

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// Query lengths, in characters after normalisation.
const (
	MinRunes = 2
	MaxRunes = 50
	// SimilarMin is the shortest query that also matches names with one
	// character wrong: shorter ones would match nearly every name, and
	// their remaining bigrams (SimilarBigramSets) could not find them.
	SimilarMin = 5
	// codeMin is the shortest query that matches USCCs by prefix.
	codeMin = 8
)

// ErrQuery is wrapped by every error Parse returns: the query is unusable.
var ErrQuery = errors.New("search: bad query")

// Normalize returns the form names and queries are compared in: NFKC,
// without spaces, punctuation, symbols or format characters, lower-case.
func Normalize(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) ||
			unicode.Is(unicode.Cf, r) || unicode.IsControl(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Query is a validated search query.
type Query struct {
	Text string // as the caller typed it
	Norm string // normalised
	// Code is the upper-cased query when it can be (the start of) a USCC:
	// 8 to 18 characters of its alphabet; "" otherwise.
	Code string
	// Floor is the worst tier worth finding: a search stops before the
	// tiers below it, which are the costly ones (Similar reads the
	// bigram index widely). None (the zero value) finds every tier.
	// Count ignores it.
	Floor Tier
}

// FloorFor is the worst tier whose score is at least minScore: the floor
// for a caller that uses no hit scoring below minScore.
func FloorFor(minScore float64) Tier {
	for t := Similar; t < Exact; t++ {
		if t.Score() >= minScore {
			return t
		}
	}
	return Exact
}

// Parse validates and normalises a query.
func Parse(text string) (Query, error) {
	q := Query{Text: text, Norm: Normalize(text)}
	n := utf8.RuneCountInString(q.Norm)
	if n < MinRunes || n > MaxRunes {
		return Query{}, fmt.Errorf("%w: query has %d characters once spaces and punctuation are removed; it must have %d to %d",
			ErrQuery, n, MinRunes, MaxRunes)
	}
	if up := strings.ToUpper(q.Norm); n >= codeMin && n <= 18 && strings.Trim(up, credit.USCCAlphabet()) == "" {
		q.Code = up
	}
	return q, nil
}

// Runes is the query's length in characters.
func (q Query) Runes() int { return utf8.RuneCountInString(q.Norm) }

// Tier is how well a name matches a query; a higher tier ranks first.
type Tier int

// Tiers, worst to best.
const (
	None Tier = iota
	Similar
	Contained
	Prefix
	Exact
)

// Score is the tier as a number: Exact 1, Prefix 0.75, Contained 0.5,
// Similar 0.25, None 0.
func (t Tier) Score() float64 { return float64(t) / float64(Exact) }

func (t Tier) String() string {
	return [...]string{"none", "similar", "contained", "prefix", "exact"}[t]
}

// Match is how an enterprise matched a query.
type Match struct {
	Tier   Tier
	Name   string // the name (as stored) that matched best
	Former bool   // Name is a former name
}

// Match ranks an enterprise: the best tier of its current name, its former
// names and its code (a code match reports the current name).
func (q Query) Match(uscc, name string, formerNames []string) Match {
	best := Match{Tier: q.NameTier(Normalize(name)), Name: name}
	if q.Code != "" && best.Tier < Exact {
		switch {
		case uscc == q.Code:
			best.Tier = Exact
		case strings.HasPrefix(uscc, q.Code) && best.Tier < Prefix:
			best.Tier = Prefix
		}
	}
	for _, f := range formerNames {
		if t := q.NameTier(Normalize(f)); t > best.Tier {
			best = Match{Tier: t, Name: f, Former: true}
		}
	}
	return best
}

// NameTier ranks one normalised name.
func (q Query) NameTier(normName string) Tier {
	switch {
	case normName == q.Norm:
		return Exact
	case strings.HasPrefix(normName, q.Norm):
		return Prefix
	case strings.Contains(normName, q.Norm):
		return Contained
	case q.similar(normName):
		return Similar
	}
	return None
}

// similar: some run of the name as long as the query differs from it in
// at most one character (SQL: name LIKE ANY(q.SimilarPatterns())).
func (q Query) similar(name string) bool {
	qr := []rune(q.Norm)
	if len(qr) < SimilarMin {
		return false
	}
	nr := []rune(name)
	for i := 0; i+len(qr) <= len(nr); i++ {
		wrong := 0
		for j, r := range qr {
			if nr[i+j] != r {
				if wrong++; wrong > 1 {
					break
				}
			}
		}
		if wrong <= 1 {
			return true
		}
	}
	return false
}

// SimilarPatterns are LIKE patterns, one per position of the query, that
// match exactly the names containing the query with at most one character
// wrong; nil for a query shorter than SimilarMin. A normalised text holds
// no % or _ (they are punctuation), so nothing needs escaping.
func (q Query) SimilarPatterns() []string {
	qr := []rune(q.Norm)
	if len(qr) < SimilarMin {
		return nil
	}
	out := make([]string, len(qr))
	for i := range qr {
		out[i] = "%" + string(qr[:i]) + "_" + string(qr[i+1:]) + "%"
	}
	return out
}

// SimilarBigramSets says what an index of bigrams can ask of a name that
// holds the query with character i wrong: every bigram of the query that
// does not touch i. One set per position, duplicates removed, each of
// SimilarMin−3 bigrams or more; nil for a query shorter than SimilarMin.
func (q Query) SimilarBigramSets() [][]string {
	qr := []rune(q.Norm)
	if len(qr) < SimilarMin {
		return nil
	}
	var out [][]string
	seen := map[string]bool{}
	for i := range qr {
		var parts []string
		if i >= 2 {
			parts = append(parts, string(qr[:i]))
		}
		if i+1 <= len(qr)-2 {
			parts = append(parts, string(qr[i+1:]))
		}
		set := LookupBigrams(Bigrams(parts...))
		if k := strings.Join(set, ","); !seen[k] {
			seen[k] = true
			out = append(out, set)
		}
	}
	return out
}

// SimilarSet is what an index can ask of a name that holds the query with
// one given character wrong: every bigram of the query that does not touch
// it, and the skip pair (SkipPairs) of its two neighbours when it has two.
type SimilarSet struct {
	Bigrams []string
	Skips   []string
	// Left and Right are the bigrams of the characters before and after
	// the wrong one (both in Bigrams): a store that asks only for one
	// side's tokens and the skip pair may find every name sharing the
	// query's end (鼓楼区阿?手机店 asking 手机, 机店, 阿_手 finds every 阿?手机店).
	Left, Right []string
}

// SimilarSets are the query's SimilarSet for each of its positions, all
// their tokens, common or not (a store chooses which to look up); nil for
// a query shorter than SimilarMin. A name holding the query with character
// i wrong holds the pair (i−1, i+1) as characters two apart, which is as
// rare as the three characters around i are: the bigrams that do not touch
// i may all be common (长?食品有限公司 leaves 食品有限公司).
func (q Query) SimilarSets() []SimilarSet {
	qr := []rune(q.Norm)
	if len(qr) < SimilarMin {
		return nil
	}
	out := make([]SimilarSet, len(qr))
	for i := range qr {
		var parts []string
		if i >= 2 {
			parts = append(parts, string(qr[:i]))
			out[i].Left = Bigrams(string(qr[:i]))
		}
		if i+1 <= len(qr)-2 {
			parts = append(parts, string(qr[i+1:]))
			out[i].Right = Bigrams(string(qr[i+1:]))
		}
		out[i].Bigrams = Bigrams(parts...)
		if i > 0 && i+1 < len(qr) {
			out[i].Skips = []string{string([]rune{qr[i-1], qr[i+1]})}
		}
	}
	return out
}

// SkipPairs returns the distinct pairs of characters two apart (the first
// and third of every three) of the normalised texts, sorted: what the
// PostgreSQL index of the one-character-wrong tier holds per enterprise
// (SQL function search_skip_pairs, migration 00017, which must agree).
func SkipPairs(normTexts ...string) []string { return pairs(2, normTexts) }

// Bigrams returns the distinct pairs of adjacent characters of the
// normalised texts, sorted: what the PostgreSQL index holds per enterprise
// (its names) and what a query looks up (its own).
func Bigrams(normTexts ...string) []string { return pairs(1, normTexts) }

// Trigrams returns the distinct runs of three adjacent characters of the
// normalised texts, sorted: with Bigrams, the tokens PostgreSQL's
// search_postings lists each enterprise under (SQL function
// search_posting_tokens, migrations 00016 and 00020, which must agree).
func Trigrams(normTexts ...string) []string {
	set := map[string]struct{}{}
	for _, t := range normTexts {
		rs := []rune(t)
		for i := 0; i+3 <= len(rs); i++ {
			set[string(rs[i:i+3])] = struct{}{}
		}
	}
	out := make([]string, 0, len(set))
	for g := range set {
		out = append(out, g)
	}
	slices.Sort(out)
	return out
}

// Intact are the runs of n adjacent characters (n 2 or 3) of the query
// that do not touch its character i: what a name holding the query with
// character i wrong (tier Similar) holds for certain, in query order,
// duplicates removed. A query of 8 characters keeps at least 3 trigrams
// whatever i; one of 5 keeps none when its middle character is wrong.
func (q Query) Intact(i, n int) []string {
	qr := []rune(q.Norm)
	var out []string
	for j := 0; j+n <= len(qr); j++ {
		if i >= j && i < j+n {
			continue
		}
		if g := string(qr[j : j+n]); !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// pairs returns the distinct pairs of characters gap apart in the texts,
// sorted.
func pairs(gap int, normTexts []string) []string {
	set := map[string]struct{}{}
	for _, t := range normTexts {
		rs := []rune(t)
		for i := 0; i+gap < len(rs); i++ {
			set[string([]rune{rs[i], rs[i+gap]})] = struct{}{}
		}
	}
	out := make([]string, 0, len(set))
	for b := range set {
		out = append(out, b)
	}
	slices.Sort(out)
	return out
}

// StartToken is the index token of a normalised text that starts with r:
// "^" and r ("^" is punctuation, so no normalised text holds it). With it
// an index of bigrams also answers "starts with" for every name of an
// enterprise, former names included.
func StartToken(r rune) string { return "^" + string(r) }

// IndexTokens are what the PostgreSQL index holds per enterprise: the
// bigrams of its normalised names and the StartToken of each, sorted.
func IndexTokens(normNames ...string) []string {
	out := Bigrams(normNames...)
	seen := map[string]bool{}
	for _, n := range normNames {
		for _, r := range n {
			if t := StartToken(r); !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
			break
		}
	}
	slices.Sort(out)
	return out
}

// PrefixTokens are the tokens every name starting with the query holds.
func (q Query) PrefixTokens() []string {
	for _, r := range q.Norm {
		return append(LookupBigrams(Bigrams(q.Norm)), StartToken(r))
	}
	return nil
}

// commonBigrams are bigrams that a large share of enterprise names hold
// (company forms, provinces and cities, common lines of business). An
// index lookup that requires one of them reads a posting list of
// hundreds of thousands of names; leaving it out of the lookup when the
// query has rarer bigrams keeps the candidates a superset (every store
// checks each candidate's tier exactly) and the lookup cheap.
var commonBigrams = map[string]bool{}

func init() {
	for _, b := range strings.Fields(`有限 限公 公司 股份 份有 责任 任公 集团 分公 司分 福建 建省 省福 福州 州市 厦门 门市
		泉州 漳州 莆田 田市 三明 明市 南平 平市 龙岩 岩市 宁德 德市 市鼓 鼓楼 楼区 晋江 江市 商贸 贸有 贸易 易有
		科技 技有 食品 品有 实业 业有 发展 展有 建筑 筑工 工程 程有 有限责 店铺 商行 经营 营部`) {
		if utf8.RuneCountInString(b) == 2 {
			commonBigrams[b] = true
		}
	}
}

// CommonBigram reports whether b is in the list of bigrams a large share
// of names hold.
func CommonBigram(b string) bool { return commonBigrams[b] }

// CommonSkipPair reports whether p is a skip pair (SkipPairs) a large share
// of names hold: the 有?公 and 限?司 of 有限公司.
func CommonSkipPair(p string) bool { return p == "有公" || p == "限司" }

// LookupBigrams are the query's bigrams an index lookup should require:
// those not in commonBigrams, or all of them when every one is common.
// Names holding the query hold every bigram, so this is a superset.
func LookupBigrams(bigrams []string) []string {
	var rare []string
	for _, b := range bigrams {
		if !commonBigrams[b] {
			rare = append(rare, b)
		}
	}
	if len(rare) == 0 {
		return bigrams
	}
	return rare
}

// Hit is one enterprise found, as the caller may see it.
type Hit struct {
	Enterprise credit.Enterprise
	Match
}

// Score is the hit's tier as a number in (0, 1].
func (h Hit) Score() float64 { return h.Tier.Score() }

// StatusRank orders statuses for ranking: operating (0) before the rest (1).
func StatusRank(s credit.EnterpriseStatus) int {
	if s == credit.StatusOperating {
		return 0
	}
	return 1
}

// Compare orders hits: better tier first, then operating enterprises, then
// USCC ascending.
func Compare(a, b Hit) int {
	if a.Tier != b.Tier {
		return int(b.Tier - a.Tier)
	}
	if ra, rb := StatusRank(a.Enterprise.Status), StatusRank(b.Enterprise.Status); ra != rb {
		return ra - rb
	}
	return strings.Compare(a.Enterprise.USCC, b.Enterprise.USCC)
}

// SortKey is a hit's position in Compare's order as strings, for cursors:
// tier, status rank, USCC.
func (h Hit) SortKey() []string {
	return []string{fmt.Sprint(int(h.Tier)), fmt.Sprint(StatusRank(h.Enterprise.Status)), h.Enterprise.USCC}
}
