package risk

import (
	"testing"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// typical is a food producer's record as the demo data has it: two licences,
// a few penalties of each kind, a year of inspections, a cured abnormal
// listing and two commitments.
func typical() Inputs {
	sampling, spot := credit.InspectionSampling, credit.InspectionRandomSpotCheck
	return Inputs{
		Enterprise: enterprise(func(e *credit.Enterprise) { e.KeyAreas = []credit.KeyArea{credit.AreaFoodProduction} }),
		Licenses: []credit.License{
			license("SC10635010000123", credit.AreaFoodProduction, "2018-05-01", "2023-04-30"),
			license("SC10635010000456", credit.AreaFoodProduction, "2023-05-01", "2028-04-30"),
		},
		Penalties: []credit.Penalty{
			penalty("榕市监处罚〔2024〕12号", "2024-03-15", fine(150_000), violationType("生产经营不符合食品安全标准的食品")),
			penalty("榕市监处罚〔2023〕88号", "2023-09-01", fine(20_000), violationType("标签不符合规定")),
			penalty("榕市监简〔2025〕3号", "2025-02-10", fine(200), simple),
			penalty("榕市监处罚〔2020〕7号", "2020-05-20", fine(50_000)),
		},
		Inspections: []credit.Inspection{
			inspection("FJ-CJ-2025-0001", "2025-04-01", sampling, credit.ResultNonCompliant),
			inspection("FJ-CJ-2024-0107", "2024-11-01", sampling, credit.ResultNoIssue),
			inspection("FJ-CJ-2024-0033", "2024-06-01", sampling, credit.ResultNoIssue),
			inspection("FJ-SJ-2024-0210", "2024-09-12", spot, credit.ResultIssuesCorrected),
			inspection("FJ-SJ-2023-0041", "2023-05-06", spot, credit.ResultNoIssue),
		},
		Abnormal: []credit.Listing{abnormal("榕市监异〔2022〕5号", "2022-07-01", 1, removed("2022-09-01", "annual report filed"))},
		Commitments: []credit.Commitment{
			commitment("CM-2023-001", "2023-05-01", credit.CommitmentFulfilled, ""),
			commitment("CM-2024-017", "2024-06-01", credit.CommitmentInForce, ""),
		},
	}
}

// BenchmarkAssess: go test -run '^$' -bench Assess -benchmem ./internal/risk/
func BenchmarkAssess(b *testing.B) {
	m, in := defaultModel(), typical()
	b.ReportAllocs()
	for b.Loop() {
		_ = m.Assess(in, asOf, policy)
	}
}

func TestTypical(t *testing.T) {
	a := defaultModel().Assess(typical(), asOf, policy)
	if a.Model != "food_production/v1" || a.Category != CategoryB || a.Score != 24.12 {
		t.Fatalf("typical food producer:\n%swant B 24.12 food_production/v1 (README's example)", dump(a))
	}
}
