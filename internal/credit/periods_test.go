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
