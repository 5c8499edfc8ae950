package postgres

import (
	"context"
	"fmt"
	"strconv"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/search"
	"github.com/creditgraph/creditgraph/internal/store"
)

// search_postings (migration 00016) lists, for each pair of adjacent
// characters of an enterprise's normalised names, the enterprise in rank
// order: (token, cls, closed, uscc), cls 0 when a name is the pair, 1 when
// a name starts with it, 2 when a name only holds it. A search without a
// filter reads it:
//
//   - a 2-character query's page is one range of its index: cls 0, 1, 2
//     are exactly its exact, prefix and contained tiers, each in rank
//     order (searchPair); its count is the number of rows of the pair;
//   - the prefix and contained tiers of a longer query walk the enterprises
//     holding its rarest pair in rank order, testing each, up to
//     Store.pairWalk of them (searchPostingWalk); a tier the walk leaves
//     short is read from the bigram index as before, unless the walk saw
//     every holder of the pair.
//
// A filtered search reads as before (search.go): the filters are columns of
// enterprises, and a walk of a pair's holders in rank order may pass
// thousands of rows the filter refuses.

// postingWalkRows is how many holders of a pair one tier's walk reads
// (Store.pairWalk; tests make it smaller).
const postingWalkRows = 1000

// unfiltered reports whether a search can read search_postings.
func unfiltered(f store.EnterpriseFilter) bool { return f == store.EnterpriseFilter{} }

// pairCls is the cls of search_postings that holds tier t of a
// 2-character query.
func pairCls(t search.Tier) int { return int(search.Exact - t) }

// searchPair reads a page of a 2-character query without a filter: up to
// need hits after the cursor, every tier from the floor up, in one range
// of search_postings_idx.
func (s *Store) searchPair(ctx context.Context, v credit.Visibility, q search.Query,
	from search.Tier, cursor bool, afterRank int, afterUSCC string, need int) ([]search.Hit, error) {
	w := &query{}
	cond := `p.token = ` + w.arg(q.Norm)
	if cursor {
		cond += ` AND (p.cls, p.closed, p.uscc) > (` + w.arg(pairCls(from)) + `::smallint, ` + w.arg(afterRank == 1) + `::boolean, ` + w.arg(afterUSCC) + `)`
	}
	if least := max(q.Floor, search.Contained); least > search.Contained {
		cond += ` AND p.cls <= ` + w.arg(pairCls(least))
	}
	sql := `SELECT ` + enterpriseColumns + `, h.cls FROM (
			SELECT p.uscc, p.cls, p.closed FROM search_postings p WHERE ` + cond + `
			ORDER BY p.cls, p.closed, p.uscc LIMIT ` + w.arg(need) + `) h
		JOIN enterprises e ON e.uscc = h.uscc ORDER BY h.cls, h.closed, h.uscc`
	rows, err := s.q.Query(ctx, sql, w.args...)
	if err != nil {
		return nil, wrap("search enterprises", err)
	}
	defer rows.Close()
	hits := []search.Hit{}
	for rows.Next() {
		var cls int16
		e, err := scanEnterprise(scanWith{rows, &cls})
		if err != nil {
			return nil, wrap("search enterprises", err)
		}
		m := q.Match(e.USCC, e.Name, e.FormerNames)
		if pairCls(m.Tier) != int(cls) {
			return nil, fmt.Errorf("postgres: search enterprises: %s ranks %v in search_postings (cls %d), %v in Go", e.USCC, search.Exact-search.Tier(cls), cls, m.Tier)
		}
		hits = append(hits, search.Hit{Enterprise: s.policy.ViewEnterprise(v, e), Match: m})
	}
	return hits, wrap("search enterprises", rows.Err())
}

// scanWith scans a row's last columns into extra and the rest as the
// wrapped scanner would.
type scanWith struct {
	row   interface{ Scan(...any) error }
	extra *int16
}

func (r scanWith) Scan(dest ...any) error { return r.row.Scan(append(dest, r.extra)...) }

// walkToken is the pair of q whose holders a walk reads: the rarest by the
// token statistics (the first of the equally rare), or without them the
// first not in package search's list of common bigrams.
func walkToken(q search.Query, ts *tokenSnapshot) string {
	pairs := search.Bigrams(q.Norm)
	if ts == nil {
		return search.LookupBigrams(pairs)[0]
	}
	best := pairs[0]
	for _, p := range pairs[1:] {
		if ts.share(p) < ts.share(best) {
			best = p
		}
	}
	return best
}

// searchPostingWalk reads up to need hits of tier t (Prefix or Contained)
// of a query of 3 or more characters without a filter, after the cursor:
// the holders of its rarest pair in rank order, at most postingWalkRows of
// them, each tested. complete is true when the hits are all the tier has
// (the page is full, or the walk read every holder of the pair).
func (s *Store) searchPostingWalk(ctx context.Context, v credit.Visibility, q search.Query, ts *tokenSnapshot, t search.Tier,
	cursor bool, afterRank int, afterUSCC string, need int) (hits []search.Hit, complete bool, err error) {
	w := &query{}
	token := walkToken(q, ts)
	after := ``
	if cursor {
		after = ` AND (p.closed, p.uscc) > (` + w.arg(afterRank == 1) + `::boolean, ` + w.arg(afterUSCC) + `)`
	}
	tok, lim := w.arg(token), w.arg(s.pairWalk)
	walkArgs := len(w.args)
	// One ordered range per class, merged (Merge Append): the index orders
	// by class first. A name starting with the query starts with its
	// first pair, so the prefix tier walks only classes 0 and 1 of it.
	classes := []int{0, 1, 2}
	if t == search.Prefix && token == string([]rune(q.Norm)[:2]) {
		classes = classes[:2]
	}
	walk := ``
	for i, c := range classes {
		if i > 0 {
			walk += ` UNION ALL `
		}
		walk += `(SELECT p.uscc, p.closed FROM search_postings p WHERE p.token = ` + tok + ` AND p.cls = ` + strconv.Itoa(c) + after +
			` ORDER BY p.closed, p.uscc LIMIT ` + lim + `)`
	}
	sq := newSearchSQL(w, q, ts)
	// Not materialised: the planner then knows the walk's order, joins
	// each holder in turn (nested loop) and stops at need.
	sql := `SELECT ` + enterpriseColumns + ` FROM (SELECT * FROM (` + walk + `) a ORDER BY a.closed, a.uscc LIMIT ` + lim + `) w
		JOIN enterprises e ON e.uscc = w.uscc
		WHERE ` + sq.tierFrom(t) + ` = ` + w.arg(int(t)) + ` ORDER BY w.closed, w.uscc LIMIT ` + w.arg(need)
	hits, err = s.scanHits(ctx, q, v, t, sql, w.args)
	if err != nil || len(hits) == need {
		return hits, err == nil, err
	}
	// Short: complete if the walk read every holder of the pair.
	var walked int
	err = s.q.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM (`+walk+`) a LIMIT `+lim+`) n`, w.args[:walkArgs]...).Scan(&walked)
	return hits, walked < s.pairWalk, wrap("search enterprises", err)
}

// countPair counts the enterprises a 2-character query finds without a
// filter: every holder of the pair, in one tier or another.
func (s *Store) countPair(ctx context.Context, q search.Query) (int, error) {
	var n int
	err := s.q.QueryRow(ctx, `SELECT count(*) FROM search_postings WHERE token = $1`, q.Norm).Scan(&n)
	return n, wrap("count search enterprises", err)
}
