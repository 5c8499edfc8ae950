package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// The *ByUSCC loaders run one statement each: every row of the requested
// enterprises, ordered by enterprise then newest first, grouped in Go into
// key order. Rows the caller may not see are dropped by asking the policy.

// byUSCC is one per-enterprise loader's statement: every row of the
// requested enterprises ($1, extra arguments after it), with how to scan a
// row, find its USCC and view it for the caller (false: not visible).
type byUSCC[T any] struct {
	op, sql string
	args    []any
	scan    func(pgx.Row) (T, error)
	uscc    func(T) string
	view    func(T) (T, bool)
}

func (q byUSCC[T]) argv(usccs []string) []any { return append([]any{usccs}, q.args...) }

// load runs q alone.
func (q byUSCC[T]) load(ctx context.Context, s *Store, usccs []string) ([][]T, error) {
	if len(usccs) == 0 {
		return make([][]T, 0), nil
	}
	rows, err := s.q.Query(ctx, q.sql, q.argv(usccs)...)
	if err != nil {
		return nil, wrap(q.op, err)
	}
	return q.group(rows, usccs)
}

// group reads rows and groups those q.view keeps by their USCC, into key
// order; an unknown key, or one repeated, gets its own (possibly empty)
// slice. It closes rows.
func (q byUSCC[T]) group(rows pgx.Rows, usccs []string) ([][]T, error) {
	defer rows.Close()
	out := make([][]T, len(usccs))
	var groups map[string][]T
	if len(usccs) > 1 {
		groups = make(map[string][]T, len(usccs))
	}
	var one []T // a single key needs no map
	for rows.Next() {
		t, err := q.scan(rows)
		if err != nil {
			return nil, wrap(q.op, err)
		}
		if tv, ok := q.view(t); ok {
			if groups == nil {
				if q.uscc(t) == usccs[0] {
					one = append(one, tv)
				}
				continue
			}
			groups[q.uscc(t)] = append(groups[q.uscc(t)], tv)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(q.op, err)
	}
	if groups == nil {
		if len(usccs) == 1 {
			out[0] = one
			if out[0] == nil {
				out[0] = []T{}
			}
		}
		return out, nil
	}
	for i, u := range usccs {
		g := groups[u]
		out[i] = make([]T, len(g)) // each position its own slice: callers may modify
		copy(out[i], g)
	}
	return out, nil
}

const licenseColumns = `uscc, license_number, name, content, valid_from, valid_to, authority, decided_on, key_area`

func scanLicense(row pgx.Row) (credit.License, error) {
	var l credit.License
	var area *string
	err := row.Scan(&l.USCC, &l.LicenseNumber, &l.Name, &l.Content, &l.ValidFrom, &l.ValidTo, &l.Authority, &l.DecidedOn, &area)
	l.KeyArea = keyAreaOf(area)
	return l, err
}

// LicensesByUSCC returns each enterprise's licences, newest decision first.
// Licences are public.
func (s *Store) LicensesByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.License, error) {
	return s.licensesQuery(v).load(ctx, s, usccs)
}

func (s *Store) licensesQuery(v credit.Visibility) byUSCC[credit.License] {
	return byUSCC[credit.License]{op: "licenses by uscc",
		sql:  `SELECT ` + licenseColumns + ` FROM licenses WHERE uscc = ANY($1) ORDER BY uscc, decided_on DESC, license_number`,
		scan: scanLicense, uscc: func(l credit.License) string { return l.USCC },
		view: func(l credit.License) (credit.License, bool) { return s.policy.ViewLicense(v, l), true }}
}

const penaltyColumns = `p.uscc, p.decision_number, p.violation_type, p.facts, p.basis, p.penalty_types, p.content,
	p.fine_amount, p.confiscation_amount, p.authority, p.decided_on, p.published_on, p.procedure, p.restriction_until,
	p.key_area, p.revoked, p.repaired_on`

// penaltyRow scans penaltyColumns, alone or among other columns.
type penaltyRow struct {
	p                  credit.Penalty
	types              []string
	fine, confiscation pgtype.Numeric
	area               *string
}

func (r *penaltyRow) dest() []any {
	p := &r.p
	return []any{&p.USCC, &p.DecisionNumber, &p.ViolationType, &p.Facts, &p.Basis, &r.types, &p.Content, &r.fine,
		&r.confiscation, &p.Authority, &p.DecidedOn, &p.PublishedOn, &p.Procedure, &p.RestrictionUntil, &r.area,
		&p.Revoked, &p.RepairedOn}
}

func (r *penaltyRow) penalty() credit.Penalty {
	p := r.p
	p.PenaltyTypes = penaltyTypesOf(r.types)
	p.FineAmount = decimalOf(r.fine)
	p.ConfiscationAmount = decimalOf(r.confiscation)
	p.KeyArea = keyAreaOf(r.area)
	return p
}

func scanPenalty(row pgx.Row) (credit.Penalty, error) {
	var r penaltyRow
	err := row.Scan(r.dest()...)
	return r.penalty(), err
}

// PenaltiesByUSCC returns each enterprise's penalties that v may see, newest
// decision first.
func (s *Store) PenaltiesByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.Penalty, error) {
	return s.penaltiesQuery(v).load(ctx, s, usccs)
}

func (s *Store) penaltiesQuery(v credit.Visibility) byUSCC[credit.Penalty] {
	return byUSCC[credit.Penalty]{op: "penalties by uscc",
		sql:  `SELECT ` + penaltyColumns + ` FROM penalties p WHERE p.uscc = ANY($1) ORDER BY p.uscc, p.decided_on DESC, p.decision_number`,
		scan: scanPenalty, uscc: func(p credit.Penalty) string { return p.USCC },
		view: func(p credit.Penalty) (credit.Penalty, bool) { return s.policy.ViewPenalty(v, p) }}
}

const inspectionColumns = `uscc, inspection_id, kind, inspected_on, authority, result, items, product, batch, key_area`

func scanInspection(row pgx.Row) (credit.Inspection, error) {
	var in credit.Inspection
	var area *string
	err := row.Scan(&in.USCC, &in.InspectionID, &in.Kind, &in.InspectedOn, &in.Authority, &in.Result, &in.Items,
		&in.Product, &in.Batch, &area)
	in.KeyArea = keyAreaOf(area)
	return in, err
}

// InspectionsByUSCC returns each enterprise's inspections, newest first.
// Inspection results are public.
func (s *Store) InspectionsByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.Inspection, error) {
	return s.inspectionsQuery(v).load(ctx, s, usccs)
}

func (s *Store) inspectionsQuery(v credit.Visibility) byUSCC[credit.Inspection] {
	return byUSCC[credit.Inspection]{op: "inspections by uscc",
		sql:  `SELECT ` + inspectionColumns + ` FROM inspections WHERE uscc = ANY($1) ORDER BY uscc, inspected_on DESC, inspection_id`,
		scan: scanInspection, uscc: func(in credit.Inspection) string { return in.USCC },
		view: func(in credit.Inspection) (credit.Inspection, bool) { return s.policy.ViewInspection(v, in), true }}
}

// ListingsByUSCC returns each enterprise's entries on one list that v may
// see, newest listing first.
func (s *Store) ListingsByUSCC(ctx context.Context, v credit.Visibility, list credit.ListKind, usccs []string) ([][]credit.Listing, error) {
	return s.listingsQuery(v, list).load(ctx, s, usccs)
}

func (s *Store) listingsQuery(v credit.Visibility, list credit.ListKind) byUSCC[credit.Listing] {
	return byUSCC[credit.Listing]{op: "listings by uscc",
		sql: `SELECT ` + listingColumns + ` FROM listings l WHERE l.uscc = ANY($1) AND l.list = $2
		ORDER BY l.uscc, l.listed_on DESC, l.decision_number`,
		args: []any{string(list)},
		scan: scanListing, uscc: func(l credit.Listing) string { return l.USCC },
		view: func(l credit.Listing) (credit.Listing, bool) { return s.policy.ViewListing(v, l) }}
}

const commitmentColumns = `uscc, commitment_id, kind, content, made_on, status, untrue_found_on`

func scanCommitment(row pgx.Row) (credit.Commitment, error) {
	var c credit.Commitment
	err := row.Scan(&c.USCC, &c.CommitmentID, &c.Kind, &c.Content, &c.MadeOn, &c.Status, &c.UntrueFoundOn)
	return c, err
}

// CommitmentsByUSCC returns each enterprise's credit commitments, newest
// first. Commitments are public, untrue ones with the date found untrue.
func (s *Store) CommitmentsByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.Commitment, error) {
	return s.commitmentsQuery(v).load(ctx, s, usccs)
}

func (s *Store) commitmentsQuery(v credit.Visibility) byUSCC[credit.Commitment] {
	return byUSCC[credit.Commitment]{op: "commitments by uscc",
		sql:  `SELECT ` + commitmentColumns + ` FROM commitments WHERE uscc = ANY($1) ORDER BY uscc, made_on DESC, commitment_id`,
		scan: scanCommitment, uscc: func(c credit.Commitment) string { return c.USCC },
		view: func(c credit.Commitment) (credit.Commitment, bool) { return s.policy.ViewCommitment(v, c), true }}
}
