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
// never sorts them all: the planner either collects a tier's few candidates
// from the indexes or walks enterprises_search_order_idx and filters. The
// tier of each row is computed in SQL only to select it; what a hit reports
// (tier, matched name) is computed again by package search, which must
// agree.

// searchSQL builds one statement's search conditions; each argument is
// added to w the first time it is used (PostgreSQL refuses a parameter no
// condition names).
type searchSQL struct {
	w    *query
	q    search.Query
	args map[string]string
}

func newSearchSQL(w *query, q search.Query) *searchSQL {
	return &searchSQL{w: w, q: q, args: map[string]string{}}
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
		v, cast = search.LookupBigrams(search.Bigrams(s.q.Norm)), "::text[]"
	case "prefixTokens":
		v, cast = s.q.PrefixTokens(), "::text[]"
	case "similarPatterns":
		v, cast = s.q.SimilarPatterns(), "::text[]"
	default: // "similar0", "similar1", …: search.Query.SimilarBigramSets
		i, _ := strconv.Atoi(strings.TrimPrefix(name, "similar"))
		v, cast = s.q.SimilarBigramSets()[i], "::text[]"
	}
	p := s.w.arg(v) + cast
	s.args[name] = p
	return p
}

// similarCandidates: names holding every bigram of the query but those
// touching one position (search.Query.SimilarBigramSets), ORed.
func (s *searchSQL) similarCandidates() string {
	var parts []string
	for i := range s.q.SimilarBigramSets() {
		parts = append(parts, `e.name_bigrams @> `+s.arg("similar"+strconv.Itoa(i)))
	}
	return strings.Join(parts, ` OR `)
}

func formerHas(cond string) string {
	return `EXISTS (SELECT 1 FROM unnest(e.former_norm) f WHERE ` + cond + `)`
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
		c := `e.name_bigrams @> ` + s.arg("prefixTokens")
		if s.q.Code != "" {
			c += ` OR e.uscc LIKE ` + s.arg("codePrefix")
		}
		return `(` + c + `)`, true
	case search.Contained:
		return `e.name_bigrams @> ` + s.arg("bigrams"), true
	case search.Similar:
		return `(` + s.similarCandidates() + `)`, similar
	}
	c := `e.name_bigrams @> ` + s.arg("bigrams")
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
	for t := from; t >= max(search.Similar, q.Floor) && len(c.Items) <= limit; t-- {
		cursor := t == from && afterRank >= 0
		need := limit + 1 - len(c.Items)
		var hits []search.Hit
		var err error
		if t != search.Exact {
			// A tier that many names reach (有限, 福州) is found fastest
			// by walking enterprises in rank order: the first walkRows
			// hold the first matches if there are many. Too few there: the
			// candidates are few, ask the index for them.
			hits, err = s.searchTier(ctx, v, q, f, t, cursor, afterRank, afterUSCC, need, true)
			if err == nil && len(hits) < need {
				hits = nil
			}
		}
		if hits == nil && err == nil {
			hits, err = s.searchTier(ctx, v, q, f, t, cursor, afterRank, afterUSCC, need, false)
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

// walkRows is how many enterprises, in rank order, a tier's walk reads
// before it leaves the tier to the index.
const walkRows = 1000

// searchTier reads up to need hits of tier t after the cursor, in rank
// order: by walking the first walkRows enterprises in rank order (walk),
// or from the index's candidates.
func (s *Store) searchTier(ctx context.Context, v credit.Visibility, q search.Query, f store.EnterpriseFilter, t search.Tier,
	cursor bool, afterRank int, afterUSCC string, need int, walk bool) ([]search.Hit, error) {
	w := s.enterpriseWhere(v, f)
	if cursor {
		w.add(`((e.status <> 'operating'), e.uscc) > (` + w.arg(afterRank == 1) + `::boolean, ` + w.arg(afterUSCC) + `)`)
	}
	const order = ` ORDER BY (e.status <> 'operating'), e.uscc LIMIT `
	sq := newSearchSQL(w, q)
	var sql string
	if walk {
		// The walk reads enterprises_search_walk_idx alone (it holds the
		// names and the region), then the table for the hits only.
		walked := `SELECT e.uscc, e.status, e.name_norm, e.former_norm FROM enterprises e` + w.where() + order + w.arg(walkRows)
		hits := `SELECT e.uscc FROM (` + walked + `) e WHERE ` + sq.tierFrom(t) + ` = ` + w.arg(int(t)) + order + w.arg(need)
		sql = `SELECT ` + enterpriseColumns + ` FROM enterprises e JOIN (` + hits + `) h ON h.uscc = e.uscc
			ORDER BY (e.status <> 'operating'), e.uscc`
	} else {
		cand, ok := sq.candidates(t)
		if !ok {
			return nil, nil // no similar tier for a short query
		}
		w.add(cand)
		w.add(sq.tierFrom(t) + ` = ` + w.arg(int(t)))
		sql = `SELECT ` + enterpriseColumns + ` FROM enterprises e` + w.where() + order + w.arg(need)
	}
	rows, err := s.q.Query(ctx, sql, w.args...)
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

// CountSearchEnterprises counts what SearchEnterprises pages through.
func (s *Store) CountSearchEnterprises(ctx context.Context, v credit.Visibility, q search.Query, f store.EnterpriseFilter) (int, error) {
	w := s.enterpriseWhere(v, f)
	sq := newSearchSQL(w, q)
	cand, _ := sq.candidates(search.None)
	w.add(cand)
	w.add(sq.tier() + ` > 0`)
	var n int
	if err := s.q.QueryRow(ctx, `SELECT count(*) FROM enterprises e`+w.where(), w.args...).Scan(&n); err != nil {
		return 0, wrap("count search enterprises", err)
	}
	return n, nil
}
