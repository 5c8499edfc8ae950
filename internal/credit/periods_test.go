package credit

import (
	"slices"
	"testing"
	"time"
)

// StartsRunning must agree with the period's own arithmetic for every
// start date around the edge, on every day of four years (leap days and
// month ends included).
func TestStartsRunning(t *testing.T) {
	for _, p := range []Period{{Months: 3}, {Years: 3}, {Months: 6}, {Days: 90}, {Years: 1, Months: 1}} {
		for asOf := date(2023, 1, 1); asOf.Before(date(2027, 1, 1)); asOf = asOf.AddDate(0, 0, 1) {
			from, also := p.StartsRunning(asOf)
			for d := p.Before(asOf).AddDate(0, 0, -40); d.Before(p.Before(asOf).AddDate(0, 0, 40)); d = d.AddDate(0, 0, 1) {
				want := !p.After(d).AddDate(0, 0, -1).Before(asOf)
				got := !d.Before(from) || slices.ContainsFunc(also, d.Equal)
				if got != want {
					t.Fatalf("%v on %s, start %s: running = %v, want %v (from %s, also %v)", p, asOf.Format(time.DateOnly),
						d.Format(time.DateOnly), got, want, from.Format(time.DateOnly), also)
				}
			}
		}
	}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// PenaltyDisclosedDays must hold exactly the days Policy.Penalty says
// Disclosed, for penalties in every state and at every boundary (month
// ends, 29 February, repairs before, on and after the last day).
func TestPenaltyDisclosedDays(t *testing.T) {
	penalties := map[string]Penalty{
		"short":                        penalty("2024-05-01", types(PenaltyPublicReprimand)),
		"long":                         penalty("2024-05-01"),
		"long from 29 February":        penalty("2024-02-29"),
		"restricted":                   penalty("2024-05-01", types(PenaltyRestriction), restrictedUntil("2027-09-30")),
		"repaired":                     penalty("2024-05-01", penaltyRepaired("2025-03-01")),
		"repaired on publication":      penalty("2024-05-01", penaltyRepaired("2024-05-01")),
		"repaired before publication":  penalty("2024-05-01", penaltyRepaired("2024-04-20")),
		"repaired after the end":       penalty("2024-05-01", penaltyRepaired("2027-06-01")),
		"repaired on the last day":     penalty("2024-05-01", penaltyRepaired("2027-04-30")),
		"repaired the day after":       penalty("2024-05-01", penaltyRepaired("2027-05-01")),
		"simple":                       penalty("2024-05-01", simple),
		"revoked":                      penalty("2024-05-01", revoked),
		"warning only":                 penalty("2024-05-01", types(PenaltyWarning)),
		"short from 30 November":       penalty("2023-11-30", types(PenaltyPublicReprimand)),
		"individual under it":          penalty("2024-05-01", on(indivUSCC), fine(9_999)),
		"organisation at it":           penalty("2024-05-01", fine(100_000)),
		"warning and reprimand":        penalty("2024-05-01", types(PenaltyWarning, PenaltyPublicReprimand)),
		"repaired before the last day": penalty("2024-05-01", penaltyRepaired("2027-04-29")),
	}
	for name, pen := range penalties {
		from, until, ok := defaultPolicy.PenaltyDisclosedDays(pen)
		for _, asOf := range days("2023-11-01", "2028-03-31") {
			want := defaultPolicy.Penalty(pen, asOf).State == Disclosed
			got := ok && !asOf.Before(from) && !asOf.After(until)
			if got != want {
				t.Fatalf("%s on %s: disclosed days say %v (%v %s–%s), Penalty says %v", name, asOf.Format(time.DateOnly), got, ok,
					from.Format(time.DateOnly), until.Format(time.DateOnly), want)
			}
		}
	}
}

// LastDayWithin against the window's own definition, on every day of
// eight years (leap days included).
func TestLastDayWithin(t *testing.T) {
	for _, years := range []int{1, 3} {
		for d := date(2023, 1, 1); d.Before(date(2031, 1, 1)); d = d.AddDate(0, 0, 1) {
			last := LastDayWithin(d, years)
			for D := d.AddDate(0, 0, -3); D.Before(last.AddDate(0, 0, 5)); D = D.AddDate(0, 0, 1) {
				if D.Before(d) {
					continue
				}
				want := !D.AddDate(-years, 0, 0).After(d)
				if got := !D.After(last); got != want {
					t.Fatalf("%d years, day %s, D %s: within = %v, want %v (last %s)", years, d.Format(time.DateOnly),
						D.Format(time.DateOnly), got, want, last.Format(time.DateOnly))
				}
			}
		}
	}
}
