package risk

import (
	"fmt"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
)

func ExampleModel_Assess() {
	model := Model{DefaultSettings()}
	in := Inputs{
		Enterprise: credit.Enterprise{USCC: "91350100M000100Y43", Name: "福州示例食品有限公司", Status: credit.StatusOperating,
			KeyAreas: []credit.KeyArea{credit.AreaFoodProduction}},
		Inspections: []credit.Inspection{{InspectionID: "FJ-CJ-2025-0001", Kind: credit.InspectionSampling,
			InspectedOn: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), Result: credit.ResultNonCompliant}},
		Abnormal: []credit.Listing{{DecisionNumber: "榕市监异〔2025〕5号", ReasonCode: 1,
			ListedOn: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)}},
	}
	a := model.Assess(in, time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), credit.NewPolicy(credit.DefaultSettings()))
	fmt.Println(a.Category, a.Category.Description(), a.Score, a.Model)
	for _, f := range a.Factors {
		fmt.Println(f.Points, f.Code, f.Evidence)
	}
	// Output:
	// B ordinary risk (信用风险一般) 22 food_production/v1
	// 12 SAMPLING_NON_COMPLIANT [FJ-CJ-2025-0001]
	// 10 ABNORMAL_LIST [榕市监异〔2025〕5号]
}
