package store

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// RepeatYears is the window repeat offenders count by default: penalties
// decided in the years up to the caller's date.
const RepeatYears = 3

// DefaultRepeatWindow is the default decision window of a caller on asOf:
// asOf.AddDate(-RepeatYears, 0, 0) to asOf, inclusive.
func DefaultRepeatWindow(asOf time.Time) (from, to time.Time) {
	return asOf.AddDate(-RepeatYears, 0, 0), asOf
}

// IsDefaultRepeatQuery reports whether f counts what a RepeatWindow
// answers: the default window of v's date, no key area and no violation
// type (the region is the enterprise's and filters windows as it filters
// enterprises).
func IsDefaultRepeatQuery(v credit.Visibility, f RepeatOffenderFilter) bool {
	if f.KeyArea != "" || f.ViolationType != "" || f.DecidedFrom == nil || f.DecidedTo == nil {
		return false
	}
	from, to := DefaultRepeatWindow(v.AsOf)
	return f.DecidedFrom.Equal(from) && f.DecidedTo.Equal(to)
}

// RepeatWindow is one enterprise's repeat-offender figures over a span of
// days: on every day D from From to Until the penalties decided in D's
// default window that the audience (Public: PUBLIC and PARTNER, else
// REGULATOR) may see on D number Count, fine TotalFines in all, and the
// latest was decided on Latest. Between windows the enterprise has no
// such penalty. The windows of an enterprise are a function of its
// penalties and of the policy's settings alone, so a store may keep them
// and answer the default query on any date with a range test on From and
// Until: nothing about them changes when a day passes.
type RepeatWindow struct {
	USCC        string
	Public      bool
	From, Until time.Time
	Count       int
	TotalFines  decimal.Decimal
	Latest      time.Time
}

// RepeatWindows computes the windows of the penalties of one enterprise
// (all of them, in any order), for both audiences. Each penalty counts on
// the days from its decision to the last day whose window still holds it
// (credit.LastDayWithin), for the public only on those of them it is
// disclosed (Policy.PenaltyDisclosedDays); the windows are the spans
// between consecutive changes of what counts, merged when their figures
// are equal.
func RepeatWindows(p credit.Policy, uscc string, pens []credit.Penalty) []RepeatWindow {
	var out []RepeatWindow
	for _, public := range []bool{true, false} {
		type span struct {
			from, until time.Time
			pen         *credit.Penalty
		}
		var spans []span
		for i := range pens {
			pen := &pens[i]
			from, until := pen.DecidedOn, credit.LastDayWithin(pen.DecidedOn, RepeatYears)
			if public {
				df, du, ok := p.PenaltyDisclosedDays(*pen)
				if !ok {
					continue
				}
				if df.After(from) {
					from = df
				}
				if du.Before(until) {
					until = du
				}
			}
			if !from.After(until) {
				spans = append(spans, span{from, until, pen})
			}
		}
		// Every change happens on a span's first day or the day after its
		// last: the figures are constant between consecutive such days.
		var cuts []time.Time
		for _, s := range spans {
			cuts = append(cuts, s.from, s.until.AddDate(0, 0, 1))
		}
		slices.SortFunc(cuts, func(a, b time.Time) int { return a.Compare(b) })
		cuts = slices.CompactFunc(cuts, time.Time.Equal)
		for i := 0; i+1 < len(cuts); i++ {
			w := RepeatWindow{USCC: uscc, Public: public, From: cuts[i], Until: cuts[i+1].AddDate(0, 0, -1), TotalFines: decimal.Zero}
			for _, s := range spans {
				if s.from.After(w.From) || s.until.Before(w.From) {
					continue
				}
				w.Count++
				if s.pen.FineAmount != nil {
					w.TotalFines = w.TotalFines.Add(*s.pen.FineAmount)
				}
				if s.pen.DecidedOn.After(w.Latest) {
					w.Latest = s.pen.DecidedOn
				}
			}
			if w.Count == 0 {
				continue
			}
			if n := len(out); n > 0 && out[n-1].Public == public && out[n-1].Count == w.Count &&
				out[n-1].TotalFines.Equal(w.TotalFines) && out[n-1].Latest.Equal(w.Latest) &&
				out[n-1].Until.AddDate(0, 0, 1).Equal(w.From) {
				out[n-1].Until = w.Until
				continue
			}
			out = append(out, w)
		}
	}
	return out
}
