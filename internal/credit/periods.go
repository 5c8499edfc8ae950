package credit

import "time"

// StartsRunning says which start dates d have a period p still running on
// asOf (its last day, p.After(d) − 1 day, is on or after asOf): every d on
// or after From, and the dates in Also, which are before From. Stores use
// it to put "still within its disclosure period" into SQL with the same
// time.AddDate arithmetic as the policy: month arithmetic is not monotonic
// across month ends (30 November + 3 months = 2 March, 1 December + 3
// months = 1 March), so a single threshold would be wrong near the edge.
func (p Period) StartsRunning(asOf time.Time) (from time.Time, also []time.Time) {
	// AddDate overflows a month end by at most 3 days, so beyond a week
	// either side of the nominal start every date is decided.
	nominal := p.Before(asOf)
	lo, hi := nominal.AddDate(0, 0, -7), nominal.AddDate(0, 0, 7)
	running := func(d time.Time) bool { return p.After(d).After(asOf) }
	from = hi.AddDate(0, 0, 1)
	for d := hi; !d.Before(lo) && running(d); d = d.AddDate(0, 0, -1) {
		from = d
	}
	for d := lo; d.Before(from); d = d.AddDate(0, 0, 1) {
		if running(d) {
			also = append(also, d)
		}
	}
	return from, also
}

// PenaltyDisclosureFacts are the numbers a store needs to decide in SQL
// which penalties are disclosed (state Disclosed) on AsOf, exactly as
// Policy.Penalty decides for one: not revoked, ordinary procedure, not a
// warning only, published by AsOf, not repaired by AsOf, and within its
// period — the short one (reprimand and/or a fine below LowerFine…) from a
// publication date ShortFrom or in ShortAlso, the long one from LongFrom or
// in LongAlso, or a restriction lasting until AsOf or later.
type PenaltyDisclosureFacts struct {
	AsOf                                       time.Time
	ShortFrom, LongFrom                        time.Time
	ShortAlso, LongAlso                        []time.Time
	LowerFineIndividual, LowerFineOrganisation string // decimal strings
}

// PenaltyDisclosure returns the facts for disclosure on asOf.
func (p Policy) PenaltyDisclosure(asOf time.Time) PenaltyDisclosureFacts {
	f := PenaltyDisclosureFacts{AsOf: asOf,
		LowerFineIndividual: p.S.LowerFineIndividual.String(), LowerFineOrganisation: p.S.LowerFineOrganisation.String()}
	f.ShortFrom, f.ShortAlso = p.S.PenaltyShortPeriod.StartsRunning(asOf)
	f.LongFrom, f.LongAlso = p.S.PenaltyLongPeriod.StartsRunning(asOf)
	return f
}

// PenaltyDisclosedDays is the interval of days on which a penalty is in
// the state Disclosed (Policy.Penalty): from its publication date to the
// last day of its period, or the day before its repair when that comes
// first. ok is false when it is never disclosed (withdrawn, simple
// procedure, warning only, repaired before publication). The public tiers
// see a penalty exactly on these days, so a store may keep them and ask
// "disclosed on D" as a range test; they change only with the penalty's
// row and with the settings (periods, lower-amount thresholds).
func (p Policy) PenaltyDisclosedDays(pen Penalty) (from, until time.Time, ok bool) {
	if pen.Revoked || pen.Procedure != ProcedureOrdinary || IsWarningOnly(pen) {
		return time.Time{}, time.Time{}, false
	}
	until = p.PenaltyEndsOn(pen)
	if pen.RepairedOn != nil && onOrBefore(*pen.RepairedOn, until) {
		until = pen.RepairedOn.AddDate(0, 0, -1)
	}
	if until.Before(pen.PublishedOn) {
		return time.Time{}, time.Time{}, false
	}
	return pen.PublishedOn, until, true
}

// LastDayWithin is the last day D whose window of the years before it
// (D.AddDate(-years, 0, 0) to D) still holds day d. D.AddDate(-years, 0, 0)
// never decreases as D grows (29 February goes to 1 March, like 1 March),
// so the days whose window holds d are exactly d to LastDayWithin.
func LastDayWithin(d time.Time, years int) time.Time {
	last := d.AddDate(years, 0, 0)
	for last.AddDate(-years, 0, 0).After(d) {
		last = last.AddDate(0, 0, -1)
	}
	for !last.AddDate(0, 0, 1).AddDate(-years, 0, 0).After(d) {
		last = last.AddDate(0, 0, 1)
	}
	return last
}
