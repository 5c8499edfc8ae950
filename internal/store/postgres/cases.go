package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

const caseColumns = `c.case_id, c.title, c.summary, c.uscc, c.published_on, c.key_area, c.region_code`

func scanCase(row pgx.Row) (credit.TypicalCase, error) {
	var c credit.TypicalCase
	var area *string
	err := row.Scan(&c.CaseID, &c.Title, &c.Summary, &c.USCC, &c.PublishedOn, &area, &c.RegionCode)
	c.KeyArea = keyAreaOf(area)
	return c, err
}

// TypicalCases pages through typical cases, newest first. Typical cases are
// published for the public.
func (s *Store) TypicalCases(ctx context.Context, v credit.Visibility, f store.CaseFilter, p store.Page) (store.Connection[credit.TypicalCase], error) {
	fp := store.Fingerprint(f)
	q := caseWhere(v, f)
	if p.After != "" {
		if err := q.afterNewest(p.After, store.CursorTypicalCases, fp, "c.published_on", "c.case_id"); err != nil {
			return store.Connection[credit.TypicalCase]{}, err
		}
	}
	limit := p.Limit()
	rows, err := s.read.Query(ctx, `SELECT `+caseColumns+` FROM typical_cases c`+q.where()+
		` ORDER BY c.published_on DESC, c.case_id LIMIT `+q.arg(limit+1), q.args...)
	if err != nil {
		return store.Connection[credit.TypicalCase]{}, wrap("typical cases", err)
	}
	conn, err := collect(rows, limit, scanCase, func(c credit.TypicalCase) (credit.TypicalCase, bool) { return s.policy.ViewCase(v, c) }, func(c credit.TypicalCase) string {
		return store.EncodeCursor(store.CursorTypicalCases, fp, dateKey(c.PublishedOn), c.CaseID)
	})
	return conn, wrap("typical cases", err)
}

// CountTypicalCases counts what TypicalCases would page through.
func (s *Store) CountTypicalCases(ctx context.Context, v credit.Visibility, f store.CaseFilter) (int, error) {
	q := caseWhere(v, f)
	var n int
	if err := s.read.QueryRow(ctx, `SELECT count(*) FROM typical_cases c`+q.where(), q.args...).Scan(&n); err != nil {
		return 0, wrap("count typical cases", err)
	}
	return n, nil
}

// caseWhere builds the filter; public tiers see a case from its publication
// date (the SQL form of Policy.CaseVisible, checked again per row by ViewCase).
func caseWhere(v credit.Visibility, f store.CaseFilter) *query {
	q := &query{}
	if v.Public() {
		q.add(`c.published_on <= ` + q.arg(dateArg(v.AsOf)))
	}
	if f.RegionPrefix != "" {
		q.add(`c.region_code LIKE ` + q.arg(likePrefix(f.RegionPrefix)))
	}
	if f.KeyArea != "" {
		q.add(`c.key_area = ` + q.arg(string(f.KeyArea)))
	}
	if f.PublishedFrom != nil {
		q.add(`c.published_on >= ` + q.arg(dateArg(*f.PublishedFrom)))
	}
	if f.PublishedTo != nil {
		q.add(`c.published_on <= ` + q.arg(dateArg(*f.PublishedTo)))
	}
	return q
}
