package store

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// RepeatWindows must give, on every day, exactly what counting the
// penalties one by one gives (the embedded store's way): random
// enterprises with penalties in every state, each day of seven years.
func TestRepeatWindowsMatchCounting(t *testing.T) {
	pol := credit.NewPolicy(credit.DefaultSettings())
	r := rand.New(rand.NewPCG(1, 2))
	day0 := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	for n := range 300 {
		uscc := "91350100MA0000000X"
		if n%3 == 0 {
			uscc = "92350100MA0000000X" // individual business: its own lower-amount threshold
		}
		var pens []credit.Penalty
		for range 1 + r.IntN(6) {
			decided := day0.AddDate(0, 0, r.IntN(4*365))
			fine := decimal.NewFromInt(int64([]int{500, 9_999, 10_000, 99_999, 100_000, 250_000}[r.IntN(6)]))
			p := credit.Penalty{USCC: uscc, DecidedOn: decided, PublishedOn: decided.AddDate(0, 0, r.IntN(25)),
				Procedure: credit.ProcedureOrdinary, PenaltyTypes: []credit.PenaltyType{credit.PenaltyFine}, FineAmount: &fine}
			switch r.IntN(8) {
			case 0:
				p.Procedure = credit.ProcedureSimple
			case 1:
				p.Revoked = true
			case 2:
				p.PenaltyTypes, p.FineAmount = []credit.PenaltyType{credit.PenaltyWarning}, nil
			case 3:
				rep := p.PublishedOn.AddDate(0, r.IntN(40), r.IntN(30)-5)
				p.RepairedOn = &rep
			case 4:
				until := p.PublishedOn.AddDate(3, r.IntN(12), 0)
				p.PenaltyTypes, p.RestrictionUntil = []credit.PenaltyType{credit.PenaltyFine, credit.PenaltyRestriction}, &until
			case 5:
				p.PenaltyTypes, p.FineAmount = []credit.PenaltyType{credit.PenaltyPublicReprimand}, nil
			}
			pens = append(pens, p)
		}
		ws := RepeatWindows(pol, uscc, pens)
		for d := day0; d.Before(day0.AddDate(7, 0, 0)); d = d.AddDate(0, 0, 1) {
			for _, tier := range []credit.Tier{credit.TierPublic, credit.TierRegulator} {
				v := credit.Visibility{Tier: tier, AsOf: d}
				from, to := DefaultRepeatWindow(d)
				want := RepeatWindow{TotalFines: decimal.Zero}
				for _, p := range pens {
					if p.DecidedOn.Before(from) || p.DecidedOn.After(to) {
						continue
					}
					if _, ok := pol.ViewPenalty(v, p); !ok {
						continue
					}
					want.Count++
					if p.FineAmount != nil {
						want.TotalFines = want.TotalFines.Add(*p.FineAmount)
					}
					if p.DecidedOn.After(want.Latest) {
						want.Latest = p.DecidedOn
					}
				}
				got := RepeatWindow{TotalFines: decimal.Zero}
				for _, w := range ws {
					if w.Public == v.Public() && !d.Before(w.From) && !d.After(w.Until) {
						if got.Count != 0 {
							t.Fatalf("enterprise %d on %s: two windows hold the day", n, d.Format(time.DateOnly))
						}
						got = w
					}
				}
				if got.Count != want.Count || !got.TotalFines.Equal(want.TotalFines) || !got.Latest.Equal(want.Latest) {
					t.Fatalf("enterprise %d, %s on %s: windows say %d %s %s, counting says %d %s %s", n, tier, d.Format(time.DateOnly),
						got.Count, got.TotalFines, got.Latest.Format(time.DateOnly), want.Count, want.TotalFines, want.Latest.Format(time.DateOnly))
				}
			}
		}
	}
}
