package postgres

import (
	"context"
	"fmt"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/search"
	"github.com/creditgraph/creditgraph/internal/store"
)

// A first page of a query whose every tier is read from the index
// (tierReadFor: the statistics find few candidates for each) is read in
// one statement (searchWhole) rather than one per tier: the exact, prefix
// and contained tiers' candidates at once (the contained tier's look-up
// finds the others': a name equal to or starting with the query holds
// every one of its bigrams), each tested once for its tier, then — only
// if those leave the page short — the similar tier's. Read tier by tier,
// such a query cost four statements, each parsed, planned and run (about
// 1.5 ms each at 1,000,000 enterprises), where most 8-character queries
// have no exact or prefix hit and a few contained ones
// (docs/BENCHMARKS.md §35).

// wholeFits reports whether the first page of q can be read by searchWhole.
func wholeFits(q search.Query, ts *tokenSnapshot, need int) bool {
	if ts == nil || q.Runes() < search.SimilarMin {
		return false
	}
	for _, t := range []search.Tier{search.Prefix, search.Contained, search.Similar} {
		if t >= q.Floor && tierReadFor(q, ts, t, need) != readIndex {
			return false
		}
	}
	return true
}

// searchWhole reads the first need hits of q of every tier from the floor
// up, best tier first, in one statement. The similar tier is the second
// arm of a UNION ALL under the LIMIT: PostgreSQL runs an arm only when
// the rows before it leave the limit short, and a MATERIALIZED CTE only
// when it is read, so a page the upper tiers fill never looks the similar
// tier up.
func (s *Store) searchWhole(ctx context.Context, v credit.Visibility, q search.Query, f store.EnterpriseFilter, ts *tokenSnapshot, need int) ([]search.Hit, error) {
	w := s.enterpriseWhere(v, f)
	base := w.where()
	and := ` WHERE `
	if base != "" {
		and = base + ` AND `
	}
	sq := newSearchSQL(w, q, ts)
	upper := sq.exact() + ` OR ` + similarTokensExpr + ` @> ` + sq.arg("bigrams")
	if q.Code != "" {
		upper += ` OR e.uscc LIKE ` + sq.arg("codePrefix")
	}
	floor := w.arg(int(max(search.Contained, q.Floor)))
	sql := `WITH u AS MATERIALIZED (SELECT e.uscc, (e.status <> 'operating') AS closed, ` + sq.tierFrom(search.Contained) + ` AS tier
			FROM enterprises e` + and + `(` + upper + `))`
	arms := `(SELECT u.uscc, u.closed, u.tier FROM u WHERE u.tier >= ` + floor + ` ORDER BY u.tier DESC, u.closed, u.uscc)`
	if q.Floor <= search.Similar { // q has a similar tier (wholeFits)
		cand, _ := sq.candidates(search.Similar)
		sim := w.arg(int(search.Similar))
		sql += `, s AS MATERIALIZED (SELECT e.uscc, (e.status <> 'operating') AS closed FROM enterprises e` + and + cand +
			` AND ` + sq.tierFrom(search.Similar) + ` = ` + sim + `)`
		arms += ` UNION ALL (SELECT s.uscc, s.closed, ` + sim + `::int FROM s ORDER BY s.closed, s.uscc)`
	}
	sql += ` SELECT ` + enterpriseColumns + `, h.tier::smallint FROM enterprises e
		JOIN (SELECT * FROM (` + arms + `) a LIMIT ` + w.arg(need) + `) h ON h.uscc = e.uscc ORDER BY h.tier DESC, h.closed, h.uscc`
	return s.scanTieredHits(ctx, q, v, sql, w.args, func(t int16) search.Tier { return search.Tier(t) })
}

// scanTieredHits runs a statement selecting enterpriseColumns and a
// smallint from which tierOf gives the row's tier in SQL; package search
// must rank the row alike.
func (s *Store) scanTieredHits(ctx context.Context, q search.Query, v credit.Visibility, sql string, args []any, tierOf func(int16) search.Tier) ([]search.Hit, error) {
	rows, err := s.q.Query(ctx, sql, args...)
	if err != nil {
		return nil, wrap("search enterprises", err)
	}
	defer rows.Close()
	hits := []search.Hit{}
	for rows.Next() {
		var col int16
		e, err := scanEnterprise(scanWith{rows, &col})
		if err != nil {
			return nil, wrap("search enterprises", err)
		}
		m := q.Match(e.USCC, e.Name, e.FormerNames)
		if t := tierOf(col); m.Tier != t {
			return nil, fmt.Errorf("postgres: search enterprises: %s ranks %v in SQL, %v in Go", e.USCC, t, m.Tier)
		}
		hits = append(hits, search.Hit{Enterprise: s.policy.ViewEnterprise(v, e), Match: m})
	}
	return hits, wrap("search enterprises", rows.Err())
}
