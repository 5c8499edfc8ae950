package memory

import (
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// The facts a repair or removal is judged on, and the "on the list" test the
// filters share. The rules themselves are the policy's; the store only
// knows which other records exist.

// inForce is the policy's "on the list" test; it does not depend on the tier.
func (s *Store) inForce(l credit.Listing, day time.Time) bool { return s.p.InForce(l, day) }

// onList reports whether uscc has a listing on list in force on day.
func (s *Store) onList(uscc string, list credit.ListKind, day time.Time) bool {
	for _, l := range s.listings.of(uscc) {
		if l.List == list && s.inForce(l, day) {
			return true
		}
	}
	return false
}

// listedOn reports whether uscc is on either list on day.
func (s *Store) listedOn(uscc string, day time.Time) bool {
	return s.onList(uscc, credit.ListSerious, day) || s.onList(uscc, credit.ListAbnormal, day)
}

// repeatViolation reports whether the enterprise was penalised again for the
// same violation type after pen and on or before the repair date. A revoked
// decision is void and is no repeat.
func (s *Store) repeatViolation(pen credit.Penalty, on time.Time) bool {
	for _, o := range s.penalties.of(pen.USCC) {
		if o.DecisionNumber != pen.DecisionNumber && o.ViolationType == pen.ViolationType && !o.Revoked &&
			o.DecidedOn.After(pen.DecidedOn) && !o.DecidedOn.After(on) {
			return true
		}
	}
	return false
}

// seriousRepairFacts looks for a heavier penalty decided after the listing:
// a disclosed, long-period one (not a reprimand or lower-amount fine, not a
// warning, not simple procedure, not revoked).
func (s *Store) seriousRepairFacts(l credit.Listing, on time.Time) credit.SeriousRepairFacts {
	for _, p := range s.penalties.of(l.USCC) {
		if p.DecidedOn.After(l.ListedOn) && !p.DecidedOn.After(on) && s.p.IsHeavierPenalty(p) {
			return credit.SeriousRepairFacts{HeavierPenaltySince: true}
		}
	}
	return credit.SeriousRepairFacts{}
}
