package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Removals and credit repairs are few, and each must pass a rule: they are
// read back with the facts the policy needs (gathered in SQL), checked in
// line order, and the accepted ones written with one UPDATE per kind.

// codeInvalidRecord rejects a record the store cannot interpret (a repair of
// an unknown target kind); ingest validation normally catches it first.
const codeInvalidRecord = "INVALID_RECORD"

type listingKey struct {
	list credit.ListKind
	dn   string
}

// inLineOrder returns a copy of lines sorted by line number, so checks and
// "last line wins" follow the source whatever order the batch was built in.
func inLineOrder[T any](lines []store.Line[T]) []store.Line[T] {
	out := slices.Clone(lines)
	slices.SortStableFunc(out, func(x, y store.Line[T]) int { return cmp.Compare(x.N, y.N) })
	return out
}

// ruleReject records a policy refusal; any other error is returned.
func (a *applier) ruleReject(line int, err error) error {
	var re *credit.RuleError
	if !errors.As(err, &re) {
		return err
	}
	a.reject(line, re.Code, "%s", re.Message)
	return nil
}

func (a *applier) removals(ctx context.Context, rms []store.Line[store.ListingRemoval]) error {
	if len(rms) == 0 {
		return nil
	}
	rms = inLineOrder(rms)
	keys := make([]listingKey, len(rms))
	for i, rm := range rms {
		keys[i] = listingKey{rm.V.List, rm.V.ListingDecisionNumber}
	}
	listings, err := a.listings(ctx, keys)
	if err != nil {
		return err
	}
	var usccs []string // of serious listings removed by credit repair
	for i, rm := range rms {
		if l, ok := listings[keys[i]]; ok && l.List == credit.ListSerious &&
			credit.RemovalReason(rm.V.Removal.Reason) == credit.RemovalCreditRepair {
			usccs = append(usccs, l.USCC)
		}
	}
	heavier, err := a.heavierPenalties(ctx, usccs)
	if err != nil {
		return err
	}
	accepted := map[listingKey]store.ListingRemoval{}
	for i, rm := range rms {
		l, ok := listings[keys[i]]
		if !ok {
			a.reject(rm.N, store.CodeUnknownReference, "%s removal refers to listing %s, which is neither stored nor in this import",
				rm.V.List, rm.V.ListingDecisionNumber)
			continue
		}
		facts := credit.SeriousRepairFacts{HeavierPenaltySince: heavier(l, rm.V.Removal.RemovedOn)}
		if err := a.s.policy.CheckRemoval(l, rm.V.Removal, facts); err != nil {
			if err := a.ruleReject(rm.N, err); err != nil {
				return err
			}
			continue
		}
		accepted[keys[i]] = rm.V // the last accepted line wins
	}
	if len(accepted) == 0 {
		return nil
	}
	var lists, dns, reasons, authorities []string
	var dates []time.Time
	for k, rm := range accepted {
		lists, dns = append(lists, string(k.list)), append(dns, k.dn)
		dates = append(dates, dateArg(rm.Removal.RemovedOn))
		reasons, authorities = append(reasons, rm.Removal.Reason), append(authorities, rm.Removal.Authority)
	}
	_, err = a.tx.Exec(ctx, `UPDATE listings l
		SET removed_on = r.removed_on, removal_reason = r.reason, removal_authority = r.authority, updated_at = now()
		FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[])
			AS r(list, decision_number, removed_on, reason, authority)
		WHERE l.list = r.list AND l.decision_number = r.decision_number
			AND (l.removed_on, l.removal_reason, l.removal_authority) IS DISTINCT FROM (r.removed_on, r.reason, r.authority)`,
		lists, dns, dates, reasons, authorities)
	if err != nil {
		return fmt.Errorf("remove listings: %w", err)
	}
	return nil
}

func (a *applier) repairs(ctx context.Context, reps []store.Line[credit.CreditRepair]) error {
	if len(reps) == 0 {
		return nil
	}
	var listingReps, penaltyReps []store.Line[credit.CreditRepair]
	for _, r := range inLineOrder(reps) {
		switch r.V.Target {
		case credit.RepairAbnormalListing, credit.RepairSeriousListing:
			listingReps = append(listingReps, r)
		case credit.RepairPenalty:
			penaltyReps = append(penaltyReps, r)
		default:
			a.reject(r.N, codeInvalidRecord, "credit_repair target %q is not penalty, abnormal_listing or serious_listing", r.V.Target)
		}
	}
	// Listing repairs first: a penalty repair's "listed" fact must see them,
	// whatever the order of lines.
	if err := a.listingRepairs(ctx, listingReps); err != nil {
		return err
	}
	return a.penaltyRepairs(ctx, penaltyReps)
}

func (a *applier) listingRepairs(ctx context.Context, reps []store.Line[credit.CreditRepair]) error {
	if len(reps) == 0 {
		return nil
	}
	keys := make([]listingKey, len(reps))
	for i, r := range reps {
		keys[i] = listingKey{credit.ListKind(r.V.Target), r.V.TargetDecisionNumber}
	}
	listings, err := a.listings(ctx, keys)
	if err != nil {
		return err
	}
	var usccs []string // of serious listings
	for _, l := range listings {
		if l.List == credit.ListSerious {
			usccs = append(usccs, l.USCC)
		}
	}
	heavier, err := a.heavierPenalties(ctx, usccs)
	if err != nil {
		return err
	}
	accepted := map[listingKey]credit.CreditRepair{}
	for i, r := range reps {
		l, ok := listings[keys[i]]
		if !ok {
			a.reject(r.N, store.CodeUnknownReference, "credit repair refers to %s %s, which is neither stored nor in this import",
				r.V.Target, r.V.TargetDecisionNumber)
			continue
		}
		if l.List == credit.ListSerious {
			err = a.s.policy.CheckSeriousRepair(l, r.V.RepairedOn, credit.SeriousRepairFacts{HeavierPenaltySince: heavier(l, r.V.RepairedOn)})
		} else {
			err = a.s.policy.CheckAbnormalRepair(l, r.V.RepairedOn)
		}
		if err != nil {
			if err := a.ruleReject(r.N, err); err != nil {
				return err
			}
			continue
		}
		accepted[keys[i]] = r.V // the last accepted line wins
	}
	if len(accepted) == 0 {
		return nil
	}
	var lists, dns, authorities []string
	var dates []time.Time
	for k, r := range accepted {
		lists, dns = append(lists, string(k.list)), append(dns, k.dn)
		dates, authorities = append(dates, dateArg(r.RepairedOn)), append(authorities, r.Authority)
	}
	// An abnormal-list repair also removes the listing, if nothing did yet.
	const cured = `(r.list = 'abnormal_listing' AND l.removed_on IS NULL)`
	_, err = a.tx.Exec(ctx, `UPDATE listings l
		SET repaired_on = r.repaired_on, repair_authority = r.authority, updated_at = now(),
			removed_on = CASE WHEN `+cured+` THEN r.repaired_on ELSE l.removed_on END,
			removal_reason = CASE WHEN `+cured+` THEN $5 ELSE l.removal_reason END,
			removal_authority = CASE WHEN `+cured+` THEN r.authority ELSE l.removal_authority END
		FROM unnest($1::text[], $2::text[], $3::date[], $4::text[]) AS r(list, decision_number, repaired_on, authority)
		WHERE l.list = r.list AND l.decision_number = r.decision_number
			AND (`+cured+` OR (l.repaired_on, l.repair_authority) IS DISTINCT FROM (r.repaired_on, r.authority))`,
		lists, dns, dates, authorities, store.AbnormalRepairReason)
	if err != nil {
		return fmt.Errorf("repair listings: %w", err)
	}
	return nil
}

func (a *applier) penaltyRepairs(ctx context.Context, reps []store.Line[credit.CreditRepair]) error {
	if len(reps) == 0 {
		return nil
	}
	found, err := a.penaltyRepairFacts(ctx, reps)
	if err != nil {
		return fmt.Errorf("penalty repair facts: %w", err)
	}
	accepted := map[string]credit.CreditRepair{}
	for _, r := range reps {
		f, ok := found[r.N]
		if !ok {
			a.reject(r.N, store.CodeUnknownReference, "credit repair refers to penalty %s, which is neither stored nor in this import",
				r.V.TargetDecisionNumber)
			continue
		}
		if err := a.s.policy.CheckPenaltyRepair(f.pen, r.V.RepairedOn, f.facts); err != nil {
			if err := a.ruleReject(r.N, err); err != nil {
				return err
			}
			continue
		}
		accepted[r.V.TargetDecisionNumber] = r.V // the last accepted line wins
	}
	if len(accepted) == 0 {
		return nil
	}
	var dns, authorities []string
	var dates []time.Time
	for dn, r := range accepted {
		dns, authorities = append(dns, dn), append(authorities, r.Authority)
		dates = append(dates, dateArg(r.RepairedOn))
	}
	_, err = a.tx.Exec(ctx, `UPDATE penalties p
		SET repaired_on = r.repaired_on, repair_authority = r.authority, updated_at = now()
		FROM unnest($1::text[], $2::date[], $3::text[]) AS r(decision_number, repaired_on, authority)
		WHERE p.decision_number = r.decision_number
			AND (p.repaired_on, p.repair_authority) IS DISTINCT FROM (r.repaired_on, r.authority)`,
		dns, dates, authorities)
	if err != nil {
		return fmt.Errorf("repair penalties: %w", err)
	}
	return nil
}

type penaltyFacts struct {
	pen   credit.Penalty
	facts credit.PenaltyRepairFacts
}

// penaltyRepairFacts reads, in one statement, the penalty each repair line
// names with its facts: Listed, a listing of the enterprise in force on the
// repair date (as in inForce), and RepeatViolation, a later, not revoked
// penalty for the same violation decided by the repair date. A line whose
// penalty is unknown is missing from the result.
func (a *applier) penaltyRepairFacts(ctx context.Context, reps []store.Line[credit.CreditRepair]) (map[int]penaltyFacts, error) {
	lines := make([]int32, len(reps))
	dns := make([]string, len(reps))
	dates := make([]time.Time, len(reps))
	seriousAfter := make([]time.Time, len(reps))
	for i, r := range reps {
		lines[i], dns[i], dates[i] = int32(r.N), r.V.TargetDecisionNumber, dateArg(r.V.RepairedOn)
		seriousAfter[i] = a.s.policy.SeriousListedAfter(dates[i])
	}
	rows, err := a.tx.Query(ctx, `SELECT r.line, `+penaltyColumns+`,
			EXISTS (SELECT 1 FROM listings l WHERE l.uscc = p.uscc AND l.listed_on <= r.repaired_on
				AND (l.list = 'abnormal_listing' OR l.listed_on >= r.serious_after)
				AND (l.removed_on IS NULL OR l.removed_on > r.repaired_on)
				AND (l.repaired_on IS NULL OR l.repaired_on > r.repaired_on)),
			EXISTS (SELECT 1 FROM penalties q WHERE q.uscc = p.uscc AND q.violation_type = p.violation_type
				AND q.decision_number <> p.decision_number AND NOT q.revoked
				AND q.decided_on > p.decided_on AND q.decided_on <= r.repaired_on)
		FROM unnest($1::int[], $2::text[], $3::date[], $4::date[]) AS r(line, decision_number, repaired_on, serious_after)
		JOIN penalties p ON p.decision_number = r.decision_number`, lines, dns, dates, seriousAfter)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	found := make(map[int]penaltyFacts, len(reps))
	for rows.Next() {
		var (
			line int
			pr   penaltyRow
			f    penaltyFacts
		)
		if err := rows.Scan(append(append([]any{&line}, pr.dest()...), &f.facts.Listed, &f.facts.RepeatViolation)...); err != nil {
			return nil, err
		}
		f.pen = pr.penalty()
		found[line] = f
	}
	return found, rows.Err()
}

// listings reads the listings named by keys, as they stand in this
// transaction (after the batch's upserts and removals).
func (a *applier) listings(ctx context.Context, keys []listingKey) (map[listingKey]credit.Listing, error) {
	lists := make([]string, len(keys))
	dns := make([]string, len(keys))
	for i, k := range keys {
		lists[i], dns[i] = string(k.list), k.dn
	}
	rows, err := a.tx.Query(ctx, `SELECT `+listingColumns+` FROM listings l
		WHERE (l.list, l.decision_number) IN (SELECT * FROM unnest($1::text[], $2::text[]))`, lists, dns)
	if err != nil {
		return nil, fmt.Errorf("read listings: %w", err)
	}
	defer rows.Close()
	out := make(map[listingKey]credit.Listing, len(keys))
	for rows.Next() {
		l, err := scanListing(rows)
		if err != nil {
			return nil, fmt.Errorf("read listings: %w", err)
		}
		out[listingKey{l.List, l.DecisionNumber}] = l
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read listings: %w", err)
	}
	return out, nil
}

// heavierPenalties gathers the SeriousRepairFacts of serious listings of the
// enterprises usccs: whether the enterprise had a heavier penalty (as the
// policy defines it) decided after the listing date and on or before the
// repair or removal date.
func (a *applier) heavierPenalties(ctx context.Context, usccs []string) (func(l credit.Listing, on time.Time) bool, error) {
	latest := map[string][]time.Time{} // per enterprise: decision dates of heavier penalties
	if len(usccs) > 0 {
		rows, err := a.tx.Query(ctx, `SELECT `+penaltyColumns+` FROM penalties p WHERE p.uscc = ANY($1)`, usccs)
		if err != nil {
			return nil, fmt.Errorf("heavier penalties: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPenalty(rows)
			if err != nil {
				return nil, fmt.Errorf("heavier penalties: %w", err)
			}
			if a.s.policy.IsHeavierPenalty(p) {
				latest[p.USCC] = append(latest[p.USCC], p.DecidedOn)
			}
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("heavier penalties: %w", err)
		}
	}
	return func(l credit.Listing, on time.Time) bool {
		return slices.ContainsFunc(latest[l.USCC], func(d time.Time) bool { return d.After(l.ListedOn) && !d.After(on) })
	}, nil
}
