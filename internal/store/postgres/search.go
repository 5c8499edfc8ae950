package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/search"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Name search reads the columns of migration 00003. A page is read tier by
// tier, best first (exact, prefix, contained, similar), each tier with its
// own statement ordered like search.Compare (operating first, then USCC)
// and stopping once the page is full, so a query that many names contain
// never sorts them all: a tier's few candidates are collected from the
// indexes, or enterprises are walked in rank order in
// enterprises_search_walk_idx and filtered; the token statistics
// (search_stats.go) choose which, and which tokens to look up. The
// tier of each row is computed in SQL only to select it; what a hit reports
// (tier, matched name) is computed again by package search, which must
// agree.

// searchSQL builds one statement's search conditions; each argument is
// added to w the first time it is used (PostgreSQL refuses a parameter no
// condition names).
type searchSQL struct {
	w    *query
	q    search.Query
	ts   *tokenSnapshot // nil: no statistics, package search's list of common bigrams
	args map[string]string
}

func newSearchSQL(w *query, q search.Query, ts *tokenSnapshot) *searchSQL {
	return &searchSQL{w: w, q: q, ts: ts, args: map[string]string{}}
}

// lookupTokens are what the index is asked for tier t's candidates
// (Prefix or Contained): the query's rare bigrams, and for Prefix its start
// token (search.Query.PrefixTokens).
func lookupTokens(q search.Query, ts *tokenSnapshot, t search.Tier) []string {
	if t == search.Prefix {
		if ts == nil {
			return q.PrefixTokens()
		}
		all := search.Bigrams(q.Norm)
		for _, r := range q.Norm {
			all = append(all, search.StartToken(r))
			break
		}
		return ts.lookup(all)
	}
	return ts.lookup(search.Bigrams(q.Norm))
}

func (s *searchSQL) arg(name string) string {
	if p, ok := s.args[name]; ok {
		return p
	}
	var v any
	cast := "::text"
	switch name {
	case "norm":
		v = s.q.Norm
	case "prefix":
		v = s.q.Norm + "%"
	case "code":
		v = s.q.Code
	case "codePrefix":
		v = s.q.Code + "%"
	case "bigrams":
		v, cast = lookupTokens(s.q, s.ts, search.Contained), "::text[]"
	case "prefixTokens":
		v, cast = lookupTokens(s.q, s.ts, search.Prefix), "::text[]"
	case "similarPatterns":
		v, cast = s.q.SimilarPatterns(), "::text[]"
	default:
		panic("postgres: search argument " + name)
	}
	p := s.w.arg(v) + cast
	s.args[name] = p
	return p
}

// similarCandidates: names holding the tokens of one of the query's
// search.SimilarSets (those similarLookup keeps), ORed over its positions:
// one look-up of enterprises_similar_idx per position, which intersects
// the position's bigrams and skip pair inside the index (migration 00021).
func (s *searchSQL) similarCandidates() string {
	var parts []string
	seen := map[string]bool{}
	for _, set := range s.q.SimilarSets() {
		tokens := similarLookup(set, s.ts)
		if k := strings.Join(tokens, ","); !seen[k] {
			seen[k] = true
			parts = append(parts, similarTokensExpr+` @> `+s.w.arg(tokens)+`::text[]`)
		}
	}
	return strings.Join(parts, ` OR `)
}

// similarTokensExpr is the expression enterprises_similar_idx indexes
// (migration 00021): a name's bigrams and start tokens, and its skip pairs
// as skipToken writes them.
const similarTokensExpr = `search_similar_tokens(e.name_bigrams, e.name_norm, e.former_norm)`

// skipToken is skip pair p (search.SkipPairs) as enterprises_similar_idx
// holds it: its two characters with '_' between, never a bigram.
func skipToken(p string) string {
	r := []rune(p)
	return string(r[0]) + "_" + string(r[1:])
}

// formerHas is true when one of e's former names meets cond. Most
// enterprises have none, and the test of the empty array comes first: a
// subplan over unnest costs its set-up on every row it runs for, which
// was most of a walk of 1,000 names (four subplans a row).
func formerHas(cond string) string {
	return `(e.former_norm <> '{}' AND EXISTS (SELECT 1 FROM unnest(e.former_norm) f WHERE ` + cond + `))`
}

func (s *searchSQL) exact() string {
	c := `e.name_norm = ` + s.arg("norm") + ` OR e.former_norm @> ARRAY[` + s.arg("norm") + `]`
	if s.q.Code != "" {
		c += ` OR e.uscc = ` + s.arg("code")
	}
	return `(` + c + `)`
}

func (s *searchSQL) prefix() string {
	c := `e.name_norm LIKE ` + s.arg("prefix") + ` OR ` + formerHas(`f LIKE `+s.arg("prefix"))
	if s.q.Code != "" {
		c += ` OR e.uscc LIKE ` + s.arg("codePrefix")
	}
	return `(` + c + `)`
}

// tier is the CASE giving a row's tier, 0 for no match.
func (s *searchSQL) tier() string { return s.tierFrom(search.Similar) }

// tierFrom is the CASE giving a row's tier when it is least or better, 0
// otherwise: a test for one tier (= least) needs no branch below it, and
// the similar tier's branch (a LIKE per position of the query, each with
// a leading %) is most of what a walk of 1,000 names costs.
func (s *searchSQL) tierFrom(least search.Tier) string {
	t := `CASE WHEN ` + s.exact() + ` THEN 4`
	if least <= search.Prefix {
		t += ` WHEN ` + s.prefix() + ` THEN 3`
	}
	if least <= search.Contained {
		t += ` WHEN strpos(e.name_norm, ` + s.arg("norm") + `) > 0 OR ` + formerHas(`strpos(f, `+s.arg("norm")+`) > 0`) + ` THEN 2`
	}
	if least <= search.Similar && s.q.Runes() >= search.SimilarMin {
		t += ` WHEN e.name_norm LIKE ANY(` + s.arg("similarPatterns") + `) OR ` + formerHas(`f LIKE ANY(`+s.arg("similarPatterns")+`)`) + ` THEN 1`
	}
	return t + ` ELSE 0 END`
}

// candidates is an indexable superset of the rows of tier t (None: of
// every tier); ok is false when the query has no such tier.
func (s *searchSQL) candidates(t search.Tier) (string, bool) {
	similar := s.q.Runes() >= search.SimilarMin
	switch t {
	case search.Exact:
		return s.exact(), true
	case search.Prefix:
		// Every name starting with the query, former ones included, holds
		// its start token and bigrams: rare together even when each
		// bigram is common (有限, 公司).
		c := similarTokensExpr + ` @> ` + s.arg("prefixTokens")
		if s.q.Code != "" {
			c += ` OR e.uscc LIKE ` + s.arg("codePrefix")
		}
		return `(` + c + `)`, true
	case search.Contained:
		return similarTokensExpr + ` @> ` + s.arg("bigrams"), true
	case search.Similar:
		return `(` + s.similarCandidates() + `)`, similar
	}
	c := similarTokensExpr + ` @> ` + s.arg("bigrams")
	if s.q.Code != "" {
		c += ` OR e.uscc LIKE ` + s.arg("codePrefix")
	}
	if similar {
		c += ` OR ` + s.similarCandidates()
	}
	return `(` + c + `)`, true
}

// SearchEnterprises pages through the enterprises matching q in
// search.Compare's order.
func (s *Store) SearchEnterprises(ctx context.Context, v credit.Visibility, q search.Query, f store.EnterpriseFilter, p store.Page) (store.Connection[search.Hit], error) {
	fp := store.SearchFingerprint(q, f)
	var c store.Connection[search.Hit]
	from, afterRank, afterUSCC := search.Exact, -1, ""
	if p.After != "" {
		key, err := store.DecodeCursor(p.After, store.CursorSearch, fp, 3)
		if err != nil {
			return c, err
		}
		t, err1 := strconv.Atoi(key[0])
		r, err2 := strconv.Atoi(key[1])
		if err1 != nil || err2 != nil || t < int(search.Similar) || t > int(search.Exact) || r < 0 || r > 1 {
			return c, fmt.Errorf("%w: bad search position", store.ErrBadCursor)
		}
		from, afterRank, afterUSCC = search.Tier(t), r, key[2]
	}
	limit := p.Limit()
	ts := s.tokenStatsNow()
	byTier := true
	switch {
	case unfiltered(f) && oneToken(q):
		hits, err := s.searchPair(ctx, v, q, from, afterRank >= 0, afterRank, afterUSCC, limit+1)
		if err != nil {
			return c, err
		}
		c.Items, byTier = hits, false
	case p.After == "" && wholeFits(q, ts, limit+1):
		hits, err := s.searchWhole(ctx, v, q, f, ts, limit+1)
		if err != nil {
			return c, err
		}
		c.Items, byTier = hits, false
	}
	for t := from; byTier && t >= max(search.Similar, q.Floor) && len(c.Items) <= limit; t-- {
		if t == search.Similar && q.Runes() < search.SimilarMin {
			break // no such tier
		}
		cursor := t == from && afterRank >= 0
		need := limit + 1 - len(c.Items)
		var hits []search.Hit
		var err error
		read := tierReadFor(q, ts, t, need)
		// A code prefix is no token of a name: a query that may be one
		// reads its prefix tier as before. The similar tier reads the
		// bigram and skip-pair indexes as before: its walks (one per
		// position of the query) met candidates by the ten thousand when
		// the query's start is common (厦门市湖里区立福 with 区 wrong:
		// every name of the district), docs/BENCHMARKS.md §27.
		// A short query walks even a tier the statistics think small: it
		// fetches only the rows that hold the query's trigrams, where the
		// bigram index's candidates (建食品有: 948 names hold 建食) were
		// each fetched and tested. A longer one's rare bigrams leave the
		// index few candidates, and its walks (a statement and a count
		// per tier) made 8-character queries 1.5x slower (§27).
		if unfiltered(f) && (t == search.Contained || t == search.Prefix && q.Code == "") &&
			(read != readIndex || q.Runes() < search.SimilarMin) {
			read = readPostingsThenIndex
		}
		if need == 1 && !cursor && (read == readIndex || read == readWalkThenIndex) {
			// The page is full: the tier is asked only whether it holds
			// more (hasNextPage), which its first candidate that is a
			// hit answers; the index path would fetch and sort them all
			// (城茶叶专业合作社: 8,065 similar names for a page of
			// contained ones).
			more, err := s.searchTierAny(ctx, v, q, f, ts, t)
			if err != nil {
				return c, err
			}
			if more {
				c.HasNext = true
				break
			}
			continue
		}
		switch read {
		case readPostingsThenIndex:
			var complete bool
			hits, complete, err = s.searchGramWalk(ctx, v, q, ts, t, cursor, afterRank, afterUSCC, need)
			if err == nil && !complete {
				hits, err = s.searchTier(ctx, v, q, f, ts, t, cursor, afterRank, afterUSCC, need, 0)
			}
		case readLead:
			hits, err = s.searchLeadPrefix(ctx, v, q, f, ts, cursor, afterRank, afterUSCC, need)
		case readWalk:
			hits, err = s.searchTier(ctx, v, q, f, ts, t, cursor, afterRank, afterUSCC, need, -1)
		case readWalkThenIndex:
			hits, err = s.searchTier(ctx, v, q, f, ts, t, cursor, afterRank, afterUSCC, need, walkRows)
			if err == nil && len(hits) < need {
				hits, err = s.searchTier(ctx, v, q, f, ts, t, cursor, afterRank, afterUSCC, need, 0)
			}
		default:
			hits, err = s.searchTier(ctx, v, q, f, ts, t, cursor, afterRank, afterUSCC, need, 0)
		}
		if err != nil {
			return c, err
		}
		c.Items = append(c.Items, hits...)
	}
	if len(c.Items) > limit {
		c.Items, c.HasNext = c.Items[:limit], true
	}
	for _, h := range c.Items {
		c.Cursors = append(c.Cursors, store.EncodeCursor(store.CursorSearch, fp, h.SortKey()...))
	}
	return c, nil
}

// How a tier is read.
type tierRead int

const (
	// readIndex: the index's candidates, each checked and all sorted.
	readIndex tierRead = iota
	// readWalkThenIndex: the first walkRows enterprises in rank order,
	// which hold the page if the tier's names are many and spread; else
	// the index.
	readWalkThenIndex
	// readWalk: enterprises in rank order until the page is full; for a
	// short query whose tokens are all common, whose index lookup would
	// fetch and sort tens of thousands of rows. Names are not spread
	// evenly in rank order (USCCs start with the region, names often
	// with the city), so the first walkRows may hold none of them.
	readWalk
	// readLead: the prefix tier of a 2-character query, current names in
	// rank order by their first two characters (enterprises_search_lead_idx)
	// and former names from the bigram index of the enterprises that have
	// any (migration 00011).
	readLead
	// readPostingsThenIndex: without a filter, the holders of the query's
	// rarest trigram in rank order that hold its next rarest ones too
	// (search_walk.go), up to postingWalkRows holders; else the index.
	readPostingsThenIndex
)

const (
	// walkRows is how many enterprises, in rank order, readWalkThenIndex
	// reads before it leaves the tier to the index.
	walkRows = 1000
	// indexOnlyMax: a tier with fewer candidates than this (by the token
	// statistics) is read from the index at once.
	indexOnlyMax = 2000
	// walkAllMin: a tier of a query of at most walkAllRunes characters
	// with this many candidates or more is walked.
	walkAllMin   = 50000
	walkAllRunes = 4
)

// tierReadFor chooses how tier t of q is read for need hits. Without
// statistics, as before they were used: the first walkRows, then the
// index.
func tierReadFor(q search.Query, ts *tokenSnapshot, t search.Tier, need int) tierRead {
	switch {
	case t == search.Exact:
		return readIndex
	case t == search.Prefix && q.Runes() == 2 && q.Code == "":
		return readLead
	case ts == nil:
		return readWalkThenIndex
	case t == search.Similar:
		// The first walkRows names in rank order can hold need hits only
		// if the tier holds need of every walkRows names; a tier the
		// index finds fewer candidates for is read from it at once (an
		// 8-character query: a walk of 1,000 names testing 8 patterns
		// each found nothing, then the index did the work). A generic
		// one (峡文化传媒有限公, 5,585 names hold 文化传媒有限公) still walks.
		if ts.similarCandidates(q)*walkRows < float64(need)*ts.rows {
			return readIndex
		}
		return readWalkThenIndex
	}
	n := ts.candidates(lookupTokens(q, ts, t))
	switch {
	case n >= walkAllMin && q.Runes() <= walkAllRunes:
		return readWalk
	case n < indexOnlyMax:
		return readIndex
	}
	return readWalkThenIndex
}

// searchTier reads up to need hits of tier t after the cursor, in rank
// order: from the index's candidates (walk 0), by walking the first walk
// enterprises in rank order, or all of them until need are found (walk
// < 0).
func (s *Store) searchTier(ctx context.Context, v credit.Visibility, q search.Query, f store.EnterpriseFilter, ts *tokenSnapshot, t search.Tier,
	cursor bool, afterRank int, afterUSCC string, need int, walk int) ([]search.Hit, error) {
	w := s.enterpriseWhere(v, f)
	if cursor {
		w.add(`((e.status <> 'operating'), e.uscc) > (` + w.arg(afterRank == 1) + `::boolean, ` + w.arg(afterUSCC) + `)`)
	}
	const order = ` ORDER BY (e.status <> 'operating'), e.uscc`
	sq := newSearchSQL(w, q, ts)
	var sql string
	if walk != 0 {
		// The walk reads enterprises_search_walk_idx alone (it holds the
		// names and the region), then the table for the hits only.
		// The outer query orders by the walk's own columns, so it streams
		// the walk's order (no sort) and stops at need.
		walked := `SELECT e.uscc, (e.status <> 'operating') AS closed, e.name_norm, e.former_norm FROM enterprises e` + w.where() + order
		if walk > 0 {
			walked += ` LIMIT ` + w.arg(walk)
		}
		hits := `SELECT e.uscc FROM (` + walked + `) e WHERE ` + sq.tierFrom(t) + ` = ` + w.arg(int(t)) + ` ORDER BY e.closed, e.uscc LIMIT ` + w.arg(need)
		sql = `SELECT ` + enterpriseColumns + ` FROM enterprises e JOIN (` + hits + `) h ON h.uscc = e.uscc` + order
	} else {
		cand, ok := sq.candidates(t)
		if !ok {
			return nil, nil // no similar tier for a short query
		}
		w.add(cand)
		w.add(sq.tierFrom(t) + ` = ` + w.arg(int(t)))
		// Every candidate first (MATERIALIZED), then the page: else the
		// planner may walk the rank-order index with the candidates'
		// condition as a filter, expecting the page among the first rows,
		// and read a million (5 s for a rare pair such as 区阿).
		sql = `WITH c AS MATERIALIZED (SELECT e.uscc, (e.status <> 'operating') AS closed FROM enterprises e` + w.where() + `)
			SELECT ` + enterpriseColumns + ` FROM enterprises e
			JOIN (SELECT c.uscc FROM c ORDER BY c.closed, c.uscc LIMIT ` + w.arg(need) + `) h ON h.uscc = e.uscc` + order
	}
	return s.scanHits(ctx, q, v, t, sql, w.args)
}

// searchTierAny reports whether tier t of q holds any enterprise (no
// cursor: it is asked once a page is full). The candidates are read in a
// MATERIALIZED CTE, planned for all of them (index look-ups, never a scan
// of the table in the hope of an early hit), and read only up to the
// first hit.
func (s *Store) searchTierAny(ctx context.Context, v credit.Visibility, q search.Query, f store.EnterpriseFilter, ts *tokenSnapshot, t search.Tier) (bool, error) {
	w := s.enterpriseWhere(v, f)
	sq := newSearchSQL(w, q, ts)
	cand, ok := sq.candidates(t)
	if !ok {
		return false, nil
	}
	w.add(cand)
	w.add(sq.tierFrom(t) + ` = ` + w.arg(int(t)))
	var more bool
	err := s.q.QueryRow(ctx, `WITH c AS MATERIALIZED (SELECT e.uscc FROM enterprises e`+w.where()+`) SELECT EXISTS (SELECT 1 FROM c)`, w.args...).Scan(&more)
	return more, wrap("search enterprises", err)
}

// scanHits runs a statement selecting enterpriseColumns, all of tier t.
func (s *Store) scanHits(ctx context.Context, q search.Query, v credit.Visibility, t search.Tier, sql string, args []any) ([]search.Hit, error) {
	rows, err := s.q.Query(ctx, sql, args...)
	if err != nil {
		return nil, wrap("search enterprises", err)
	}
	defer rows.Close()
	hits := []search.Hit{}
	for rows.Next() {
		e, err := scanEnterprise(rows)
		if err != nil {
			return nil, wrap("search enterprises", err)
		}
		m := q.Match(e.USCC, e.Name, e.FormerNames)
		if m.Tier != t {
			return nil, fmt.Errorf("postgres: search enterprises: %s ranks %v in SQL, %v in Go", e.USCC, t, m.Tier)
		}
		hits = append(hits, search.Hit{Enterprise: s.policy.ViewEnterprise(v, e), Match: m})
	}
	return hits, wrap("search enterprises", rows.Err())
}

// searchLeadPrefix reads up to need hits of the prefix tier of a
// 2-character query after the cursor, in rank order (readLead). A hit's
// current name starts with the query (the first part, read in rank order
// from enterprises_search_lead_idx) or one of its former names does (it
// has former names and holds the query's prefix tokens: the second part,
// from enterprises_former_bigrams_idx); a hit in both is one row.
func (s *Store) searchLeadPrefix(ctx context.Context, v credit.Visibility, q search.Query, f store.EnterpriseFilter, ts *tokenSnapshot,
	cursor bool, afterRank int, afterUSCC string, need int) ([]search.Hit, error) {
	w := s.enterpriseWhere(v, f)
	if cursor {
		w.add(`((e.status <> 'operating'), e.uscc) > (` + w.arg(afterRank == 1) + `::boolean, ` + w.arg(afterUSCC) + `)`)
	}
	sq := newSearchSQL(w, q, ts)
	w.add(sq.tierFrom(search.Prefix) + ` = ` + w.arg(int(search.Prefix)))
	const order = ` ORDER BY (e.status <> 'operating'), e.uscc`
	n := w.arg(need)
	lead := w.whereAnd(`left(e.name_norm, 2) = ` + sq.arg("norm"))
	former := w.whereAnd(`e.former_norm <> '{}' AND e.name_bigrams @> ` + sq.arg("prefixTokens"))
	sql := `WITH f AS MATERIALIZED (SELECT e.uscc, (e.status <> 'operating') AS closed FROM enterprises e` + former + `)
		SELECT ` + enterpriseColumns + ` FROM enterprises e WHERE e.uscc IN (
			(SELECT e.uscc FROM enterprises e` + lead + order + ` LIMIT ` + n + `)
			UNION ALL (SELECT f.uscc FROM f ORDER BY f.closed, f.uscc LIMIT ` + n + `))` + order + ` LIMIT ` + n
	return s.scanHits(ctx, q, v, search.Prefix, sql, w.args)
}

// CountSearchEnterprises counts what SearchEnterprises pages through.
func (s *Store) CountSearchEnterprises(ctx context.Context, v credit.Visibility, q search.Query, f store.EnterpriseFilter) (int, error) {
	if unfiltered(f) && oneToken(q) {
		return s.countPair(ctx, q)
	}
	w := s.enterpriseWhere(v, f)
	sq := newSearchSQL(w, q, s.tokenStatsNow())
	cand, _ := sq.candidates(search.None)
	w.add(cand)
	w.add(sq.tier() + ` > 0`)
	var n int
	if err := s.q.QueryRow(ctx, `SELECT count(*) FROM enterprises e`+w.where(), w.args...).Scan(&n); err != nil {
		return 0, wrap("count search enterprises", err)
	}
	return n, nil
}
