package credit

import (
	"testing"
	"time"
)

var defaultPolicy = NewPolicy(DefaultSettings())

type discCase struct {
	name      string
	asOf      string
	want      Disclosure
	stateOnly bool // compare the state only: REPAIRED's EndsOn is the repair date itself, not the last day shown
}

// lifecycle gives the cases around a disclosed record's period: the day
// before, of and after its first day and its last day, and the day after that.
func lifecycle(first, last string) []discCase {
	f, l := d(first), d(last)
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	return []discCase{
		{name: "day before publication", asOf: day(f.AddDate(0, 0, -1)), want: disc(NotDisclosed, last, first)},
		{name: "publication day", asOf: first, want: disc(Disclosed, last, day(l.AddDate(0, 0, 1)))},
		{name: "day after publication", asOf: day(f.AddDate(0, 0, 1)), want: disc(Disclosed, last, day(l.AddDate(0, 0, 1)))},
		{name: "day before last day", asOf: day(l.AddDate(0, 0, -1)), want: disc(Disclosed, last, day(l.AddDate(0, 0, 1)))},
		{name: "last day " + last, asOf: last, want: disc(Disclosed, last, day(l.AddDate(0, 0, 1)))},
		{name: "day after last day", asOf: day(l.AddDate(0, 0, 1)), want: disc(Expired, last, "")},
		{name: "years later", asOf: day(l.AddDate(5, 0, 0)), want: disc(Expired, last, "")},
	}
}

// Order No. 45: who is disclosed, from when, and for how long. A penalty
// published 2024-05-01 is public until 2024-07-31 (3 months) or 2027-04-30
// (3 years).
func TestPenaltyPeriods(t *testing.T) {
	const pub, short, long = "2024-05-01", "2024-07-31", "2027-04-30"
	records := []struct {
		name string
		pen  Penalty
		last string
	}{
		{name: "reprimand only: 3 months", pen: penalty(pub, types(PenaltyPublicReprimand)), last: short},
		{name: "lower fine only: 3 months", pen: penalty(pub, fine(99_999.99)), last: short},
		{name: "reprimand and lower fine: 3 months", pen: penalty(pub, types(PenaltyPublicReprimand, PenaltyFine), fine(20_000)), last: short},
		{name: "warning and lower fine: 3 months", pen: penalty(pub, types(PenaltyWarning, PenaltyFine), fine(5_000)), last: short},
		{name: "warning and reprimand: 3 months", pen: penalty(pub, types(PenaltyWarning, PenaltyPublicReprimand)), last: short},

		{name: "individual business, fine just under ¥10,000: lower", pen: penalty(pub, on(indivUSCC), fine(9_999.99)), last: short},
		{name: "individual business, fine exactly ¥10,000: not lower", pen: penalty(pub, on(indivUSCC), fine(10_000)), last: long},
		{name: "individual business, fine ¥50,000: not lower", pen: penalty(pub, on(indivUSCC), fine(50_000)), last: long},
		{name: "organisation, fine ¥50,000: lower", pen: penalty(pub, fine(50_000)), last: short},
		{name: "organisation, fine just under ¥100,000: lower", pen: penalty(pub, fine(99_999.99)), last: short},
		{name: "organisation, fine exactly ¥100,000: not lower", pen: penalty(pub, fine(100_000)), last: long},
		{name: "organisation, fine ¥100,000.01: not lower", pen: penalty(pub, fine(100_000.01)), last: long},
		{name: "farmers' cooperative uses the organisation threshold", pen: penalty(pub, on(withCheck(t, "93350181MA31XY0K0")), fine(50_000)), last: short},
		{name: "fine without an amount is not lower", pen: penalty(pub, func(p *Penalty) { p.FineAmount = nil }), last: long},

		{name: "fine ¥200,000: 3 years", pen: penalty(pub), last: long},
		{name: "reprimand and confiscation: 3 years", pen: penalty(pub, types(PenaltyPublicReprimand, PenaltyConfiscation)), last: long},
		{name: "lower fine and suspension: 3 years", pen: penalty(pub, types(PenaltyFine, PenaltySuspension), fine(1_000)), last: long},
		{name: "other: 3 years", pen: penalty(pub, types(PenaltyOther)), last: long},
		{name: "licence revocation: 3 years", pen: penalty(pub, types(PenaltyLicenseRevocation)), last: long},

		{name: "restriction until beyond 3 years extends", pen: penalty(pub, types(PenaltyRestriction), restrictedUntil("2028-06-30")), last: "2028-06-30"},
		{name: "restriction until one day beyond 3 years extends", pen: penalty(pub, types(PenaltyRestriction), restrictedUntil("2027-05-01")), last: "2027-05-01"},
		{name: "restriction until the last day of 3 years", pen: penalty(pub, types(PenaltyRestriction), restrictedUntil(long)), last: long},
		{name: "restriction shorter than 3 years", pen: penalty(pub, types(PenaltyRestriction), restrictedUntil("2025-01-01")), last: long},

		{name: "3 months from 30 November end on 29 February", pen: penalty("2023-11-30", types(PenaltyPublicReprimand)), last: "2024-02-29"},
		{name: "3 months from 31 May end on 30 August", pen: penalty("2024-05-31", types(PenaltyPublicReprimand)), last: "2024-08-30"},
		{name: "3 years from 29 February end on 28 February", pen: penalty("2024-02-29"), last: "2027-02-28"},
		{name: "3 years from 1 March across a leap day", pen: penalty("2021-03-01"), last: "2024-02-29"},
	}
	for _, r := range records {
		for _, c := range lifecycle(r.pen.PublishedOn.Format(time.DateOnly), r.last) {
			t.Run(r.name+"/"+c.name, func(t *testing.T) {
				checkDisclosure(t, defaultPolicy.Penalty(r.pen, d(c.asOf)), c.want, false)
				if got := defaultPolicy.PenaltyEndsOn(r.pen); !got.Equal(d(r.last)) {
					t.Errorf("PenaltyEndsOn = %s, want %s", got.Format(time.DateOnly), r.last)
				}
			})
		}
	}
}

func TestPenaltyNeverPublic(t *testing.T) {
	const pub = "2024-05-01"
	tests := []struct {
		name string
		pen  Penalty
		want DisclosureState
	}{
		{name: "simple procedure", pen: penalty(pub, simple), want: NotDisclosed},
		{name: "simple procedure, lower fine", pen: penalty(pub, simple, fine(200)), want: NotDisclosed},
		{name: "no procedure recorded", pen: penalty(pub, func(p *Penalty) { p.Procedure = "" }), want: NotDisclosed},
		{name: "warning only", pen: penalty(pub, types(PenaltyWarning)), want: NotDisclosed},
		{name: "warning only, simple procedure", pen: penalty(pub, types(PenaltyWarning), simple), want: NotDisclosed},
		{name: "revoked", pen: penalty(pub, revoked), want: Withdrawn},
		{name: "revoked short-period", pen: penalty(pub, revoked, types(PenaltyPublicReprimand)), want: Withdrawn},
		{name: "revoked and repaired", pen: penalty(pub, revoked, penaltyRepaired("2025-01-01")), want: Withdrawn},
		{name: "revoked simple", pen: penalty(pub, revoked, simple), want: Withdrawn},
	}
	for _, tt := range tests {
		for _, asOf := range []string{"2024-04-30", pub, "2024-05-02", "2025-06-01", "2027-04-30", "2027-05-01", "2035-01-01"} {
			t.Run(tt.name+"/"+asOf, func(t *testing.T) {
				checkDisclosure(t, defaultPolicy.Penalty(tt.pen, d(asOf)), disc(tt.want, "", ""), false)
			})
		}
	}
}

// A repair stops disclosure from the repair date; the day before the
// penalty is still public and says it changes on the repair date.
func TestPenaltyRepaired(t *testing.T) {
	pen := penalty("2024-05-01", penaltyRepaired("2025-03-01"))
	dayBeforeLast := penalty("2024-05-01", penaltyRepaired("2027-04-29"))
	afterEnd := penalty("2024-05-01", penaltyRepaired("2027-05-01"))
	tests := []struct {
		name string
		pen  Penalty
		discCase
	}{
		{name: "before publication", pen: pen, discCase: discCase{asOf: "2024-04-30", want: disc(NotDisclosed, "2025-02-28", "2024-05-01")}},
		{name: "publication day", pen: pen, discCase: discCase{asOf: "2024-05-01", want: disc(Disclosed, "2025-02-28", "2025-03-01")}},
		{name: "day before repair", pen: pen, discCase: discCase{asOf: "2025-02-28", want: disc(Disclosed, "2025-02-28", "2025-03-01")}},
		{name: "repair date", pen: pen, discCase: discCase{asOf: "2025-03-01", want: disc(Repaired, "", ""), stateOnly: true}},
		{name: "day after repair", pen: pen, discCase: discCase{asOf: "2025-03-02", want: disc(Repaired, "", ""), stateOnly: true}},
		{name: "after the period would have ended", pen: pen, discCase: discCase{asOf: "2028-01-01", want: disc(Repaired, "", ""), stateOnly: true}},
		{name: "repaired the day before the last day: day before", pen: dayBeforeLast, discCase: discCase{asOf: "2027-04-28", want: disc(Disclosed, "2027-04-28", "2027-04-29")}},
		{name: "repaired the day before the last day: that day", pen: dayBeforeLast, discCase: discCase{asOf: "2027-04-29", want: disc(Repaired, "", ""), stateOnly: true}},
		{name: "repaired after the end: last day", pen: afterEnd, discCase: discCase{asOf: "2027-04-30", want: disc(Disclosed, "2027-04-30", "2027-05-01")}},
		{name: "repaired after the end: expired, not repaired", pen: afterEnd, discCase: discCase{asOf: "2027-05-01", want: disc(Expired, "2027-04-30", "")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDisclosure(t, defaultPolicy.Penalty(tt.pen, d(tt.asOf)), tt.want, tt.stateOnly)
		})
	}
}

// Order No. 44: 3 years on the serious list, then removed automatically;
// removal ends disclosure from the removal date with the state its reason
// names. Listed 2021-03-01, the last day is 2024-02-29.
func TestSeriousListing(t *testing.T) {
	type listingCases struct {
		name  string
		l     Listing
		cases []discCase
	}
	const listed = "2021-03-01"
	records := []listingCases{
		{name: "3 years across 29 February", l: serious(listed), cases: lifecycle(listed, "2024-02-29")},
		{name: "listed on 29 February", l: serious("2024-02-29"), cases: lifecycle("2024-02-29", "2027-02-28")},
		{name: "listed mid-month", l: serious("2021-05-10"), cases: lifecycle("2021-05-10", "2024-05-09")},
		{name: "removed as expired on time", l: serious(listed, removed("2024-03-01", string(RemovalExpired))), cases: []discCase{
			{name: "last day", asOf: "2024-02-29", want: disc(Disclosed, "2024-02-29", "2024-03-01")},
			{name: "removal date", asOf: "2024-03-01", want: disc(Expired, "2024-02-29", "")},
			{name: "day after removal", asOf: "2024-03-02", want: disc(Expired, "2024-02-29", "")},
		}},
		{name: "removed as expired early", l: serious(listed, removed("2023-01-10", string(RemovalExpired))), cases: []discCase{
			{name: "day before removal", asOf: "2023-01-09", want: disc(Disclosed, "2023-01-09", "2023-01-10")},
			{name: "removal date", asOf: "2023-01-10", want: disc(Expired, "2023-01-09", "")},
		}},
		{name: "removed by credit repair", l: serious(listed, removed("2022-06-01", string(RemovalCreditRepair))), cases: []discCase{
			{name: "before listing", asOf: "2021-02-28", want: disc(NotDisclosed, "2022-05-31", listed)},
			{name: "day before removal", asOf: "2022-05-31", want: disc(Disclosed, "2022-05-31", "2022-06-01")},
			{name: "removal date", asOf: "2022-06-01", want: disc(Repaired, "", ""), stateOnly: true},
			{name: "day after removal", asOf: "2022-06-02", want: disc(Repaired, "", ""), stateOnly: true},
			{name: "after the period", asOf: "2025-01-01", want: disc(Repaired, "", ""), stateOnly: true},
		}},
		{name: "removed as revoked", l: serious(listed, removed("2022-06-01", string(RemovalRevoked))), cases: []discCase{
			{name: "day before removal", asOf: "2022-05-31", want: disc(Disclosed, "2022-05-31", "2022-06-01")},
			{name: "removal date", asOf: "2022-06-01", want: disc(Withdrawn, "", "")},
			{name: "day after removal", asOf: "2022-06-02", want: disc(Withdrawn, "", "")},
			{name: "after the period", asOf: "2025-01-01", want: disc(Withdrawn, "", "")},
		}},
		{name: "revoked after expiry", l: serious(listed, removed("2024-06-01", string(RemovalRevoked))), cases: []discCase{
			{name: "expired", asOf: "2024-03-01", want: disc(Expired, "2024-02-29", "")},
			{name: "removal date", asOf: "2024-06-01", want: disc(Withdrawn, "", "")},
		}},
		{name: "repaired (RepairedOn)", l: serious(listed, listingRepaired("2022-06-01")), cases: []discCase{
			{name: "day before repair", asOf: "2022-05-31", want: disc(Disclosed, "2022-05-31", "2022-06-01")},
			{name: "repair date", asOf: "2022-06-01", want: disc(Repaired, "", ""), stateOnly: true},
			{name: "day after repair", asOf: "2022-06-02", want: disc(Repaired, "", ""), stateOnly: true},
		}},
		{name: "repaired with a credit_repair removal the same day", l: serious(listed, listingRepaired("2022-06-01"), removed("2022-06-01", string(RemovalCreditRepair))), cases: []discCase{
			{name: "day before", asOf: "2022-05-31", want: disc(Disclosed, "2022-05-31", "2022-06-01")},
			{name: "repair date", asOf: "2022-06-01", want: disc(Repaired, "", ""), stateOnly: true},
		}},
	}
	for _, r := range records {
		for _, c := range r.cases {
			t.Run(r.name+"/"+c.name, func(t *testing.T) {
				checkDisclosure(t, defaultPolicy.SeriousListing(r.l, d(c.asOf)), c.want, c.stateOnly)
				checkDisclosure(t, defaultPolicy.Listing(r.l, d(c.asOf)), c.want, c.stateOnly)
			})
		}
	}
}

// The abnormal list has no period: the listing and its removal stay public.
func TestAbnormalListing(t *testing.T) {
	const listed = "2023-05-10"
	tests := []struct {
		name string
		l    Listing
		asOf string
		want Disclosure
	}{
		{name: "day before listing", l: abnormal(listed), asOf: "2023-05-09", want: disc(NotDisclosed, "", listed)},
		{name: "listing day", l: abnormal(listed), asOf: listed, want: disc(Disclosed, "", "")},
		{name: "day after listing", l: abnormal(listed), asOf: "2023-05-11", want: disc(Disclosed, "", "")},
		{name: "3 years later, still listed", l: abnormal(listed), asOf: "2026-05-10", want: disc(Disclosed, "", "")},
		{name: "day before removal", l: abnormal(listed, removed("2024-01-15", "已补报年度报告")), asOf: "2024-01-14", want: disc(Disclosed, "", "")},
		{name: "removal date", l: abnormal(listed, removed("2024-01-15", "已补报年度报告")), asOf: "2024-01-15", want: disc(Disclosed, "", "")},
		{name: "day after removal", l: abnormal(listed, removed("2024-01-15", "已补报年度报告")), asOf: "2024-01-16", want: disc(Disclosed, "", "")},
		{name: "years after removal", l: abnormal(listed, removed("2024-01-15", "已补报年度报告")), asOf: "2034-01-16", want: disc(Disclosed, "", "")},
		{name: "repaired and removed: repair date", l: abnormal(listed, listingRepaired("2024-01-15"), removed("2024-01-15", "信用修复")), asOf: "2024-01-15", want: disc(Disclosed, "", "")},
		{name: "repaired and removed: years later", l: abnormal(listed, listingRepaired("2024-01-15"), removed("2024-01-15", "信用修复")), asOf: "2030-01-01", want: disc(Disclosed, "", "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDisclosure(t, defaultPolicy.AbnormalListing(tt.l, d(tt.asOf)), tt.want, false)
			checkDisclosure(t, defaultPolicy.Listing(tt.l, d(tt.asOf)), tt.want, false)
		})
	}
}

// Each record's disclosure must agree with itself as asOf moves: ChangesOn
// is exactly the first day the state differs, an EXPIRED record's EndsOn is
// in the past, and EndsOn does not move. REPAIRED is left out of the EndsOn
// checks: it reports the repair date, not the last day of display.
func TestDisclosureConsistentOverTime(t *testing.T) {
	penalties := map[string]Penalty{
		"short":                        penalty("2024-05-01", types(PenaltyPublicReprimand)),
		"long":                         penalty("2024-05-01"),
		"long from 29 February":        penalty("2024-02-29"),
		"restricted":                   penalty("2024-05-01", types(PenaltyRestriction), restrictedUntil("2027-09-30")),
		"repaired":                     penalty("2024-05-01", penaltyRepaired("2025-03-01")),
		"repaired after the end":       penalty("2024-05-01", penaltyRepaired("2027-06-01")),
		"simple":                       penalty("2024-05-01", simple),
		"revoked":                      penalty("2024-05-01", revoked),
		"short from 30 November":       penalty("2023-11-30", types(PenaltyPublicReprimand)),
		"individual at threshold":      penalty("2024-05-01", on(indivUSCC), fine(10_000)),
		"individual under it":          penalty("2024-05-01", on(indivUSCC), fine(9_999)),
		"organisation under it":        penalty("2024-05-01", fine(99_999)),
		"organisation at it":           penalty("2024-05-01", fine(100_000)),
		"warning and reprimand":        penalty("2024-05-01", types(PenaltyWarning, PenaltyPublicReprimand)),
		"repaired before the last day": penalty("2024-05-01", penaltyRepaired("2027-04-29")),
	}
	listings := map[string]Listing{
		"serious":                   serious("2024-02-29"),
		"serious expired on time":   serious("2024-02-29", removed("2027-03-01", string(RemovalExpired))),
		"serious repaired":          serious("2024-02-29", listingRepaired("2025-03-01")),
		"serious removed by repair": serious("2024-02-29", removed("2025-03-01", string(RemovalCreditRepair))),
		"serious revoked":           serious("2024-02-29", removed("2025-03-01", string(RemovalRevoked))),
		"abnormal":                  abnormal("2024-02-29"),
		"abnormal removed":          abnormal("2024-02-29", removed("2025-03-01", "已补报")),
	}
	span := days("2023-11-01", "2028-03-31")
	check := func(t *testing.T, at func(time.Time) Disclosure) {
		var ends *time.Time
		for _, asOf := range span {
			got := at(asOf)
			if got.ChangesOn != nil {
				c := *got.ChangesOn
				if !c.After(asOf) {
					t.Fatalf("%s: ChangesOn %s is not after asOf", asOf.Format(time.DateOnly), c.Format(time.DateOnly))
				}
				if prev := at(c.AddDate(0, 0, -1)); prev.State != got.State {
					t.Errorf("%s: %s, but the day before ChangesOn %s it is already %s", asOf.Format(time.DateOnly), got.State, c.Format(time.DateOnly), prev.State)
				}
				if next := at(c); next.State == got.State {
					t.Errorf("%s: ChangesOn %s, but the state is still %s then", asOf.Format(time.DateOnly), c.Format(time.DateOnly), got.State)
				}
			}
			if got.State == Disclosed && got.EndsOn != nil && got.EndsOn.Before(asOf) {
				t.Errorf("%s: DISCLOSED with EndsOn %s in the past", asOf.Format(time.DateOnly), fmtDate(got.EndsOn))
			}
			if got.State == Expired && got.EndsOn != nil && !got.EndsOn.Before(asOf) {
				t.Errorf("%s: %s with EndsOn %s not in the past", asOf.Format(time.DateOnly), got.State, fmtDate(got.EndsOn))
			}
			if got.EndsOn == nil || got.State == Repaired {
				continue
			}
			if ends == nil {
				ends = got.EndsOn
			} else if !ends.Equal(*got.EndsOn) {
				t.Errorf("%s: EndsOn moved from %s to %s", asOf.Format(time.DateOnly), fmtDate(ends), fmtDate(got.EndsOn))
			}
		}
	}
	for name, pen := range penalties {
		t.Run("penalty "+name, func(t *testing.T) {
			check(t, func(asOf time.Time) Disclosure { return defaultPolicy.Penalty(pen, asOf) })
		})
	}
	for name, l := range listings {
		t.Run("listing "+name, func(t *testing.T) {
			check(t, func(asOf time.Time) Disclosure { return defaultPolicy.Listing(l, asOf) })
		})
	}
}

func TestInForce(t *testing.T) {
	tests := []struct {
		name string
		l    Listing
		day  string
		want bool
	}{
		{name: "serious: day before listing", l: serious("2021-03-01"), day: "2021-02-28", want: false},
		{name: "serious: listing day", l: serious("2021-03-01"), day: "2021-03-01", want: true},
		{name: "serious: last day", l: serious("2021-03-01"), day: "2024-02-29", want: true},
		{name: "serious: 3 years on", l: serious("2021-03-01"), day: "2024-03-01", want: false},
		{name: "serious: day before removal", l: serious("2021-03-01", removed("2022-06-01", string(RemovalRevoked))), day: "2022-05-31", want: true},
		{name: "serious: removal date", l: serious("2021-03-01", removed("2022-06-01", string(RemovalRevoked))), day: "2022-06-01", want: false},
		{name: "serious: day before repair", l: serious("2021-03-01", listingRepaired("2022-06-01")), day: "2022-05-31", want: true},
		{name: "serious: repair date", l: serious("2021-03-01", listingRepaired("2022-06-01")), day: "2022-06-01", want: false},
		{name: "serious: expired removal on time", l: serious("2021-03-01", removed("2024-03-01", string(RemovalExpired))), day: "2024-03-01", want: false},
		{name: "abnormal: day before listing", l: abnormal("2023-05-10"), day: "2023-05-09", want: false},
		{name: "abnormal: listing day", l: abnormal("2023-05-10"), day: "2023-05-10", want: true},
		{name: "abnormal: years on, never removed", l: abnormal("2023-05-10"), day: "2030-05-10", want: true},
		{name: "abnormal: day before removal", l: abnormal("2023-05-10", removed("2024-01-15", "已补报")), day: "2024-01-14", want: true},
		{name: "abnormal: removal date", l: abnormal("2023-05-10", removed("2024-01-15", "已补报")), day: "2024-01-15", want: false},
		{name: "abnormal: repaired and removed", l: abnormal("2023-05-10", listingRepaired("2024-01-15"), removed("2024-01-15", "信用修复")), day: "2024-01-15", want: false},
		{name: "abnormal: repaired, removal not recorded", l: abnormal("2023-05-10", listingRepaired("2024-01-15")), day: "2024-01-15", want: false},
		{name: "abnormal: day before repair", l: abnormal("2023-05-10", listingRepaired("2024-01-15")), day: "2024-01-14", want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := defaultPolicy.InForce(tt.l, d(tt.day)); got != tt.want {
				t.Errorf("InForce on %s = %v, want %v", tt.day, got, tt.want)
			}
		})
	}
}

// Listed 2021-05-01 → due 2024-05-01, reminder from 2024-03-02 (60 days
// before). Listed 2021-03-01 → due 2024-03-01, reminder from 2024-01-01
// (February has 29 days in 2024).
func TestDueForSeriousList(t *testing.T) {
	tests := []struct {
		name       string
		l          Listing
		asOf       string
		wantRemind bool
		wantDue    string
	}{
		{name: "a year in", l: abnormal("2021-05-01"), asOf: "2022-05-01", wantRemind: false, wantDue: "2024-05-01"},
		{name: "day before the window", l: abnormal("2021-05-01"), asOf: "2024-03-01", wantRemind: false, wantDue: "2024-05-01"},
		{name: "first day of the window", l: abnormal("2021-05-01"), asOf: "2024-03-02", wantRemind: true, wantDue: "2024-05-01"},
		{name: "second day of the window", l: abnormal("2021-05-01"), asOf: "2024-03-03", wantRemind: true, wantDue: "2024-05-01"},
		{name: "day before due", l: abnormal("2021-05-01"), asOf: "2024-04-30", wantRemind: true, wantDue: "2024-05-01"},
		{name: "due day", l: abnormal("2021-05-01"), asOf: "2024-05-01", wantRemind: true, wantDue: "2024-05-01"},
		{name: "overdue", l: abnormal("2021-05-01"), asOf: "2025-01-01", wantRemind: true, wantDue: "2024-05-01"},
		{name: "leap year: day before the window", l: abnormal("2021-03-01"), asOf: "2023-12-31", wantRemind: false, wantDue: "2024-03-01"},
		{name: "leap year: first day of the window", l: abnormal("2021-03-01"), asOf: "2024-01-01", wantRemind: true, wantDue: "2024-03-01"},
		{name: "removed in the window: day before", l: abnormal("2021-05-01", removed("2024-03-15", "已补报")), asOf: "2024-03-14", wantRemind: true, wantDue: "2024-05-01"},
		{name: "removed in the window: removal date", l: abnormal("2021-05-01", removed("2024-03-15", "已补报")), asOf: "2024-03-15", wantRemind: false, wantDue: "2024-05-01"},
		{name: "removed before the window", l: abnormal("2021-05-01", removed("2022-01-15", "已补报")), asOf: "2024-04-01", wantRemind: false, wantDue: "2024-05-01"},
		{name: "removal in the future does not stop the reminder", l: abnormal("2021-05-01", removed("2024-06-01", "已补报")), asOf: "2024-04-01", wantRemind: true, wantDue: "2024-05-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			remind, due := defaultPolicy.DueForSeriousList(tt.l, d(tt.asOf))
			if remind != tt.wantRemind || !due.Equal(d(tt.wantDue)) {
				t.Errorf("DueForSeriousList on %s = %v, %s; want %v, %s", tt.asOf, remind, due.Format(time.DateOnly), tt.wantRemind, tt.wantDue)
			}
		})
	}
}

// The store filters serious listings with ListedOn >= SeriousListedAfter(asOf);
// that must pick exactly the listings SeriousListing calls DISCLOSED, every
// day for four years (two 29 Februaries) and for a few period settings.
func TestSeriousListedAfterMatchesSeriousListing(t *testing.T) {
	periods := []Period{{Years: 3}, {Years: 1}, {Years: 4}, {Years: 5}, {Days: 1000}}
	for _, period := range periods {
		s := DefaultSettings()
		s.SeriousListingPeriod = period
		p := NewPolicy(s)
		t.Run(period.String(), func(t *testing.T) {
			for _, asOf := range days("2023-01-01", "2028-12-31") {
				after := p.SeriousListedAfter(asOf)
				if got := p.SeriousListing(serious(after.Format(time.DateOnly)), asOf).State; got != Disclosed {
					t.Fatalf("asOf %s: listed on SeriousListedAfter = %s is %s, want DISCLOSED", asOf.Format(time.DateOnly), after.Format(time.DateOnly), got)
				}
				before := after.AddDate(0, 0, -1)
				if got := p.SeriousListing(serious(before.Format(time.DateOnly)), asOf).State; got == Disclosed {
					t.Fatalf("asOf %s: listed the day before SeriousListedAfter (%s) is still DISCLOSED", asOf.Format(time.DateOnly), before.Format(time.DateOnly))
				}
			}
		})
	}
	t.Run("examples", func(t *testing.T) {
		tests := []struct{ name, asOf, want string }{
			{name: "ordinary day", asOf: "2024-05-10", want: "2021-05-11"},
			{name: "29 February", asOf: "2024-02-29", want: "2021-03-01"},
			{name: "28 February of a leap year", asOf: "2024-02-28", want: "2021-03-01"},
			{name: "1 March of a leap year", asOf: "2024-03-01", want: "2021-03-02"},
			{name: "28 February three years after a leap year", asOf: "2027-02-28", want: "2024-02-29"},
			{name: "1 March three years after a leap year", asOf: "2027-03-01", want: "2024-03-02"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := defaultPolicy.SeriousListedAfter(d(tt.asOf)); !got.Equal(d(tt.want)) {
					t.Errorf("SeriousListedAfter(%s) = %s, want %s", tt.asOf, got.Format(time.DateOnly), tt.want)
				}
			})
		}
	})
}

func TestVisibleTo(t *testing.T) {
	for _, state := range []DisclosureState{Disclosed, Expired, Repaired, Withdrawn, NotDisclosed} {
		for _, tier := range Tiers {
			want := tier == TierRegulator || state == Disclosed
			t.Run(string(state)+"/"+tier.String(), func(t *testing.T) {
				v := Visibility{Tier: tier, AsOf: d("2024-05-01")}
				if got := (Disclosure{State: state}).VisibleTo(v); got != want {
					t.Errorf("VisibleTo = %v, want %v", got, want)
				}
			})
		}
	}
}

func TestIsShortPeriod(t *testing.T) {
	tests := []struct {
		name string
		pen  Penalty
		want bool
	}{
		{name: "reprimand", pen: penalty("2024-05-01", types(PenaltyPublicReprimand)), want: true},
		{name: "lower fine", pen: penalty("2024-05-01", fine(1)), want: true},
		{name: "warning and lower fine", pen: penalty("2024-05-01", types(PenaltyWarning, PenaltyFine), fine(1)), want: true},
		{name: "warning only has no short penalty", pen: penalty("2024-05-01", types(PenaltyWarning)), want: false},
		{name: "no types", pen: penalty("2024-05-01", types()), want: false},
		{name: "fine at the threshold", pen: penalty("2024-05-01", fine(100_000)), want: false},
		{name: "individual fine at its threshold", pen: penalty("2024-05-01", on(indivUSCC), fine(10_000)), want: false},
		{name: "reprimand and confiscation", pen: penalty("2024-05-01", types(PenaltyPublicReprimand, PenaltyConfiscation)), want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := defaultPolicy.IsShortPeriod(tt.pen); got != tt.want {
				t.Errorf("IsShortPeriod = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestIsWarningOnly(t *testing.T) {
	tests := []struct {
		name string
		ts   []PenaltyType
		want bool
	}{
		{name: "warning", ts: []PenaltyType{PenaltyWarning}, want: true},
		{name: "two warnings", ts: []PenaltyType{PenaltyWarning, PenaltyWarning}, want: true},
		{name: "warning and fine", ts: []PenaltyType{PenaltyWarning, PenaltyFine}, want: false},
		{name: "reprimand", ts: []PenaltyType{PenaltyPublicReprimand}, want: false},
		{name: "none", ts: nil, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsWarningOnly(Penalty{PenaltyTypes: tt.ts}); got != tt.want {
				t.Errorf("IsWarningOnly(%v) = %v, want %v", tt.ts, got, tt.want)
			}
		})
	}
}

func TestIsHeavierPenalty(t *testing.T) {
	tests := []struct {
		name string
		pen  Penalty
		want bool
	}{
		{name: "fine ¥200,000", pen: penalty("2024-05-01"), want: true},
		{name: "suspension", pen: penalty("2024-05-01", types(PenaltySuspension)), want: true},
		{name: "individual fine at its threshold", pen: penalty("2024-05-01", on(indivUSCC), fine(10_000)), want: true},
		{name: "lower fine", pen: penalty("2024-05-01", fine(99_999)), want: false},
		{name: "reprimand", pen: penalty("2024-05-01", types(PenaltyPublicReprimand)), want: false},
		{name: "warning", pen: penalty("2024-05-01", types(PenaltyWarning)), want: false},
		{name: "simple procedure", pen: penalty("2024-05-01", simple), want: false},
		{name: "revoked", pen: penalty("2024-05-01", revoked), want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := defaultPolicy.IsHeavierPenalty(tt.pen); got != tt.want {
				t.Errorf("IsHeavierPenalty = %v, want %v", got, tt.want)
			}
		})
	}
}
