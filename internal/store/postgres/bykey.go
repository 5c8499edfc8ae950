package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// RecordsByKey reads records by their natural keys, in key order: one
// statement per kind asked for, each row through the same policy view as
// every other read; nil where unknown or hidden from v.
func (s *Store) RecordsByKey(ctx context.Context, v credit.Visibility, keys []store.RecordKey) ([]*store.Record, error) {
	out := make([]*store.Record, len(keys))
	byKind := map[store.RecordKind][]string{}
	for _, k := range keys {
		byKind[k.Kind] = append(byKind[k.Kind], k.Key)
	}
	found := map[store.RecordKey]*store.Record{}
	for kind, ks := range byKind {
		if err := s.recordsOfKind(ctx, v, kind, ks, found); err != nil {
			return nil, err
		}
	}
	for i, k := range keys {
		if r := found[k]; r != nil {
			c := *r // each position its own record: callers may modify
			out[i] = &c
		}
	}
	return out, nil
}

// recordsOfKind reads the records of one kind named by keys into found.
func (s *Store) recordsOfKind(ctx context.Context, v credit.Visibility, kind store.RecordKind, keys []string, found map[store.RecordKey]*store.Record) error {
	put := func(key string, r *store.Record) { found[store.RecordKey{Kind: kind, Key: key}] = r }
	switch kind {
	case store.KindEnterprise:
		es, err := s.EnterprisesByUSCC(ctx, v, keys)
		for _, e := range es {
			if e != nil {
				put(e.USCC, &store.Record{Enterprise: e})
			}
		}
		return err
	case store.KindLicense:
		return byKey(ctx, s, "license by number", `SELECT `+licenseColumns+` FROM licenses WHERE license_number = ANY($1)`,
			keys, scanLicense, func(l credit.License) {
				l = s.policy.ViewLicense(v, l)
				put(l.LicenseNumber, &store.Record{License: &l})
			})
	case store.KindPenalty:
		return byKey(ctx, s, "penalty by decision number", `SELECT `+penaltyColumns+` FROM penalties p WHERE p.decision_number = ANY($1)`,
			keys, scanPenalty, func(p credit.Penalty) {
				if p, ok := s.policy.ViewPenalty(v, p); ok {
					put(p.DecisionNumber, &store.Record{Penalty: &p})
				}
			})
	case store.KindInspection:
		return byKey(ctx, s, "inspection by id", `SELECT `+inspectionColumns+` FROM inspections WHERE inspection_id = ANY($1)`,
			keys, scanInspection, func(in credit.Inspection) {
				in = s.policy.ViewInspection(v, in)
				put(in.InspectionID, &store.Record{Inspection: &in})
			})
	case store.KindAbnormalListing, store.KindSeriousListing:
		list := credit.ListAbnormal
		if kind == store.KindSeriousListing {
			list = credit.ListSerious
		}
		return byKey(ctx, s, "listing by decision number", `SELECT `+listingColumns+` FROM listings l WHERE l.decision_number = ANY($1) AND l.list = $2`,
			keys, scanListing, func(l credit.Listing) {
				if l, ok := s.policy.ViewListing(v, l); ok {
					put(l.DecisionNumber, &store.Record{Listing: &l})
				}
			}, string(list))
	case store.KindCommitment:
		return byKey(ctx, s, "commitment by id", `SELECT `+commitmentColumns+` FROM commitments WHERE commitment_id = ANY($1)`,
			keys, scanCommitment, func(c credit.Commitment) {
				c = s.policy.ViewCommitment(v, c)
				put(c.CommitmentID, &store.Record{Commitment: &c})
			})
	case store.KindTypicalCase:
		return byKey(ctx, s, "typical case by id", `SELECT `+caseColumns+` FROM typical_cases c WHERE c.case_id = ANY($1)`,
			keys, scanCase, func(c credit.TypicalCase) {
				if c, ok := s.policy.ViewCase(v, c); ok {
					put(c.CaseID, &store.Record{TypicalCase: &c})
				}
			})
	}
	return nil // an unknown kind names nothing
}

// byKey runs sql with keys as $1 (and extra args after it) and hands each
// scanned row to keep.
func byKey[T any](ctx context.Context, s *Store, op, sql string, keys []string, scan func(pgx.Row) (T, error), keep func(T), args ...any) error {
	rows, err := s.q.Query(ctx, sql, append([]any{keys}, args...)...)
	if err != nil {
		return wrap(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		t, err := scan(rows)
		if err != nil {
			return wrap(op, err)
		}
		keep(t)
	}
	return wrap(op, rows.Err())
}
