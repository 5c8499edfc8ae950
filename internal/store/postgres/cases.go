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
	// A text search matches the text the caller reads, redacted in Go below
	// REGULATOR: SQL cannot tell which rows match, so it reads on until the
	// page is full (typical cases are published by the hundred, not the
	// million).
	bound := ""
	if f.Text == "" {
		bound = ` LIMIT ` + q.arg(limit+1)
	}
	rows, err := s.q.Query(ctx, `SELECT `+caseColumns+` FROM typical_cases c`+q.where()+
		` ORDER BY c.published_on DESC, c.case_id`+bound, q.args...)
	if err != nil {
		return store.Connection[credit.TypicalCase]{}, wrap("typical cases", err)
	}
	conn, err := collect(rows, limit, scanCase, s.caseView(v, f), func(c credit.TypicalCase) string {
		return store.EncodeCursor(store.CursorTypicalCases, fp, dateKey(c.PublishedOn), c.CaseID)
	})
	return conn, wrap("typical cases", err)
}

// caseView is what a case looks like to v, and whether it is on v's page.
func (s *Store) caseView(v credit.Visibility, f store.CaseFilter) func(credit.TypicalCase) (credit.TypicalCase, bool) {
	return func(c credit.TypicalCase) (credit.TypicalCase, bool) {
		cv, ok := s.policy.ViewCase(v, c)
		return cv, ok && (f.Text == "" || store.CaseTextMatches(f.Text, cv))
	}
}

// CountTypicalCases counts what TypicalCases would page through.
func (s *Store) CountTypicalCases(ctx context.Context, v credit.Visibility, f store.CaseFilter) (int, error) {
	q := caseWhere(v, f)
	if f.Text != "" {
		rows, err := s.q.Query(ctx, `SELECT `+caseColumns+` FROM typical_cases c`+q.where(), q.args...)
		if err != nil {
			return 0, wrap("count typical cases", err)
		}
		view, n := s.caseView(v, f), 0
		for rows.Next() {
			c, err := scanCase(rows)
			if err != nil {
				rows.Close()
				return 0, wrap("count typical cases", err)
			}
			if _, ok := view(c); ok {
				n++
			}
		}
		rows.Close()
		return n, wrap("count typical cases", rows.Err())
	}
	var n int
	if err := s.q.QueryRow(ctx, `SELECT count(*) FROM typical_cases c`+q.where(), q.args...).Scan(&n); err != nil {
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
