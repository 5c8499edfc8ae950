package risk

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// TestFactors checks each factor alone, with the general model's default
// weights, as of 2025-06-30. want lists every factor with points: a factor
// not listed must be absent.
func TestFactors(t *testing.T) {
	food := func(e *credit.Enterprise) { e.KeyAreas = []credit.KeyArea{credit.AreaFoodProduction} }
	sampling, spot, supervision := credit.InspectionSampling, credit.InspectionRandomSpotCheck, credit.InspectionSupervisionCheck
	tests := []struct {
		name     string
		in       Inputs
		want     map[string]float64
		evidence map[string][]string // optional: a factor's evidence
	}{
		{name: "clean record", in: Inputs{}, want: map[string]float64{}},

		// Serious illegal and dishonest list.
		{name: "serious list in force", in: Inputs{Serious: []credit.Listing{serious("S1", "2024-01-10")}},
			want: map[string]float64{CodeSeriousListed: 60}, evidence: map[string][]string{CodeSeriousListed: {"S1"}}},
		{name: "serious list expired 3 years after listing, within 5 years", in: Inputs{Serious: []credit.Listing{serious("S1", "2019-01-10")}},
			want: map[string]float64{CodeSeriousPast: 25}},
		{name: "serious list removed as expired, within 5 years", in: Inputs{Serious: []credit.Listing{serious("S1", "2020-05-01", removed("2023-05-01", credit.RemovalExpired))}},
			want: map[string]float64{CodeSeriousPast: 25}},
		{name: "serious list removed by credit repair counts half", in: Inputs{Serious: []credit.Listing{serious("S1", "2023-01-10", removed("2024-02-01", credit.RemovalCreditRepair))}},
			want: map[string]float64{CodeSeriousPast: 12.5}},
		{name: "serious list repaired (repair record) counts half", in: Inputs{Serious: []credit.Listing{serious("S1", "2023-01-10", func(l *credit.Listing) { l.RepairedOn = dp("2024-02-01") })}},
			want: map[string]float64{CodeSeriousPast: 12.5}},
		{name: "serious list ended more than 5 years ago", in: Inputs{Serious: []credit.Listing{serious("S1", "2016-01-10")}},
			want: map[string]float64{}},
		{name: "serious list ended exactly 5 years ago counts", in: Inputs{Serious: []credit.Listing{serious("S1", "2017-07-01")}},
			want: map[string]float64{CodeSeriousPast: 25}},
		{name: "serious list ended 5 years and a day ago does not", in: Inputs{Serious: []credit.Listing{serious("S1", "2017-06-30")}},
			want: map[string]float64{}},
		{name: "serious listing withdrawn (decision revoked) never counts", in: Inputs{Serious: []credit.Listing{serious("S1", "2024-01-10", removed("2024-03-01", credit.RemovalRevoked))}},
			want: map[string]float64{}},
		{name: "serious listing after as-of is ignored", in: Inputs{Serious: []credit.Listing{serious("S1", "2025-07-01")}},
			want: map[string]float64{}},
		{name: "serious listing passed without List set is still serious", in: Inputs{Serious: []credit.Listing{func() credit.Listing { l := serious("S1", "2024-01-10"); l.List = ""; return l }()}},
			want: map[string]float64{CodeSeriousListed: 60}},

		// Abnormal operations list.
		{name: "abnormal list in force, annual report not filed", in: Inputs{Abnormal: []credit.Listing{abnormal("A1", "2024-07-01", 1)}},
			want: map[string]float64{CodeAbnormalListed: 10}},
		{name: "abnormal list in force, unreachable weighs more", in: Inputs{Abnormal: []credit.Listing{abnormal("A1", "2024-07-01", 4)}},
			want: map[string]float64{CodeAbnormalUnreachable: 20}},
		{name: "abnormal list removed", in: Inputs{Abnormal: []credit.Listing{abnormal("A1", "2023-07-01", 1, removed("2024-01-01", "annual report filed"))}},
			want: map[string]float64{}},
		{name: "abnormal list removal after as-of: still in force", in: Inputs{Abnormal: []credit.Listing{abnormal("A1", "2023-07-01", 1, removed("2025-07-01", "annual report filed"))}},
			want: map[string]float64{CodeAbnormalListed: 10}},

		// Penalties: class, decay, repair, withdrawal.
		{name: "heavier penalty decided today", in: Inputs{Penalties: []credit.Penalty{penalty("P1", "2025-06-30")}},
			want: map[string]float64{CodePenaltyHeavier: 10}, evidence: map[string][]string{CodePenaltyHeavier: {"P1"}}},
		{name: "heavier penalty 18 months old counts half", in: Inputs{Penalties: []credit.Penalty{penalty("P1", "2023-12-30")}},
			want: map[string]float64{CodePenaltyHeavier: 5}},
		{name: "heavier penalty exactly 3 years old counts a quarter", in: Inputs{Penalties: []credit.Penalty{penalty("P1", "2022-06-30")}},
			want: map[string]float64{CodePenaltyHeavier: 2.5}},
		{name: "penalty older than 3 years does not count", in: Inputs{Penalties: []credit.Penalty{penalty("P1", "2022-06-29")}},
			want: map[string]float64{}},
		{name: "penalty decided after as-of is ignored", in: Inputs{Penalties: []credit.Penalty{penalty("P1", "2025-07-01")}},
			want: map[string]float64{}},
		{name: "repaired penalty counts half", in: Inputs{Penalties: []credit.Penalty{penalty("P1", "2025-06-30", repairedOn("2025-06-30"))}},
			want: map[string]float64{CodePenaltyHeavier: 5}},
		{name: "repair after as-of not yet applied", in: Inputs{Penalties: []credit.Penalty{penalty("P1", "2025-06-30", repairedOn("2025-07-01"))}},
			want: map[string]float64{CodePenaltyHeavier: 10}},
		{name: "withdrawn penalty does not count", in: Inputs{Penalties: []credit.Penalty{penalty("P1", "2025-06-30", withdrawn)}},
			want: map[string]float64{}},
		{name: "simple-procedure penalty counts lightly", in: Inputs{Penalties: []credit.Penalty{penalty("P1", "2025-06-30", fine(200), simple)}},
			want: map[string]float64{CodePenaltyMinor: 1}},
		{name: "warning-only penalty counts lightly", in: Inputs{Penalties: []credit.Penalty{penalty("P1", "2025-06-30", types(credit.PenaltyWarning))}},
			want: map[string]float64{CodePenaltyMinor: 1}},
		{name: "public reprimand only is a lighter penalty", in: Inputs{Penalties: []credit.Penalty{penalty("P1", "2025-06-30", types(credit.PenaltyPublicReprimand))}},
			want: map[string]float64{CodePenaltyLighter: 4}},
		{name: "lower-amount fine is lighter, and reaches the first fine tier", in: Inputs{Penalties: []credit.Penalty{penalty("P1", "2025-06-30", fine(50_000))}},
			want: map[string]float64{CodePenaltyLighter: 4, CodeLargeFine: 2}},
		{name: "fine below every tier", in: Inputs{Penalties: []credit.Penalty{penalty("P1", "2025-06-30", fine(9_999))}},
			want: map[string]float64{CodePenaltyLighter: 4}},
		{name: "¥100,000 fine on a company is heavier, second tier", in: Inputs{Penalties: []credit.Penalty{penalty("P1", "2025-06-30", fine(100_000))}},
			want: map[string]float64{CodePenaltyHeavier: 10, CodeLargeFine: 4}},
		{name: "¥1,500,000 fine, third tier", in: Inputs{Penalties: []credit.Penalty{penalty("P1", "2025-06-30", fine(1_500_000))}},
			want: map[string]float64{CodePenaltyHeavier: 10, CodeLargeFine: 6}},
		{name: "suspension adds points", in: Inputs{Penalties: []credit.Penalty{penalty("P1", "2025-06-30", types(credit.PenaltySuspension))}},
			want: map[string]float64{CodePenaltyHeavier: 10, CodePenaltySuspension: 15}},
		{name: "licence revocation adds more", in: Inputs{Penalties: []credit.Penalty{penalty("P1", "2025-06-30", types(credit.PenaltyLicenseRevocation))}},
			want: map[string]float64{CodePenaltyHeavier: 10, CodePenaltyRevocation: 25}},
		{name: "restriction and business-licence revocation both add", in: Inputs{Penalties: []credit.Penalty{penalty("P1", "2025-06-30",
			types(credit.PenaltyRestriction, credit.PenaltyQualificationDowngrade, credit.PenaltyBusinessLicenseRevocation))}},
			want: map[string]float64{CodePenaltyHeavier: 10, CodePenaltySuspension: 15, CodePenaltyRevocation: 25}},
		{name: "repaired suspension counts half, decayed", in: Inputs{Penalties: []credit.Penalty{penalty("P1", "2023-12-30", types(credit.PenaltySuspension), repairedOn("2025-01-01"))}},
			want: map[string]float64{CodePenaltyHeavier: 2.5, CodePenaltySuspension: 3.75}},
		{name: "restriction still running: counts in full beyond 3 years", in: Inputs{Penalties: []credit.Penalty{penalty("P1", "2021-01-10", types(credit.PenaltyRestriction), restrictedUntil("2026-01-09"))}},
			want: map[string]float64{CodePenaltyHeavier: 10, CodePenaltySuspension: 15}},

		// Repeat violations.
		{name: "same violation type twice is one repeat", in: Inputs{Penalties: []credit.Penalty{
			penalty("P1", "2025-06-30", violationType("虚假宣传")), penalty("P2", "2025-06-30", violationType("虚假宣传"))}},
			want:     map[string]float64{CodePenaltyHeavier: 20, CodeRepeatViolation: 10},
			evidence: map[string][]string{CodeRepeatViolation: {"P1", "P2"}}},
		{name: "same type three times is two repeats; repeats do not decay", in: Inputs{Penalties: []credit.Penalty{
			penalty("P1", "2023-12-30", violationType("虚假宣传"), simple), penalty("P2", "2023-12-30", violationType("虚假宣传"), simple),
			penalty("P3", "2023-12-30", violationType(" 虚假宣传 "), simple)}},
			want: map[string]float64{CodePenaltyMinor: 1.5, CodeRepeatViolation: 20}},
		{name: "different types are not repeats", in: Inputs{Penalties: []credit.Penalty{
			penalty("P1", "2025-06-30", simple), penalty("P2", "2025-06-30", simple)}},
			want: map[string]float64{CodePenaltyMinor: 2}},
		{name: "a withdrawn penalty is not a repeat", in: Inputs{Penalties: []credit.Penalty{
			penalty("P1", "2025-06-30", violationType("虚假宣传"), simple), penalty("P2", "2025-06-30", violationType("虚假宣传"), withdrawn)}},
			want: map[string]float64{CodePenaltyMinor: 1}},
		{name: "an unknown violation type is not a repeat", in: Inputs{Penalties: []credit.Penalty{
			penalty("P1", "2025-06-30", violationType(""), simple), penalty("P2", "2025-06-30", violationType(" "), simple)}},
			want: map[string]float64{CodePenaltyMinor: 2}},

		// Inspections and sampling.
		{name: "non-compliant sampling", in: Inputs{Inspections: []credit.Inspection{inspection("I1", "2024-07-01", sampling, credit.ResultNonCompliant)}},
			want: map[string]float64{CodeSamplingNonCompliant: 6}, evidence: map[string][]string{CodeSamplingNonCompliant: {"I1"}}},
		{name: "non-compliant spot check", in: Inputs{Inspections: []credit.Inspection{inspection("I1", "2024-07-01", spot, credit.ResultNonCompliant)}},
			want: map[string]float64{CodeInspectionNonCompliant: 6}},
		{name: "issues found and corrected", in: Inputs{Inspections: []credit.Inspection{inspection("I1", "2024-07-01", supervision, credit.ResultIssuesCorrected)}},
			want: map[string]float64{CodeIssuesCorrected: 1}},
		{name: "not found at address", in: Inputs{Inspections: []credit.Inspection{inspection("I1", "2024-07-01", spot, credit.ResultNotFoundAtAddress)}},
			want: map[string]float64{CodeNotFoundAtAddress: 15}},
		{name: "no issue", in: Inputs{Inspections: []credit.Inspection{inspection("I1", "2024-07-01", spot, credit.ResultNoIssue)}},
			want: map[string]float64{}},
		{name: "inspection exactly 2 years ago counts", in: Inputs{Inspections: []credit.Inspection{inspection("I1", "2023-06-30", sampling, credit.ResultNonCompliant)}},
			want: map[string]float64{CodeSamplingNonCompliant: 6}},
		{name: "inspection older than 2 years does not", in: Inputs{Inspections: []credit.Inspection{inspection("I1", "2023-06-29", sampling, credit.ResultNonCompliant)}},
			want: map[string]float64{}},

		// Commitments.
		{name: "untrue commitment", in: Inputs{Commitments: []credit.Commitment{commitment("C1", "2023-01-01", credit.CommitmentUntrue, "2024-01-01")}},
			want: map[string]float64{CodeUntrueCommitment: 15}, evidence: map[string][]string{CodeUntrueCommitment: {"C1"}}},
		{name: "untrue commitment without a found date uses the date made", in: Inputs{Commitments: []credit.Commitment{commitment("C1", "2024-01-01", credit.CommitmentUntrue, "")}},
			want: map[string]float64{CodeUntrueCommitment: 15}},
		{name: "untrue commitment found more than 3 years ago", in: Inputs{Commitments: []credit.Commitment{commitment("C1", "2021-01-01", credit.CommitmentUntrue, "2022-01-01")}},
			want: map[string]float64{}},
		{name: "fulfilled commitment", in: Inputs{Commitments: []credit.Commitment{commitment("C1", "2024-01-01", credit.CommitmentFulfilled, "")}},
			want: map[string]float64{}},

		// Licences in a key area.
		{name: "key-area licence expired while operating", in: Inputs{Enterprise: enterprise(food),
			Licenses: []credit.License{license("SC1", credit.AreaFoodProduction, "2015-01-01", "2020-01-01"), license("SC2", credit.AreaFoodProduction, "2020-01-01", "2025-01-01")}},
			want: map[string]float64{CodeLicenseExpired: 20}, evidence: map[string][]string{CodeLicenseExpired: {"SC2"}}},
		{name: "expired licence renewed", in: Inputs{Enterprise: enterprise(food),
			Licenses: []credit.License{license("SC2", credit.AreaFoodProduction, "2020-01-01", "2025-01-01"), license("SC3", credit.AreaFoodProduction, "2025-01-01", "2030-01-01")}},
			want: map[string]float64{}},
		{name: "licence valid through as-of day", in: Inputs{Enterprise: enterprise(food),
			Licenses: []credit.License{license("SC2", credit.AreaFoodProduction, "2020-06-30", "2025-06-30")}},
			want: map[string]float64{}},
		{name: "expired licence outside the enterprise's key areas", in: Inputs{Enterprise: enterprise(),
			Licenses: []credit.License{license("SC2", credit.AreaFoodProduction, "2020-01-01", "2025-01-01")}},
			want: map[string]float64{}},
		{name: "no licence on file is a data gap, not evidence", in: Inputs{Enterprise: enterprise(food)},
			want: map[string]float64{}},
		{name: "cancelled enterprise with an expired licence", in: Inputs{Enterprise: enterprise(food, func(e *credit.Enterprise) { e.Status = credit.StatusCancelled }),
			Licenses: []credit.License{license("SC2", credit.AreaFoodProduction, "2020-01-01", "2025-01-01")}},
			want: map[string]float64{CodeStatusCancelled: 10}},

		// The enterprise itself.
		{name: "young enterprise", in: Inputs{Enterprise: enterprise(func(e *credit.Enterprise) { e.EstablishedOn = dp("2024-07-01") })},
			want: map[string]float64{CodeYoungEnterprise: 3}},
		{name: "enterprise exactly 1 year old is not young", in: Inputs{Enterprise: enterprise(func(e *credit.Enterprise) { e.EstablishedOn = dp("2024-06-30") })},
			want: map[string]float64{}},
		{name: "enterprise established after as-of is not counted", in: Inputs{Enterprise: enterprise(func(e *credit.Enterprise) { e.EstablishedOn = dp("2025-07-01") })},
			want: map[string]float64{}},
		{name: "business licence revoked", in: Inputs{Enterprise: enterprise(func(e *credit.Enterprise) { e.Status = credit.StatusRevoked })},
			want: map[string]float64{CodeStatusRevoked: 30}},
		{name: "registration cancelled", in: Inputs{Enterprise: enterprise(func(e *credit.Enterprise) { e.Status = credit.StatusCancelled })},
			want: map[string]float64{CodeStatusCancelled: 10}},
		{name: "moved out", in: Inputs{Enterprise: enterprise(func(e *credit.Enterprise) { e.Status = credit.StatusMovedOut })},
			want: map[string]float64{}},
	}
	m := defaultModel()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.in.Enterprise.USCC == "" {
				tt.in.Enterprise = enterprise()
			}
			a := m.Assess(tt.in, asOf, policy)
			if got := points(a); !maps.Equal(got, tt.want) {
				t.Fatalf("factors = %v, want %v\n%s", got, tt.want, dump(a))
			}
			for code, want := range tt.evidence {
				for _, f := range a.Factors {
					if f.Code == code && !slices.Equal(f.Evidence, want) {
						t.Errorf("%s evidence = %q, want %q", code, f.Evidence, want)
					}
				}
			}
			for _, f := range a.Factors {
				if f.Description == "" || !hasHan(f.Description) {
					t.Errorf("%s description %q lacks the Chinese term", f.Code, f.Description)
				}
			}
		})
	}
}

func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r >= 0x4E00 && r <= 0x9FFF })
}

func dump(a Assessment) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %g %s\n", a.Category, a.Score, a.Model)
	for _, f := range a.Factors {
		fmt.Fprintf(&b, "  %-28s %6.2f  %s [%s]\n", f.Code, f.Points, f.Description, strings.Join(f.Evidence, ", "))
	}
	return b.String()
}

// TestDescriptions pins the wording of a few factors, which partners read.
func TestDescriptions(t *testing.T) {
	in := Inputs{
		Enterprise: enterprise(),
		Penalties: []credit.Penalty{
			penalty("P1", "2025-06-30", violationType("虚假宣传"), repairedOn("2025-06-30")),
			penalty("P2", "2025-06-30", violationType("虚假宣传"), fine(200_000)),
		},
	}
	a := defaultModel().Assess(in, asOf, policy)
	want := map[string]string{
		CodePenaltyHeavier:  "Heavier administrative penalties in the last 3 years (近3年较重行政处罚): 2, of which 1 credit-repaired (信用修复) and counted at 50%; points halve every 18 months since the decision (按时间衰减，每18个月减半)",
		CodeLargeFine:       "Large fines, points per amount tier reached (≥¥10,000 / ≥¥100,000 / ≥¥1,000,000) in the last 3 years (近3年大额罚款，按金额分档): 1; points halve every 18 months since the decision (按时间衰减，每18个月减半)",
		CodeRepeatViolation: "Same violation type penalised more than once in the last 3 years (近3年同类违法行为重复受罚): 虚假宣传 ×2",
	}
	got := map[string]string{}
	for _, f := range a.Factors {
		got[f.Code] = f.Description
	}
	for code, w := range want {
		if got[code] != w {
			t.Errorf("%s description\n got %q\nwant %q", code, got[code], w)
		}
	}
}

// TestAtLeast: the fast whole-yuan comparison agrees with decimal's own.
func TestAtLeast(t *testing.T) {
	tiers := []decimal.Decimal{decimal.NewFromInt(10_000), decimal.RequireFromString("12500.50"), decimal.New(1, 6)}
	amounts := []string{"0", "-5", "9999.99", "10000", "10000.00", "10000.01", "12500.49", "12500.5", "999999.999", "1000000", "1E6", "2E7", "123456789012345678901234.5"}
	for _, tier := range tiers {
		for _, s := range amounts {
			a := decimal.RequireFromString(s)
			if got, want := atLeast(a, tier), a.GreaterThanOrEqual(tier); got != want {
				t.Errorf("atLeast(%s, %s) = %v, want %v", a, tier, got, want)
			}
		}
	}
}
