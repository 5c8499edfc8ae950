package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

const listingColumns = `l.list, l.uscc, l.decision_number, l.reason_code, l.reason, l.listed_on, l.authority,
	l.penalty_decision_number, l.key_area, l.removed_on, l.removal_reason, l.removal_authority, l.repaired_on`

func scanListing(row pgx.Row) (credit.Listing, error) {
	var (
		l                 credit.Listing
		code              *int16
		area              *string
		rmOn              pgtype.Date
		rmReason, rmAuthy *string
	)
	err := row.Scan(&l.List, &l.USCC, &l.DecisionNumber, &code, &l.Reason, &l.ListedOn, &l.Authority,
		&l.PenaltyDecisionNumber, &area, &rmOn, &rmReason, &rmAuthy, &l.RepairedOn)
	if code != nil {
		l.ReasonCode = int(*code)
	}
	l.KeyArea = keyAreaOf(area)
	if rmOn.Valid {
		l.Removal = &credit.Removal{RemovedOn: rmOn.Time, Reason: deref(rmReason), Authority: deref(rmAuthy)}
	}
	return l, err
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Listings pages through one list, newest listing first. What a public
// caller may see is pushed into SQL (so no page or count ever holds a row it
// may not see) and each row is checked with the policy again.
func (s *Store) Listings(ctx context.Context, v credit.Visibility, list credit.ListKind, f store.ListingFilter, p store.Page) (store.Connection[credit.Listing], error) {
	kind, fp := store.ListingsCursorKind(string(list)), store.Fingerprint(f)
	q, shapes, inForce := s.listingWhere(v, list, f)
	if p.After != "" {
		if err := q.afterNewest(p.After, kind, fp, "l.listed_on", "l.decision_number"); err != nil {
			return store.Connection[credit.Listing]{}, err
		}
	}
	limit := p.Limit()
	lim := q.arg(limit + 1)
	const order = ` ORDER BY l.listed_on DESC, l.decision_number LIMIT `
	sql := `SELECT ` + listingColumns + ` FROM listings l` + q.whereAnd(shapes[0]) + order + lim
	if inForce {
		// In force: most rows walk the partial index in order. The others,
		// whose removal or repair is still to come, are few: they are found
		// through their own indexes behind an OFFSET 0 fence (lest the
		// planner walk the whole list in order looking for them), sorted,
		// and merged in.
		sql = `SELECT l.* FROM ((` + sql + `) UNION ALL (SELECT l.* FROM (SELECT ` + listingColumns +
			` FROM listings l` + q.whereAnd(shapes[1]) + ` OFFSET 0) l` + order + lim + `)) l` + order + lim
	}
	rows, err := s.q.Query(ctx, sql, q.args...)
	if err != nil {
		return store.Connection[credit.Listing]{}, wrap("listings", err)
	}
	view := func(l credit.Listing) (credit.Listing, bool) {
		if inForce && !s.policy.InForce(l, v.AsOf) {
			return credit.Listing{}, false
		}
		return s.policy.ViewListing(v, l)
	}
	conn, err := collect(rows, limit, scanListing, view, func(l credit.Listing) string {
		return store.EncodeCursor(kind, fp, dateKey(l.ListedOn), l.DecisionNumber)
	})
	return conn, wrap("listings", err)
}

// CountListings counts what Listings would page through.
func (s *Store) CountListings(ctx context.Context, v credit.Visibility, list credit.ListKind, f store.ListingFilter) (int, error) {
	q, shapes, _ := s.listingWhere(v, list, f)
	counts := make([]string, len(shapes))
	for i, shape := range shapes {
		counts[i] = `(SELECT count(*) FROM listings l` + q.whereAnd(shape) + `)`
	}
	var n int
	if err := s.q.QueryRow(ctx, `SELECT `+strings.Join(counts, ` + `), q.args...).Scan(&n); err != nil {
		return 0, wrap("count listings", err)
	}
	return n, nil
}

// listingWhere builds the filter of a list page and the visibility shapes:
// one condition per UNION ALL branch (the page is their union), so that the
// common "in force" shape can use its partial index. inForce says the page
// holds only listings in force on v.AsOf.
func (s *Store) listingWhere(v credit.Visibility, list credit.ListKind, f store.ListingFilter) (q *query, shapes []string, inForce bool) {
	q = &query{}
	q.add(`l.list = ` + q.arg(string(list)))
	if f.RegionPrefix != "" {
		q.add(`EXISTS (SELECT 1 FROM enterprises e WHERE e.uscc = l.uscc AND e.region_code LIKE ` +
			q.arg(likePrefix(f.RegionPrefix)) + `)`)
	}
	if f.KeyArea != "" { // the listing's own key area, as every backend reads it
		q.add(`l.key_area = ` + q.arg(string(f.KeyArea)))
	}
	if f.ListedFrom != nil {
		q.add(`l.listed_on >= ` + q.arg(dateArg(*f.ListedFrom)))
	}
	if f.ListedTo != nil {
		q.add(`l.listed_on <= ` + q.arg(dateArg(*f.ListedTo)))
	}
	switch {
	case f.IncludeRemoved && !v.Public():
		return q, []string{""}, false
	case f.IncludeRemoved && list == credit.ListAbnormal:
		// An abnormal listing and its removal stay public.
		return q, []string{`l.listed_on <= ` + q.arg(dateArg(v.AsOf))}, false
	}
	// In force on v.AsOf: the only serious listings the public may see, and
	// the abnormal ones not (yet) removed.
	both := s.inForce(q, list, v.AsOf)
	return q, both[:], true
}

// inForce is the condition for a listing of alias l on list being in force
// on asOf (listed by then, not removed nor repaired by then, and for the
// serious list still within its period), as two disjoint parts: almost
// every such listing was never removed nor repaired (the partial index
// listings_current_idx); the rest will be, on a date still to come.
func (s *Store) inForce(q *query, list credit.ListKind, asOf time.Time) [2]string {
	d := q.arg(dateArg(asOf))
	listed := `l.listed_on <= ` + d
	if list == credit.ListSerious {
		listed += ` AND l.listed_on >= ` + q.arg(s.policy.SeriousListedAfter(asOf))
	}
	return [2]string{
		listed + ` AND l.removed_on IS NULL AND l.repaired_on IS NULL`,
		listed + ` AND (l.removed_on > ` + d + ` OR l.repaired_on > ` + d + `)
			AND (l.removed_on IS NULL OR l.removed_on > ` + d + `) AND (l.repaired_on IS NULL OR l.repaired_on > ` + d + `)`,
	}
}

// whereAnd is where() with one more condition, if not empty.
func (q *query) whereAnd(cond string) string {
	if cond == "" {
		return q.where()
	}
	return (&query{conds: append(q.conds[:len(q.conds):len(q.conds)], cond)}).where()
}
