package credit

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// The defaults are the national figures of disclosure-rules.md.
func TestDefaultSettings(t *testing.T) {
	s := DefaultSettings()
	tests := []struct {
		name string
		got  any
		want any
	}{
		{name: "penalty short period", got: s.PenaltyShortPeriod, want: Period{Months: 3}},
		{name: "penalty long period", got: s.PenaltyLongPeriod, want: Period{Years: 3}},
		{name: "lower fine, individual business", got: s.LowerFineIndividual.String(), want: "10000"},
		{name: "lower fine, organisation", got: s.LowerFineOrganisation.String(), want: "100000"},
		{name: "penalty repair wait", got: s.PenaltyRepairWait, want: Period{Months: 6}},
		{name: "penalty repair wait, food, drug, special equipment", got: s.PenaltyRepairWaitStrict, want: Period{Years: 1}},
		{name: "serious listing period", got: s.SeriousListingPeriod, want: Period{Years: 3}},
		{name: "serious repair wait", got: s.SeriousRepairWait, want: Period{Years: 1}},
		{name: "abnormal to serious", got: s.AbnormalToSeriousAfter, want: Period{Years: 3}},
		{name: "abnormal to serious reminder", got: s.AbnormalToSeriousReminder, want: Period{Days: 60}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

// A province's settings change every outcome that depends on them: nothing
// is hard-coded. Each case shows the outcome under the defaults and under
// custom settings.
func TestSettingsChangeOutcomes(t *testing.T) {
	custom := NewPolicy(Settings{
		PenaltyShortPeriod:        Period{Months: 6},
		PenaltyLongPeriod:         Period{Years: 5},
		LowerFineIndividual:       decimal.NewFromInt(5_000),
		LowerFineOrganisation:     decimal.NewFromInt(50_000),
		PenaltyRepairWait:         Period{Months: 3},
		PenaltyRepairWaitStrict:   Period{Years: 2},
		SeriousListingPeriod:      Period{Years: 5},
		SeriousRepairWait:         Period{Years: 2},
		AbnormalToSeriousAfter:    Period{Years: 2},
		AbnormalToSeriousReminder: Period{Days: 30},
	})
	const pub = "2024-05-01"
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	code := func(err error) string {
		var re *RuleError
		if errors.As(err, &re) {
			return re.Code
		}
		return fmt.Sprint(err)
	}
	tests := []struct {
		name        string
		outcome     func(p Policy) string
		wantDefault string
		wantCustom  string
	}{
		{name: "long penalty, day after 3 years",
			outcome:     func(p Policy) string { return string(p.Penalty(penalty(pub), d("2027-05-01")).State) },
			wantDefault: "EXPIRED", wantCustom: "DISCLOSED"},
		{name: "long penalty, day after 5 years",
			outcome:     func(p Policy) string { return string(p.Penalty(penalty(pub), d("2029-05-01")).State) },
			wantDefault: "EXPIRED", wantCustom: "EXPIRED"},
		{name: "long penalty, last day",
			outcome:     func(p Policy) string { return day(p.PenaltyEndsOn(penalty(pub))) },
			wantDefault: "2027-04-30", wantCustom: "2029-04-30"},
		{name: "restriction of 4 years is within the 5-year period",
			outcome: func(p Policy) string {
				return day(p.PenaltyEndsOn(penalty(pub, types(PenaltyRestriction), restrictedUntil("2028-04-30"))))
			},
			wantDefault: "2028-04-30", wantCustom: "2029-04-30"},
		{name: "organisation fine ¥60,000",
			outcome:     func(p Policy) string { return day(p.PenaltyEndsOn(penalty(pub, fine(60_000)))) },
			wantDefault: "2024-07-31", wantCustom: "2029-04-30"},
		{name: "organisation fine ¥50,000 is at the custom threshold",
			outcome:     func(p Policy) string { return day(p.PenaltyEndsOn(penalty(pub, fine(50_000)))) },
			wantDefault: "2024-07-31", wantCustom: "2029-04-30"},
		{name: "organisation fine ¥49,999.99: 6-month short period",
			outcome:     func(p Policy) string { return day(p.PenaltyEndsOn(penalty(pub, fine(49_999.99)))) },
			wantDefault: "2024-07-31", wantCustom: "2024-10-31"},
		{name: "individual business fine ¥7,000",
			outcome:     func(p Policy) string { return day(p.PenaltyEndsOn(penalty(pub, on(indivUSCC), fine(7_000)))) },
			wantDefault: "2024-07-31", wantCustom: "2029-04-30"},
		{name: "individual business fine ¥4,999",
			outcome:     func(p Policy) string { return day(p.PenaltyEndsOn(penalty(pub, on(indivUSCC), fine(4_999)))) },
			wantDefault: "2024-07-31", wantCustom: "2024-10-31"},
		{name: "reprimand, day after 3 months",
			outcome: func(p Policy) string {
				return string(p.Penalty(penalty(pub, types(PenaltyPublicReprimand)), d("2024-08-01")).State)
			},
			wantDefault: "EXPIRED", wantCustom: "DISCLOSED"},
		{name: "¥60,000 fine is a heavier penalty only under the custom threshold",
			outcome:     func(p Policy) string { return fmt.Sprint(p.IsHeavierPenalty(penalty(pub, fine(60_000)))) },
			wantDefault: "false", wantCustom: "true"},
		{name: "penalty repair 3 months after publication",
			outcome: func(p Policy) string {
				return code(p.CheckPenaltyRepair(penalty(pub), d("2024-08-01"), PenaltyRepairFacts{}))
			},
			wantDefault: CodeRepairTooEarly, wantCustom: "<nil>"},
		{name: "penalty repair, 3 months less a day",
			outcome: func(p Policy) string {
				return code(p.CheckPenaltyRepair(penalty(pub), d("2024-07-31"), PenaltyRepairFacts{}))
			},
			wantDefault: CodeRepairTooEarly, wantCustom: CodeRepairTooEarly},
		{name: "catering penalty repair 1 year after publication",
			outcome: func(p Policy) string {
				return code(p.CheckPenaltyRepair(penalty(pub, inArea(AreaCatering)), d("2025-05-01"), PenaltyRepairFacts{}))
			},
			wantDefault: "<nil>", wantCustom: CodeRepairTooEarly},
		{name: "catering penalty repair 2 years after publication",
			outcome: func(p Policy) string {
				return code(p.CheckPenaltyRepair(penalty(pub, inArea(AreaCatering)), d("2026-05-01"), PenaltyRepairFacts{}))
			},
			wantDefault: "<nil>", wantCustom: "<nil>"},
		{name: "serious listing, 3 years on",
			outcome:     func(p Policy) string { return string(p.SeriousListing(serious("2021-03-01"), d("2024-03-01")).State) },
			wantDefault: "EXPIRED", wantCustom: "DISCLOSED"},
		{name: "serious listing, last day",
			outcome:     func(p Policy) string { return fmtDate(p.SeriousListing(serious("2021-03-01"), d("2022-01-01")).EndsOn) },
			wantDefault: "2024-02-29", wantCustom: "2026-02-28"},
		{name: "serious listing in force 4 years on",
			outcome:     func(p Policy) string { return fmt.Sprint(p.InForce(serious("2021-03-01"), d("2025-03-01"))) },
			wantDefault: "false", wantCustom: "true"},
		{name: "serious listings in force are listed after",
			outcome:     func(p Policy) string { return day(p.SeriousListedAfter(d("2024-05-10"))) },
			wantDefault: "2021-05-11", wantCustom: "2019-05-11"},
		{name: "serious repair after 1 year",
			outcome: func(p Policy) string {
				return code(p.CheckSeriousRepair(serious("2021-03-01"), d("2022-03-01"), SeriousRepairFacts{}))
			},
			wantDefault: "<nil>", wantCustom: CodeRepairTooEarly},
		{name: "serious repair after 2 years",
			outcome: func(p Policy) string {
				return code(p.CheckSeriousRepair(serious("2021-03-01"), d("2023-03-01"), SeriousRepairFacts{}))
			},
			wantDefault: "<nil>", wantCustom: "<nil>"},
		{name: "expiry removal after 3 years",
			outcome: func(p Policy) string {
				return code(p.CheckRemoval(serious("2021-03-01"), Removal{RemovedOn: d("2024-03-01"), Reason: string(RemovalExpired)}, SeriousRepairFacts{}))
			},
			wantDefault: "<nil>", wantCustom: CodeRemovalBeforeExpiry},
		{name: "abnormal listing: due date and reminder 30 days before 2 years",
			outcome: func(p Policy) string {
				remind, due := p.DueForSeriousList(abnormal("2021-05-01"), d("2023-04-01"))
				return fmt.Sprint(remind, " ", day(due))
			},
			wantDefault: "false 2024-05-01", wantCustom: "true 2023-05-01"},
		{name: "abnormal listing: day before the 30-day window",
			outcome: func(p Policy) string {
				remind, _ := p.DueForSeriousList(abnormal("2021-05-01"), d("2023-03-31"))
				return fmt.Sprint(remind)
			},
			wantDefault: "false", wantCustom: "false"},
		{name: "abnormal listing: inside 60 days, outside 30",
			outcome: func(p Policy) string {
				remind, _ := p.DueForSeriousList(abnormal("2021-05-01"), d("2024-03-15"))
				return fmt.Sprint(remind)
			},
			wantDefault: "true", wantCustom: "true"},
		{name: "abnormal listing: 31 days before the 3-year due date",
			outcome: func(p Policy) string {
				s := DefaultSettings()
				s.AbnormalToSeriousReminder = p.S.AbnormalToSeriousReminder
				remind, _ := NewPolicy(s).DueForSeriousList(abnormal("2021-05-01"), d("2024-03-31"))
				return fmt.Sprint(remind)
			},
			wantDefault: "true", wantCustom: "false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.outcome(defaultPolicy); got != tt.wantDefault {
				t.Errorf("default settings: %s, want %s", got, tt.wantDefault)
			}
			if got := tt.outcome(custom); got != tt.wantCustom {
				t.Errorf("custom settings: %s, want %s", got, tt.wantCustom)
			}
		})
	}
}

func TestPeriod(t *testing.T) {
	tests := []struct {
		name       string
		p          Period
		from       string
		wantAfter  string
		wantBefore string
		wantString string // "" = not checked
	}{
		{name: "years", p: Period{Years: 3}, from: "2024-05-01", wantAfter: "2027-05-01", wantBefore: "2021-05-01", wantString: "3 years"},
		{name: "months", p: Period{Months: 6}, from: "2024-05-01", wantAfter: "2024-11-01", wantBefore: "2023-11-01", wantString: "6 months"},
		{name: "days", p: Period{Days: 60}, from: "2024-05-01", wantAfter: "2024-06-30", wantBefore: "2024-03-02", wantString: "60 days"},
		{name: "years from 29 February overflow to 1 March", p: Period{Years: 1}, from: "2024-02-29", wantAfter: "2025-03-01", wantBefore: "2023-03-01", wantString: "1 year"},
		{name: "mixed", p: Period{Years: 1, Months: 2, Days: 1}, from: "2024-01-31", wantAfter: "2025-04-01", wantBefore: "2022-11-30", wantString: "1 year 2 months 1 day"},
		{name: "zero", p: Period{}, from: "2024-05-01", wantAfter: "2024-05-01", wantBefore: "2024-05-01", wantString: "0 days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.After(d(tt.from)); !got.Equal(d(tt.wantAfter)) {
				t.Errorf("After = %s, want %s", got.Format(time.DateOnly), tt.wantAfter)
			}
			if got := tt.p.Before(d(tt.from)); !got.Equal(d(tt.wantBefore)) {
				t.Errorf("Before = %s, want %s", got.Format(time.DateOnly), tt.wantBefore)
			}
			if got := tt.p.String(); tt.wantString != "" && got != tt.wantString {
				t.Errorf("String = %q, want %q", got, tt.wantString)
			}
		})
	}
}
