package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

const enterpriseColumns = `e.uscc, e.name, e.former_names, e.type, e.status, e.legal_representative,
	e.legal_representative_id_type, e.legal_representative_id_number, e.registered_capital, e.established_on,
	e.registration_authority, e.address, e.business_scope, e.region_code, e.key_areas, e.phone, e.updated_at, e.risk_categories`

func scanEnterprise(row pgx.Row) (credit.Enterprise, error) {
	var (
		e       credit.Enterprise
		capital pgtype.Numeric
		areas   []string
		steps   []byte
	)
	err := row.Scan(&e.USCC, &e.Name, &e.FormerNames, &e.Type, &e.Status, &e.LegalRepresentative,
		&e.LegalRepresentativeIDType, &e.LegalRepresentativeIDNumber, &capital, &e.EstablishedOn,
		&e.RegistrationAuthority, &e.Address, &e.BusinessScope, &e.RegionCode, &areas, &e.Phone, &e.UpdatedAt, &steps)
	e.RegisteredCapital = decimalOf(capital)
	e.KeyAreas = keyAreasOf(areas)
	if err == nil && steps != nil {
		e.RiskCategories, err = riskStepsOf(steps)
	}
	return e, err
}

// Enterprise returns one enterprise as v may see it, or store.ErrNotFound.
func (s *Store) Enterprise(ctx context.Context, v credit.Visibility, uscc string) (credit.Enterprise, error) {
	e, err := scanEnterprise(s.q.QueryRow(ctx, `SELECT `+enterpriseColumns+` FROM enterprises e WHERE e.uscc = $1`, uscc))
	if errors.Is(err, pgx.ErrNoRows) {
		return credit.Enterprise{}, fmt.Errorf("postgres: enterprise %s: %w", uscc, store.ErrNotFound)
	}
	if err != nil {
		return credit.Enterprise{}, wrap("enterprise", err)
	}
	return s.policy.ViewEnterprise(v, e), nil
}

// EnterprisesByUSCC returns enterprises in key order, nil where unknown.
func (s *Store) EnterprisesByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([]*credit.Enterprise, error) {
	out := make([]*credit.Enterprise, len(usccs))
	if len(usccs) == 0 {
		return out, nil
	}
	rows, err := s.q.Query(ctx, enterprisesByUSCCSQL, usccs)
	if err != nil {
		return nil, wrap("enterprises by uscc", err)
	}
	return s.enterprisesInKeyOrder(rows, v, usccs)
}

const enterprisesByUSCCSQL = `SELECT ` + enterpriseColumns + ` FROM enterprises e WHERE e.uscc = ANY($1)`

// enterprisesInKeyOrder reads rows of enterprisesByUSCCSQL as v may see
// them, into key order, nil where unknown. It closes rows.
func (s *Store) enterprisesInKeyOrder(rows pgx.Rows, v credit.Visibility, usccs []string) ([]*credit.Enterprise, error) {
	defer rows.Close()
	out := make([]*credit.Enterprise, len(usccs))
	byUSCC := make(map[string]*credit.Enterprise, len(usccs))
	for rows.Next() {
		e, err := scanEnterprise(rows)
		if err != nil {
			return nil, wrap("enterprises by uscc", err)
		}
		e = s.policy.ViewEnterprise(v, e)
		byUSCC[e.USCC] = &e
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("enterprises by uscc", err)
	}
	for i, u := range usccs {
		if e, ok := byUSCC[u]; ok {
			c := *e // each position its own copy: callers may modify
			out[i] = &c
		}
	}
	return out, nil
}

// Enterprises pages through enterprises ordered by USCC.
func (s *Store) Enterprises(ctx context.Context, v credit.Visibility, f store.EnterpriseFilter, p store.Page) (store.Connection[credit.Enterprise], error) {
	fp := store.Fingerprint(f)
	q := s.enterpriseWhere(v, f)
	if p.After != "" {
		key, err := store.DecodeCursor(p.After, store.CursorEnterprises, fp, 1)
		if err != nil {
			return store.Connection[credit.Enterprise]{}, err
		}
		q.add(`e.uscc > ` + q.arg(key[0]))
	}
	limit := p.Limit()
	rows, err := s.q.Query(ctx, `SELECT `+enterpriseColumns+` FROM enterprises e`+q.where()+
		` ORDER BY e.uscc LIMIT `+q.arg(limit+1), q.args...)
	if err != nil {
		return store.Connection[credit.Enterprise]{}, wrap("enterprises", err)
	}
	view := func(e credit.Enterprise) (credit.Enterprise, bool) { return s.policy.ViewEnterprise(v, e), true }
	conn, err := collect(rows, limit, scanEnterprise, view, func(e credit.Enterprise) string {
		return store.EncodeCursor(store.CursorEnterprises, fp, e.USCC)
	})
	return conn, wrap("enterprises", err)
}

// CountEnterprises counts what Enterprises would page through.
func (s *Store) CountEnterprises(ctx context.Context, v credit.Visibility, f store.EnterpriseFilter) (int, error) {
	q := s.enterpriseWhere(v, f)
	var n int
	if err := s.q.QueryRow(ctx, `SELECT count(*) FROM enterprises e`+q.where(), q.args...).Scan(&n); err != nil {
		return 0, wrap("count enterprises", err)
	}
	return n, nil
}

// enterpriseWhere builds the filter. "On a list" means a listing in force
// on v.AsOf (see inForce), which is the same for every tier: a listing in
// force is one the public may see.
func (s *Store) enterpriseWhere(v credit.Visibility, f store.EnterpriseFilter) *query {
	q := &query{}
	if f.RegionPrefix != "" {
		q.add(`e.region_code LIKE ` + q.arg(likePrefix(f.RegionPrefix)))
	}
	if f.KeyArea != "" {
		q.add(`e.key_areas @> ARRAY[` + q.arg(string(f.KeyArea)) + `]::text[]`)
	}
	if f.Status != "" {
		q.add(`e.status = ` + q.arg(string(f.Status)))
	}
	if f.Name != "" {
		q.add(`e.name = ` + q.arg(f.Name))
	}
	if f.NamePrefix != "" {
		q.add(`e.name LIKE ` + q.arg(likePrefix(f.NamePrefix)))
	}
	for _, on := range []struct {
		list credit.ListKind
		want *bool
	}{{credit.ListSerious, f.OnSeriousList}, {credit.ListAbnormal, f.OnAbnormalList}} {
		if on.want == nil {
			continue
		}
		shapes := s.inForce(q, on.list, v.AsOf)
		exists := `EXISTS (SELECT 1 FROM listings l WHERE l.uscc = e.uscc AND l.list = ` + q.arg(string(on.list)) +
			` AND ((` + shapes[0] + `) OR (` + shapes[1] + `)))`
		if !*on.want {
			exists = `NOT ` + exists
		}
		q.add(exists)
	}
	return q
}

// likePrefix is a LIKE pattern matching strings that start with prefix.
func likePrefix(prefix string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(prefix) + "%"
}

// query collects the conditions and arguments of a dynamic statement.
type query struct {
	conds []string
	args  []any
}

// arg adds an argument and returns its placeholder.
func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return fmt.Sprintf("$%d", len(q.args))
}

func (q *query) add(cond string) { q.conds = append(q.conds, cond) }

func (q *query) where() string {
	if len(q.conds) == 0 {
		return ""
	}
	return ` WHERE ` + strings.Join(q.conds, ` AND `)
}
