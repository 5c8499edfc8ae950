package postgres

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/creditgraph/creditgraph/internal/search"
)

// tokenStats are the planner's statistics of the search index's tokens
// (pg_stats.most_common_elems of enterprises.name_bigrams, which ANALYZE
// keeps: every import analyses), read at most every tokenStatsTTL. Name
// search uses them to choose what to ask the index: only a query's rare
// tokens (a GIN scan decodes each token's whole posting list, 90 % of
// names for 有限), and for a tier whose tokens are all common, a walk of
// the enterprises in rank order instead of the index.
type tokenStats struct {
	mu       sync.Mutex
	read     time.Time
	freq     map[string]float64 // share of enterprises holding the token
	rare     float64            // the share of any token not in freq: at most the least common listed
	skips    map[string]float64 // the same of the skip pairs, by skipToken (enterprises_similar_idx, migration 00021)
	skipRare float64
	grams    map[string]float64 // the same of the trigrams of search_postings (migration 00020)
	gramRare float64
	rows     float64 // enterprises (pg_class.reltuples)
	loading  bool
}

const tokenStatsTTL = 10 * time.Minute

// tokenStatsNow returns the current statistics, nil when there are none
// (never analysed, or not read yet: the first caller starts reading them
// and goes on without). It never waits for the database.
func (s *Store) tokenStatsNow() *tokenSnapshot {
	t := s.tokens
	if t == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if time.Since(t.read) > tokenStatsTTL && !t.loading {
		t.loading = true
		go s.loadTokenStats()
	}
	if t.freq == nil {
		return nil
	}
	return &tokenSnapshot{freq: t.freq, rare: t.rare, skips: t.skips, skipRare: t.skipRare, grams: t.grams, gramRare: t.gramRare, rows: t.rows}
}

func (s *Store) loadTokenStats() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var elems []string
	var freqs []float64
	var rows float64
	err := s.read.QueryRow(ctx, `SELECT coalesce(s.most_common_elems::text::text[], '{}'), coalesce(s.most_common_elem_freqs::float8[], '{}'),
			(SELECT reltuples FROM pg_class WHERE oid = 'enterprises'::regclass)
		FROM pg_stats s WHERE s.schemaname = current_schema() AND s.tablename = 'enterprises' AND s.attname = 'name_bigrams'`).
		Scan(&elems, &freqs, &rows)
	t := s.tokens
	t.mu.Lock()
	defer t.mu.Unlock()
	t.loading, t.read = false, time.Now()
	// most_common_elem_freqs holds one share per element, then the least
	// and the greatest of them and the share of NULLs.
	if err != nil || len(elems) == 0 || len(freqs) < len(elems)+2 || rows <= 0 {
		t.freq = nil
		return
	}
	t.freq = make(map[string]float64, len(elems))
	for i, e := range elems {
		t.freq[e] = freqs[i]
	}
	t.rare, t.rows = freqs[len(elems)], rows
	// The skip pairs' statistics are those of enterprises_similar_idx's
	// expression, whose elements are bigrams and skip tokens (with a '_').
	t.skips, t.skipRare = nil, 0
	if err := s.read.QueryRow(ctx, `SELECT coalesce(s.most_common_elems::text::text[], '{}'), coalesce(s.most_common_elem_freqs::float8[], '{}')
		FROM pg_stats s WHERE s.schemaname = current_schema() AND s.tablename = 'enterprises_similar_idx'`).
		Scan(&elems, &freqs); err == nil && len(elems) > 0 && len(freqs) >= len(elems)+2 {
		t.skips = make(map[string]float64, len(elems))
		for i, e := range elems {
			if strings.Contains(e, "_") {
				t.skips[e] = freqs[i]
			}
		}
		t.skipRare = freqs[len(elems)]
	}
	t.grams, t.gramRare = s.loadGramStats(ctx, rows)
}

// loadGramStats reads the share of enterprises holding each of the most
// common trigrams of search_postings (the planner's most common values of
// its token column, a share of its rows), and the share at most of any
// other (the least common listed); nil when there are none.
func (s *Store) loadGramStats(ctx context.Context, enterprises float64) (map[string]float64, float64) {
	var vals []string
	var freqs []float64
	var postings float64
	if err := s.read.QueryRow(ctx, `SELECT coalesce(s.most_common_vals::text::text[], '{}'), coalesce(s.most_common_freqs::float8[], '{}'),
			(SELECT reltuples FROM pg_class WHERE oid = 'search_postings'::regclass)
		FROM pg_stats s WHERE s.schemaname = current_schema() AND s.tablename = 'search_postings' AND s.attname = 'token'`).
		Scan(&vals, &freqs, &postings); err != nil || len(vals) == 0 || len(freqs) != len(vals) || postings <= 0 {
		return nil, 0
	}
	grams := map[string]float64{}
	least := 1.0
	for i, v := range vals {
		f := freqs[i] * postings / enterprises
		least = min(least, f)
		if utf8.RuneCountInString(v) == 3 {
			grams[v] = f
		}
	}
	return grams, least
}

// tokenSnapshot is one reading of tokenStats.
type tokenSnapshot struct {
	freq     map[string]float64
	rare     float64
	skips    map[string]float64 // nil: no statistics of skip pairs
	skipRare float64
	grams    map[string]float64 // nil: no statistics of trigrams
	gramRare float64
	rows     float64
}

// gramShare estimates the share of enterprises holding a token of
// search_postings, a pair or a trigram: a trigram is held by at most as
// many as hold either of its pairs. Without statistics, package search's
// list of common bigrams decides (a guess).
func (ts *tokenSnapshot) gramShare(token string) float64 {
	r := []rune(token)
	if len(r) == 2 {
		if ts == nil {
			return commonOr0(search.CommonBigram(token))
		}
		return ts.share(token)
	}
	if ts != nil && ts.grams != nil {
		if f, ok := ts.grams[token]; ok {
			return f
		}
		return min(ts.gramRare, ts.share(string(r[:2])), ts.share(string(r[1:])))
	}
	return min(ts.gramShare(string(r[:2])), ts.gramShare(string(r[1:])))
}

// skipShare is the share of names holding skip token t (skipToken).
func (ts *tokenSnapshot) skipShare(t string) float64 {
	if f, ok := ts.skips[t]; ok {
		return f
	}
	return ts.skipRare
}

// similarLookup are the tokens of a similar tier's index lookup for one
// position of the query (search.SimilarSet), as enterprises_similar_idx
// holds them (a skip pair as skipToken writes it): its bigrams and skip
// pair held by at most commonShare of the names — and, when fewer than two
// are, those held by up to similarShare — or the rarest one of them all
// when every one is common.
// Without statistics, package search's lists of common bigrams and skip
// pairs decide.
func similarLookup(set search.SimilarSet, ts *tokenSnapshot) []string {
	share := func(b string) float64 {
		if ts == nil {
			return commonOr0(search.CommonBigram(b))
		}
		return ts.share(b)
	}
	skipShare := func(p string) float64 {
		if ts == nil || ts.skips == nil {
			return commonOr0(search.CommonSkipPair(p))
		}
		return ts.skipShare(skipToken(p))
	}
	type token struct {
		text  string
		share float64
	}
	var all []token
	for _, b := range set.Bigrams {
		all = append(all, token{b, share(b)})
	}
	for _, p := range set.Skips {
		all = append(all, token{skipToken(p), skipShare(p)})
	}
	if len(all) == 0 {
		return nil
	}
	rarest := slices.MinFunc(all, func(a, b token) int { return cmp.Compare(a.share, b.share) })
	// Two rare tokens leave few names that hold both; one may leave
	// thousands (the statistics say only that a token they do not list
	// is held by fewer names than the least common one they do).
	rare := 0
	for _, t := range all {
		if t.share <= commonShare {
			rare++
		}
	}
	limit := commonShare
	if rare < 2 {
		limit = similarShare
	}
	var kept []token
	for _, t := range all {
		if t.share <= limit {
			kept = append(kept, t)
		}
	}
	// The rarest few are enough: GIN decodes each token's posting list
	// in every position that asks for it, and a query's common bigrams
	// (电子, 商务) are asked for by most of its positions.
	if len(kept) > similarLookupMax {
		slices.SortStableFunc(kept, func(a, b token) int { return cmp.Compare(a.share, b.share) })
		kept = kept[:similarLookupMax]
	}
	var tokens []string
	for _, t := range kept {
		tokens = append(tokens, t.text)
	}
	if len(tokens) == 0 {
		tokens = []string{rarest.text}
	}
	// Rare tokens of one side only may be the common end of many names
	// (鼓楼区阿?手机店: 手机, 机店 and 阿_手 are held by 1,059 names, every
	// 阿?手机店, 26 of them hits): a side none of whose bigrams is asked for
	// adds its rarest one if held by at most similarShare of the names.
	// It costs one more posting list to decode, about 0.2-1 ms, where
	// each candidate cut is a heap fetch (docs/BENCHMARKS.md §35).
	for _, side := range [][]string{set.Left, set.Right} {
		if len(side) == 0 || slices.ContainsFunc(side, func(b string) bool { return slices.Contains(tokens, b) }) {
			continue
		}
		r := slices.MinFunc(side, func(a, b string) int { return cmp.Compare(share(a), share(b)) })
		if share(r) <= similarShare {
			tokens = append(tokens, r)
		}
	}
	return tokens
}

// commonOr0 is the share of a token package search's lists call common (a
// guess above commonShare), or 0.
func commonOr0(common bool) float64 {
	if common {
		return 0.5
	}
	return 0
}

func (ts *tokenSnapshot) share(token string) float64 {
	if f, ok := ts.freq[token]; ok {
		return f
	}
	return ts.rare
}

// similarShare: a similar tier's look-up adds the tokens held by up to
// similarShare of the names to its rare ones when it has fewer than two. GIN intersects a look-up's
// tokens itself; a token held by a few percent of the names costs about
// 1 ms to decode (50,000 entries), which pays when it saves fetching
// thousands of names: 厦门市思明区?顺 asks 区_顺 (4,391 names) with 市思,
// 思明, 明区 (1-3 % each), 312 names, 292 of them hits; it does not when the
// rare tokens leave a few hundred (辉健 and 建_健: 178 names, 109 with 商贸
// and 贸有 too, for 1 ms more) (docs/BENCHMARKS.md §31).
const similarShare = 0.1

// similarLookupMax is how many of a position's rare tokens its look-up
// asks for at most, the rarest (before a side's is added).
const similarLookupMax = 3

// commonShare: a token held by more names than this is left out of an
// index lookup when the query has rarer ones.
const commonShare = 0.01

// lookup are the tokens of a query's index lookup: those held by at most
// commonShare of the names, or the rarest one when all are common. Any
// subset of the tokens every match holds finds a superset of the matches
// (each store checks each candidate's tier exactly).
func (ts *tokenSnapshot) lookup(tokens []string) []string {
	if ts == nil {
		return search.LookupBigrams(tokens)
	}
	var rare []string
	for _, t := range tokens {
		if ts.share(t) <= commonShare {
			rare = append(rare, t)
		}
	}
	if len(rare) > 0 || len(tokens) == 0 {
		return rare
	}
	return []string{slices.MinFunc(tokens, func(a, b string) int { return cmp.Compare(ts.share(a), ts.share(b)) })}
}

// similarCandidates estimates how many enterprises the similar tier's
// look-up of q returns (search.go, similarCandidates): for each position,
// the names holding its rarest looked-up token, summed.
func (ts *tokenSnapshot) similarCandidates(q search.Query) float64 {
	n := 0.0
	for _, set := range q.SimilarSets() {
		least := 1.0
		for _, t := range similarLookup(set, ts) {
			if strings.Contains(t, "_") {
				least = min(least, ts.skipShare(t))
			} else {
				least = min(least, ts.share(t))
			}
		}
		n += least * ts.rows
	}
	return n
}

// candidates estimates how many enterprises hold every token (at most as
// many as hold the rarest).
func (ts *tokenSnapshot) candidates(tokens []string) float64 {
	if ts == nil || len(tokens) == 0 {
		return 0
	}
	least := 1.0
	for _, t := range tokens {
		least = min(least, ts.share(t))
	}
	return least * ts.rows
}
