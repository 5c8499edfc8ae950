package risk

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// TestCategoryBoundaries builds records worth exact scores around each
// threshold of the default settings (B 10, C 30, D 60).
func TestCategoryBoundaries(t *testing.T) {
	young := func(e *credit.Enterprise) { e.EstablishedOn = dp("2025-01-01") }  // 3
	revoked := func(e *credit.Enterprise) { e.Status = credit.StatusRevoked }   // 30
	lighter := penalty("L", "2025-06-30", types(credit.PenaltyPublicReprimand)) // 4
	minor := penalty("M", "2025-06-30", simple)                                 // 1
	corrected := inspection("I", "2025-01-01", credit.InspectionRandomSpotCheck, credit.ResultIssuesCorrected)
	tests := []struct {
		name  string
		in    Inputs
		score float64
		want  Category
	}{
		{name: "nothing: A", in: Inputs{Enterprise: enterprise()}, score: 0, want: CategoryA},
		{name: "9 points: A", in: Inputs{Enterprise: enterprise(young), Penalties: []credit.Penalty{lighter, minor},
			Inspections: []credit.Inspection{corrected}}, score: 9, want: CategoryA},
		{name: "10 points: B", in: Inputs{Enterprise: enterprise(), Abnormal: []credit.Listing{abnormal("A1", "2025-01-01", 1)}},
			score: 10, want: CategoryB},
		{name: "29 points: B", in: Inputs{Enterprise: enterprise(young), Abnormal: []credit.Listing{abnormal("A1", "2025-01-01", 4)},
			Penalties: []credit.Penalty{lighter, minor}, Inspections: []credit.Inspection{corrected}}, score: 29, want: CategoryB},
		{name: "30 points: C", in: Inputs{Enterprise: enterprise(revoked)}, score: 30, want: CategoryC},
		{name: "59 points: C", in: Inputs{Enterprise: enterprise(revoked, young), Abnormal: []credit.Listing{abnormal("A1", "2025-01-01", 4)},
			Penalties: []credit.Penalty{lighter, minor}, Inspections: []credit.Inspection{corrected}}, score: 59, want: CategoryC},
		{name: "60 points: D", in: Inputs{Enterprise: enterprise(), Serious: []credit.Listing{serious("S1", "2019-01-10")},
			Penalties: []credit.Penalty{penalty("P1", "2025-06-30", types(credit.PenaltyLicenseRevocation))}}, score: 60, want: CategoryD},
		{name: "over 100 points is capped", in: Inputs{Enterprise: enterprise(revoked), Serious: []credit.Listing{serious("S1", "2024-01-10")},
			Abnormal: []credit.Listing{abnormal("A1", "2025-01-01", 4)}}, score: 100, want: CategoryD},
	}
	m := defaultModel()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := m.Assess(tt.in, asOf, policy)
			if a.Score != tt.score || a.Category != tt.want {
				t.Fatalf("score %g category %s, want %g %s\n%s", a.Score, a.Category, tt.score, tt.want, dump(a))
			}
		})
	}
}

// TestSeriousListForcesD: a serious listing in force is D whatever the
// thresholds say.
func TestSeriousListForcesD(t *testing.T) {
	s := DefaultSettings()
	s.Thresholds = Thresholds{B: 80, C: 90, D: 100}
	m, err := NewModel(s)
	if err != nil {
		t.Fatal(err)
	}
	in := Inputs{Enterprise: enterprise(), Serious: []credit.Listing{serious("S1", "2024-01-10")}}
	if a := m.Assess(in, asOf, policy); a.Category != CategoryD || a.Score != 60 {
		t.Fatalf("got %s %g, want D 60", a.Category, a.Score)
	}
	in.Serious[0].Removal = &credit.Removal{RemovedOn: d("2025-01-10"), Reason: string(credit.RemovalCreditRepair)}
	if a := m.Assess(in, asOf, policy); a.Category != CategoryA {
		t.Fatalf("after repair got %s %g, want A under these thresholds", a.Category, a.Score)
	}
}

// TestModelFollowsKeyAreas: the model is chosen by the enterprise's key
// areas; with several, the riskiest view wins, ties going to the earlier
// model in Settings.KeyAreaModels.
func TestModelFollowsKeyAreas(t *testing.T) {
	badSample := inspection("I1", "2025-01-01", credit.InspectionSampling, credit.ResultNonCompliant)
	badCheck := inspection("I2", "2025-01-01", credit.InspectionSupervisionCheck, credit.ResultNonCompliant)
	suspended := penalty("P1", "2025-06-30", types(credit.PenaltySuspension))
	tests := []struct {
		name  string
		areas []credit.KeyArea
		in    Inputs
		model string
		score float64
	}{
		{name: "no key area: general", model: "general/v1"},
		{name: "a key area without its own model: general", areas: []credit.KeyArea{credit.AreaCatering}, model: "general/v1",
			in: Inputs{Inspections: []credit.Inspection{badSample}}, score: 6},
		{name: "food production weighs failed samples more", areas: []credit.KeyArea{credit.AreaFoodProduction}, model: "food_production/v1",
			in: Inputs{Inspections: []credit.Inspection{badSample}}, score: 12},
		{name: "special food weighs them more still", areas: []credit.KeyArea{credit.AreaSpecialFood}, model: "special_food/v1",
			in: Inputs{Inspections: []credit.Inspection{badSample}}, score: 15},
		{name: "special equipment weighs failed checks more", areas: []credit.KeyArea{credit.AreaSpecialEquipment}, model: "special_equipment/v1",
			in: Inputs{Inspections: []credit.Inspection{badCheck}}, score: 12},
		{name: "special equipment weighs suspensions more", areas: []credit.KeyArea{credit.AreaSpecialEquipment}, model: "special_equipment/v1",
			in: Inputs{Penalties: []credit.Penalty{suspended}}, score: 30},
		{name: "food and equipment, failed check: equipment view is riskier",
			areas: []credit.KeyArea{credit.AreaFoodProduction, credit.AreaSpecialEquipment}, model: "special_equipment/v1",
			in: Inputs{Inspections: []credit.Inspection{badCheck}}, score: 12},
		{name: "food and equipment, failed sample: food view is riskier",
			areas: []credit.KeyArea{credit.AreaSpecialEquipment, credit.AreaFoodProduction}, model: "food_production/v1",
			in: Inputs{Inspections: []credit.Inspection{badSample}}, score: 12},
		{name: "food and equipment, clean: tie goes to the earlier model",
			areas: []credit.KeyArea{credit.AreaSpecialEquipment, credit.AreaFoodProduction}, model: "food_production/v1"},
		{name: "special food and food production, clean: special food is listed first",
			areas: []credit.KeyArea{credit.AreaFoodProduction, credit.AreaSpecialFood}, model: "special_food/v1"},
	}
	m := defaultModel()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Enterprise = enterprise(func(e *credit.Enterprise) { e.KeyAreas = tt.areas })
			a := m.Assess(tt.in, asOf, policy)
			if a.Model != tt.model || a.Score != tt.score {
				t.Fatalf("model %s score %g, want %s %g\n%s", a.Model, a.Score, tt.model, tt.score, dump(a))
			}
		})
	}
}

func TestAssessment(t *testing.T) {
	in := Inputs{
		Enterprise: enterprise(),
		Penalties: []credit.Penalty{
			penalty("P2", "2025-06-30", types(credit.PenaltySuspension)),
			penalty("P1", "2025-06-30", types(credit.PenaltySuspension)),
		},
		Inspections: []credit.Inspection{inspection("I1", "2025-01-01", credit.InspectionSampling, credit.ResultNonCompliant)},
	}
	a := defaultModel().Assess(in, asOf.Add(15*time.Hour), policy)
	if !a.AsOf.Equal(asOf) {
		t.Errorf("AsOf = %v, want the civil date %v", a.AsOf, asOf)
	}
	var codes []string
	for _, f := range a.Factors {
		codes = append(codes, f.Code)
	}
	// Highest first; ties (none here) by code.
	want := []string{CodePenaltySuspension, CodePenaltyHeavier, CodeSamplingNonCompliant}
	if !slices.Equal(codes, want) {
		t.Errorf("factor order %v, want %v", codes, want)
	}
	if got := a.Factors[0].Evidence; !slices.Equal(got, []string{"P1", "P2"}) {
		t.Errorf("evidence %v, want sorted decision numbers", got)
	}
	if a.Score != 56 || a.Category != CategoryC {
		t.Errorf("score %g %s, want 56 C", a.Score, a.Category)
	}
}

func TestCategoryDescription(t *testing.T) {
	for _, c := range Categories {
		if d := c.Description(); d == "unknown" || !hasHan(d) {
			t.Errorf("%s: %q", c, d)
		}
	}
	if !slices.IsSorted(Categories) {
		t.Error("Categories must be in risk order, which is string order")
	}
	if !strings.Contains(Caveat, "not a credit evaluation") {
		t.Error("Caveat must say the category is not a credit evaluation")
	}
}

func TestValidate(t *testing.T) {
	if err := DefaultSettings().Validate(); err != nil {
		t.Fatalf("default settings: %v", err)
	}
	tests := []struct {
		name   string
		change func(*Settings)
		want   string
	}{
		{"negative weight", func(s *Settings) { s.General.PenaltyHeavier = -1 }, "PENALTY_HEAVIER must be a non-negative"},
		{"negative key-area weight", func(s *Settings) { s.KeyAreaModels[1].Weights.SamplingNonCompliant = -3 }, "SAMPLING_NON_COMPLIANT"},
		{"thresholds out of order", func(s *Settings) { s.Thresholds.C = 5 }, "thresholds"},
		{"threshold above 100", func(s *Settings) { s.Thresholds.D = 101 }, "thresholds"},
		{"repaired share above 1", func(s *Settings) { s.RepairedShare = 1.5 }, "repaired share"},
		{"fine tiers out of order", func(s *Settings) { s.FineTiers[2] = decimal.NewFromInt(5) }, "fine tiers"},
		{"duplicate area", func(s *Settings) { s.KeyAreaModels[1].Area = credit.AreaSpecialFood }, "duplicate area"},
		{"unknown area", func(s *Settings) { s.KeyAreaModels[0].Area = "tobacco" }, "unknown or duplicate area"},
		{"duplicate name", func(s *Settings) { s.KeyAreaModels[0].Weights.Name = "general" }, "used twice"},
		{"no version", func(s *Settings) { s.Version = "" }, "version"},
		{"negative window", func(s *Settings) { s.Windows.Penalty.Years = -3 }, "penalty window"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSettings()
			tt.change(&s)
			_, err := NewModel(s)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NewModel error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestWords(t *testing.T) {
	spans := []struct {
		p      credit.Period
		en, zh string
	}{
		{credit.Period{Years: 3}, "3 years", "3年"},
		{credit.Period{Years: 1}, "1 year", "1年"},
		{credit.Period{Months: 18}, "18 months", "18个月"},
		{credit.Period{Days: 60}, "60 days", "60天"},
		{credit.Period{Years: 1, Months: 6}, "1 year 6 months", "1年6个月"},
		{credit.Period{Months: 1, Days: 2}, "1 month 2 days", "1个月2天"},
		{credit.Period{}, "0 days", "0天"},
	}
	for _, tt := range spans {
		if s := spanOf(tt.p); s.n+s.en != tt.en || s.n+s.zh != tt.zh {
			t.Errorf("%+v: got %q %q, want %q %q", tt.p, s.n+s.en, s.n+s.zh, tt.en, tt.zh)
		}
	}
	tiers := []decimal.Decimal{decimal.NewFromInt(500), decimal.RequireFromString("12500.50"), decimal.NewFromInt(2_000_000), decimal.RequireFromString("3000000.00")}
	if got, want := yuanList(tiers), "≥¥500 / ≥¥12,500.50 / ≥¥2,000,000 / ≥¥3,000,000"; got != want {
		t.Errorf("appendYuanList = %q, want %q", got, want)
	}
}

func yuanList(tiers []decimal.Decimal) string { return string(appendYuanList(nil, tiers)) }
