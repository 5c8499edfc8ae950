package postgres

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/feed"
	"github.com/creditgraph/creditgraph/internal/store"
)

// batchEntries returns, as of day, the entries of the records the batch
// inserted (a.fresh), computed from the batch rather than read back: an
// inserted row is exactly the staged row the upsert chose, that is the
// last line of its key among those not rejected, with the columns the
// staging tables leave out (a penalty's repair, a listing's removal and
// repair) empty. Records a removal or repair of the same batch changed
// after their insert are left out (and dropped from a.fresh), as are keys
// the batch has no line for; the caller reads those back. The record's
// enterprise, for the entry's region and key areas, is the batch's last
// line of it, else stored[uscc], else read from the table.
//
// It also returns the risk category entry of each enterprise the batch
// inserted whose every record in the batch is such a fresh record (and
// adds its key to a.fresh): an enterprise had no record before its own row
// was stored (every record names a stored enterprise when it is written),
// so those records are its whole record, and its risk category had no
// state. The others are read back (riskEntries). A bulk load of a file in
// export order (each enterprise before its records) so reads back only the
// enterprises whose records a batch boundary splits.
//
// Every value goes through the conversions a write and a read back make
// (dates to their day, empty lists, decimals), so the entry hashes as the
// one computed from the stored row; TestFeedStateMatchesStoredRecords
// checks it on every kind.
func (a *applier) batchEntries(ctx context.Context, b *store.Batch, day time.Time, stored map[string]*credit.Enterprise) (map[feed.Key]feed.Entry, error) {
	if len(a.fresh) == 0 {
		return nil, nil
	}
	for _, l := range b.Removals {
		delete(a.fresh, feed.Key{Type: feed.ListingType(l.V.List), ID: l.V.ListingDecisionNumber})
	}
	for _, l := range b.Repairs {
		delete(a.fresh, feed.Key{Type: feed.RepairType(l.V.Target), ID: l.V.TargetDecisionNumber})
	}
	rejected := make(map[int]bool, len(a.rejected))
	for _, r := range a.rejected {
		rejected[r.Line] = true
	}
	owners := make(map[string]*credit.Enterprise, len(stored)+len(b.Enterprises))
	for u, e := range stored {
		owners[u] = e
	}
	ents := lastLines(b.Enterprises, rejected, func(e credit.Enterprise) string { return e.USCC })
	for i := range ents {
		ents[i] = storedEnterprise(ents[i])
		owners[ents[i].USCC] = &ents[i]
	}
	var missing []string
	need := func(uscc string) {
		if _, ok := owners[uscc]; !ok {
			owners[uscc] = nil
			missing = append(missing, uscc)
		}
	}
	p := a.s.policy
	var jobs []func() feed.Entry // run once every owner is known
	fresh := func(k feed.Key) bool { _, ok := a.fresh[k]; return ok }
	// whole holds the whole record of each enterprise the batch inserted,
	// for its risk category (see wholeRecords), nil once one of its
	// records is not known from the batch.
	whole := map[string]*feed.Records{}
	for i := range ents {
		e := &ents[i]
		if k := (feed.Key{Type: feed.Enterprise, ID: e.USCC}); fresh(k) {
			jobs = append(jobs, func() feed.Entry { return feed.EnterpriseEntry(p, e, day) })
			whole[e.USCC] = &feed.Records{Enterprise: *e}
		}
	}
	add := func(k feed.Key, uscc string, entry func(e *credit.Enterprise) feed.Entry) bool {
		if !fresh(k) {
			if _, ok := whole[uscc]; ok {
				whole[uscc] = nil
			}
			return false
		}
		need(uscc)
		jobs = append(jobs, func() feed.Entry { return entry(ownerOr(owners, uscc)) })
		return whole[uscc] != nil
	}
	for _, r := range lastLines(b.Licenses, rejected, func(v credit.License) string { return v.LicenseNumber }) {
		r = storedLicense(r)
		if add(feed.Key{Type: feed.License, ID: r.LicenseNumber}, r.USCC,
			func(e *credit.Enterprise) feed.Entry { return feed.LicenseEntry(p, e, r, day) }) {
			whole[r.USCC].Licenses = append(whole[r.USCC].Licenses, r)
		}
	}
	for _, r := range lastLines(b.Penalties, rejected, func(v credit.Penalty) string { return v.DecisionNumber }) {
		r = storedPenalty(r)
		if add(feed.Key{Type: feed.Penalty, ID: r.DecisionNumber}, r.USCC,
			func(e *credit.Enterprise) feed.Entry { return feed.PenaltyEntry(p, e, r, day) }) {
			whole[r.USCC].Penalties = append(whole[r.USCC].Penalties, r)
		}
	}
	for _, r := range lastLines(b.Inspections, rejected, func(v credit.Inspection) string { return v.InspectionID }) {
		r = storedInspection(r)
		if add(feed.Key{Type: feed.Inspection, ID: r.InspectionID}, r.USCC,
			func(e *credit.Enterprise) feed.Entry { return feed.InspectionEntry(p, e, r, day) }) {
			whole[r.USCC].Inspections = append(whole[r.USCC].Inspections, r)
		}
	}
	for _, r := range lastLines(b.Listings, rejected, func(v credit.Listing) string { return string(v.List) + "\x00" + v.DecisionNumber }) {
		r = storedListing(r)
		if add(feed.Key{Type: feed.ListingType(r.List), ID: r.DecisionNumber}, r.USCC,
			func(e *credit.Enterprise) feed.Entry { return feed.ListingEntry(p, e, r, day) }) {
			whole[r.USCC].Listings = append(whole[r.USCC].Listings, r)
		}
	}
	for _, r := range lastLines(b.Commitments, rejected, func(v credit.Commitment) string { return v.CommitmentID }) {
		r = storedCommitment(r)
		if add(feed.Key{Type: feed.Commitment, ID: r.CommitmentID}, r.USCC,
			func(e *credit.Enterprise) feed.Entry { return feed.CommitmentEntry(p, e, r, day) }) {
			whole[r.USCC].Commitments = append(whole[r.USCC].Commitments, r)
		}
	}
	for _, rec := range whole {
		if rec != nil {
			jobs = append(jobs, func() feed.Entry { return feed.RiskEntry(a.s.risk, p, rec, day) })
		}
	}
	for _, r := range lastLines(b.TypicalCases, rejected, func(v credit.TypicalCase) string { return v.CaseID }) {
		if k := (feed.Key{Type: feed.TypicalCase, ID: r.CaseID}); fresh(k) {
			c := storedCase(r)
			jobs = append(jobs, func() feed.Entry { return feed.CaseEntry(p, c, day) })
		}
	}
	if err := a.readOwners(ctx, missing, owners); err != nil {
		return nil, err
	}
	out := make(map[feed.Key]feed.Entry, len(jobs))
	for _, e := range runParallel(jobs) {
		out[e.Key] = e
	}
	for k := range a.fresh { // no line for it: read back like any other
		if _, ok := out[k]; !ok {
			delete(a.fresh, k)
		}
	}
	for _, e := range out { // risk categories had no state either
		if e.Key.Type == feed.RiskCategory {
			a.inserted(e.Key)
		}
	}
	return out, nil
}

// runParallel runs jobs on every CPU and returns their entries. Hashing the
// views is most of an import's Go time, and PostgreSQL waits for it.
func runParallel(jobs []func() feed.Entry) []feed.Entry {
	out := make([]feed.Entry, len(jobs))
	workers := min(runtime.GOMAXPROCS(0), len(jobs)/256+1)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(jobs); i += workers {
				out[i] = jobs[i]()
			}
		})
	}
	wg.Wait()
	return out
}

// readOwners reads the enterprises usccs into owners.
func (a *applier) readOwners(ctx context.Context, usccs []string, owners map[string]*credit.Enterprise) error {
	if len(usccs) == 0 {
		return nil
	}
	rows, err := a.tx.Query(ctx, `SELECT `+enterpriseColumns+` FROM enterprises e WHERE e.uscc = ANY($1)`, usccs)
	if err != nil {
		return fmt.Errorf("feed enterprises: %w", err)
	}
	es, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (credit.Enterprise, error) { return scanEnterprise(r) })
	if err != nil {
		return fmt.Errorf("feed enterprises: %w", err)
	}
	for i := range es {
		owners[es[i].USCC] = &es[i]
	}
	return nil
}

func ownerOr(owners map[string]*credit.Enterprise, uscc string) *credit.Enterprise {
	if e := owners[uscc]; e != nil {
		return e
	}
	return &credit.Enterprise{USCC: uscc}
}

// lastLines returns, per key, the value of the last line not rejected: the
// row the upsert's DISTINCT ON writes.
func lastLines[T any](lines []store.Line[T], rejected map[int]bool, key func(T) string) []T {
	if len(lines) == 0 {
		return nil
	}
	last := make(map[string]int, len(lines))
	for i, l := range lines {
		if rejected[l.N] {
			continue
		}
		k := key(l.V)
		if j, ok := last[k]; !ok || lines[j].N < l.N {
			last[k] = i
		}
	}
	out := make([]T, 0, len(last))
	for _, i := range last {
		out = append(out, lines[i].V)
	}
	return out
}

// The stored* functions return a record as reading its row back gives it:
// the conversions of kinds' row functions, then of the scan functions.

func storedEnterprise(e credit.Enterprise) credit.Enterprise {
	e.FormerNames = stringsOrEmpty(e.FormerNames)
	e.RegisteredCapital = storedDecimal(e.RegisteredCapital)
	e.EstablishedOn = storedDate(e.EstablishedOn)
	e.KeyAreas = keyAreasOf(keyAreasArg(e.KeyAreas))
	e.UpdatedAt = time.Time{}
	e.RiskCategories = storedRiskSteps(e.RiskCategories)
	return e
}

// storedRiskSteps returns imported risk steps as the risk_categories
// column gives them back (the risk model reads them: batchEntries computes
// risk categories from the batch).
func storedRiskSteps(steps []credit.RiskStep) []credit.RiskStep {
	b, ok := riskStepsArg(steps).([]byte)
	if !ok {
		return nil
	}
	out, err := riskStepsOf(b)
	if err != nil { // riskStepsArg wrote it
		panic(err)
	}
	return out
}

func storedLicense(l credit.License) credit.License {
	l.ValidFrom, l.ValidTo = storedDate(l.ValidFrom), storedDate(l.ValidTo)
	l.DecidedOn = credit.DateOf(l.DecidedOn)
	return l
}

func storedPenalty(p credit.Penalty) credit.Penalty {
	p.PenaltyTypes = penaltyTypesOf(penaltyTypesArg(p.PenaltyTypes))
	p.FineAmount, p.ConfiscationAmount = storedDecimal(p.FineAmount), storedDecimal(p.ConfiscationAmount)
	p.DecidedOn, p.PublishedOn = credit.DateOf(p.DecidedOn), credit.DateOf(p.PublishedOn)
	p.RestrictionUntil = storedDate(p.RestrictionUntil)
	p.RepairedOn = nil // not staged: a repair comes from a credit_repair record
	return p
}

func storedInspection(in credit.Inspection) credit.Inspection {
	in.InspectedOn = credit.DateOf(in.InspectedOn)
	return in
}

func storedListing(l credit.Listing) credit.Listing {
	l.ListedOn = credit.DateOf(l.ListedOn)
	l.Removal, l.RepairedOn = nil, nil // not staged: they come from removal and repair records
	return l
}

func storedCommitment(c credit.Commitment) credit.Commitment {
	c.MadeOn = credit.DateOf(c.MadeOn)
	c.UntrueFoundOn = storedDate(c.UntrueFoundOn)
	return c
}

func storedCase(c credit.TypicalCase) credit.TypicalCase {
	c.PublishedOn = credit.DateOf(c.PublishedOn)
	return c
}

func storedDate(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	d := credit.DateOf(*t)
	return &d
}

func storedDecimal(d *decimal.Decimal) *decimal.Decimal {
	if d == nil {
		return nil
	}
	return decimalOf(pgtype.Numeric{Int: d.Coefficient(), Exp: d.Exponent(), Valid: true})
}
