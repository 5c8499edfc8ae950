package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/feed"
	"github.com/creditgraph/creditgraph/internal/store"
)

// entries reads the records under keys in tx and returns their entries as
// of day; a key with no record is absent. One pipelined round trip reads
// the records by natural key, a second their enterprises.
func (s *Store) entries(ctx context.Context, tx pgx.Tx, keys []feed.Key, day time.Time) (map[feed.Key]feed.Entry, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	ids := map[feed.RecordType][]string{}
	for _, k := range keys {
		ids[k.Type] = append(ids[k.Type], k.ID)
	}
	var (
		licenses    []credit.License
		penalties   []credit.Penalty
		inspections []credit.Inspection
		listings    []credit.Listing
		commitments []credit.Commitment
		cases       []credit.TypicalCase
	)
	b := &pgx.Batch{}
	queue(b, ids[feed.License], `SELECT `+licenseColumns+` FROM licenses WHERE license_number = ANY($1)`, scanLicense, &licenses)
	queue(b, ids[feed.Penalty], `SELECT `+penaltyColumns+` FROM penalties p WHERE p.decision_number = ANY($1)`, scanPenalty, &penalties)
	queue(b, ids[feed.Inspection], `SELECT `+inspectionColumns+` FROM inspections WHERE inspection_id = ANY($1)`, scanInspection, &inspections)
	queue(b, ids[feed.AbnormalListing], `SELECT `+listingColumns+` FROM listings l WHERE l.list = 'abnormal_listing' AND l.decision_number = ANY($1)`, scanListing, &listings)
	queue(b, ids[feed.SeriousListing], `SELECT `+listingColumns+` FROM listings l WHERE l.list = 'serious_listing' AND l.decision_number = ANY($1)`, scanListing, &listings)
	queue(b, ids[feed.Commitment], `SELECT `+commitmentColumns+` FROM commitments WHERE commitment_id = ANY($1)`, scanCommitment, &commitments)
	queue(b, ids[feed.TypicalCase], `SELECT `+caseColumns+` FROM typical_cases c WHERE c.case_id = ANY($1)`, scanCase, &cases)
	if b.Len() > 0 {
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return nil, fmt.Errorf("feed records: %w", err)
		}
	}
	owners := append([]string(nil), ids[feed.Enterprise]...)
	for _, r := range licenses {
		owners = append(owners, r.USCC)
	}
	for _, r := range penalties {
		owners = append(owners, r.USCC)
	}
	for _, r := range inspections {
		owners = append(owners, r.USCC)
	}
	for _, r := range listings {
		owners = append(owners, r.USCC)
	}
	for _, r := range commitments {
		owners = append(owners, r.USCC)
	}
	ents := map[string]*credit.Enterprise{}
	if len(owners) > 0 {
		rows, err := tx.Query(ctx, `SELECT `+enterpriseColumns+` FROM enterprises e WHERE e.uscc = ANY($1)`, owners)
		if err != nil {
			return nil, fmt.Errorf("feed enterprises: %w", err)
		}
		es, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (credit.Enterprise, error) { return scanEnterprise(r) })
		if err != nil {
			return nil, fmt.Errorf("feed enterprises: %w", err)
		}
		for i := range es {
			ents[es[i].USCC] = &es[i]
		}
	}
	owner := func(uscc string) *credit.Enterprise {
		if e, ok := ents[uscc]; ok {
			return e
		}
		return &credit.Enterprise{USCC: uscc}
	}
	out := make(map[feed.Key]feed.Entry, len(keys))
	put := func(e feed.Entry) { out[e.Key] = e }
	for _, u := range ids[feed.Enterprise] {
		if e, ok := ents[u]; ok {
			put(feed.EnterpriseEntry(s.policy, e, day))
		}
	}
	for _, r := range licenses {
		put(feed.LicenseEntry(s.policy, owner(r.USCC), r, day))
	}
	for _, r := range penalties {
		put(feed.PenaltyEntry(s.policy, owner(r.USCC), r, day))
	}
	for _, r := range inspections {
		put(feed.InspectionEntry(s.policy, owner(r.USCC), r, day))
	}
	for _, r := range listings {
		put(feed.ListingEntry(s.policy, owner(r.USCC), r, day))
	}
	for _, r := range commitments {
		put(feed.CommitmentEntry(s.policy, owner(r.USCC), r, day))
	}
	for _, r := range cases {
		put(feed.CaseEntry(s.policy, r, day))
	}
	if err := s.riskEntries(ctx, tx, ids[feed.RiskCategory], day, put); err != nil {
		return nil, err
	}
	return out, nil
}

// riskEntries puts the risk category entry of each stored enterprise among
// usccs as of day, read with its whole record in tx (one pipelined round
// trip: the profile's own statements, as a regulator).
func (s *Store) riskEntries(ctx context.Context, tx pgx.Tx, usccs []string, day time.Time, put func(feed.Entry)) error {
	if len(usccs) == 0 {
		return nil
	}
	in := *s
	in.q = tx
	all := store.Kinds{Enterprises: true, Licenses: true, Penalties: true, Inspections: true, Abnormal: true, Serious: true, Commitments: true}
	r, err := in.RecordsByUSCC(ctx, credit.Visibility{Tier: credit.TierRegulator, AsOf: day}, usccs, all)
	if err != nil {
		return fmt.Errorf("feed risk records: %w", err)
	}
	for i, e := range r.Enterprises {
		if e == nil {
			continue
		}
		rec := feed.Records{Enterprise: *e, Licenses: r.Licenses[i], Penalties: r.Penalties[i], Inspections: r.Inspections[i],
			Listings: append(slices.Clip(r.Abnormal[i]), r.Serious[i]...), Commitments: r.Commitments[i]}
		put(feed.RiskEntry(s.risk, s.policy, &rec, day))
	}
	return nil
}

// queue adds a by-key read to b when there are ids, collecting into dst.
func queue[T any](b *pgx.Batch, ids []string, sql string, scan func(pgx.Row) (T, error), dst *[]T) {
	if len(ids) == 0 {
		return
	}
	b.Queue(sql, ids).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			t, err := scan(rows)
			if err != nil {
				return err
			}
			*dst = append(*dst, t)
		}
		return rows.Err()
	})
}

// TypicalCasesByID returns the cases v may see among ids.
func (s *Store) TypicalCasesByID(ctx context.Context, v credit.Visibility, ids []string) (map[string]credit.TypicalCase, error) {
	rows, err := s.read.Query(ctx, `SELECT `+caseColumns+` FROM typical_cases c WHERE c.case_id = ANY($1)`, ids)
	if err != nil {
		return nil, wrap("typical cases by id", err)
	}
	cs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (credit.TypicalCase, error) { return scanCase(r) })
	if err != nil {
		return nil, wrap("typical cases by id", err)
	}
	out := make(map[string]credit.TypicalCase, len(cs))
	for _, c := range cs {
		if cv, ok := s.policy.ViewCase(v, c); ok {
			out[c.CaseID] = cv
		}
	}
	return out, nil
}
