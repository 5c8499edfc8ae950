package postgres

import (
	"context"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/search"
	"github.com/creditgraph/creditgraph/internal/store"
)

// search_postings (migrations 00016 and 00020) lists, for each pair and
// each run of three adjacent characters (trigram) of an enterprise's
// normalised names, the enterprise in rank order: (token, cls, closed,
// uscc), cls 0 when a name is the token, 1 when a name starts with it, 2
// when a name only holds it. A search without a filter reads it:
//
//   - a query of 2 or 3 characters is one token, and its page one range of
//     the index: cls 0, 1, 2 are exactly its exact, prefix and contained
//     tiers, each in rank order (searchPair); its count is the number of
//     rows of the token;
//   - the prefix, contained and similar tiers of a longer query walk the
//     holders of its rarest trigram in rank order, keeping those that hold
//     its next rarest ones too, up to Store.pairWalk holders
//     (searchGramWalk, search_walk.go); a tier the walk leaves short is
//     read from the bigram index as before, unless the walk saw every
//     holder.
//
// A filtered search reads as before (search.go): the filters are columns of
// enterprises, and a walk of a pair's holders in rank order may pass
// thousands of rows the filter refuses.

// postingWalkRows is how many holders of its driver token one arm of a
// tier's walk reads (Store.pairWalk; tests make it smaller).
const postingWalkRows = 1000

// unfiltered reports whether a search can read search_postings.
func unfiltered(f store.EnterpriseFilter) bool { return f == store.EnterpriseFilter{} }

// oneToken reports whether q is one token of search_postings (a pair or
// a trigram), whose tiers are its classes.
func oneToken(q search.Query) bool { return q.Runes() <= 3 }

// pairCls is the cls of search_postings that holds tier t of a query that
// is one token.
func pairCls(t search.Tier) int { return int(search.Exact - t) }

// searchPair reads a page of a query that is one token (oneToken) without
// a filter: up to
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
	return s.scanTieredHits(ctx, q, v, sql, w.args, func(cls int16) search.Tier { return search.Exact - search.Tier(cls) })
}

// scanWith scans a row's last columns into extra and the rest as the
// wrapped scanner would.
type scanWith struct {
	row   interface{ Scan(...any) error }
	extra *int16
}

func (r scanWith) Scan(dest ...any) error { return r.row.Scan(append(dest, r.extra)...) }

// countPair counts the enterprises a query that is one token finds
// without a filter: every holder of the token, in one tier or another.
func (s *Store) countPair(ctx context.Context, q search.Query) (int, error) {
	var n int
	err := s.q.QueryRow(ctx, `SELECT count(*) FROM search_postings WHERE token = $1`, q.Norm).Scan(&n)
	return n, wrap("count search enterprises", err)
}
