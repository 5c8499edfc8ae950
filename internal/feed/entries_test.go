package feed

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// TestEnterpriseHashIgnoresRiskCategories: an enterprise's entry hashes
// the JSON of its fields without the imported risk category, exactly as
// before the field existed (the feed's stored hashes stay valid), and an
// imported category does not change it.
func TestEnterpriseHashIgnoresRiskCategories(t *testing.T) {
	e := credit.Enterprise{USCC: "91350102MA31ABCD18", Name: "福州闽味食品有限公司", Status: credit.StatusOperating, RegionCode: "350102"}
	b, err := json.Marshal(enterpriseState{Enterprise: e})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["RiskCategories"]; ok {
		t.Errorf("the hashed state holds RiskCategories: %s", b)
	}
	if _, ok := m["Name"]; !ok {
		t.Errorf("the hashed state lost the enterprise's own fields: %s", b)
	}
	p := credit.NewPolicy(credit.DefaultSettings())
	day := time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)
	with := e
	with.RiskCategories = []credit.RiskStep{{From: day, Category: "C"}}
	if a, b := EnterpriseEntry(p, &e, day), EnterpriseEntry(p, &with, day); a.State != b.State {
		t.Errorf("an imported risk category changes the enterprise's entry: %+v vs %+v", a.State, b.State)
	}
}
