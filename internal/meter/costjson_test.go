package meter

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/ratelimit"
)

// TestAppendCostMatchesMarshal: the fast path's hand-written extensions.cost
// is byte for byte json.Marshal of the map the ordinary path encodes.
func TestAppendCostMatchesMarshal(t *testing.T) {
	budgets := []ratelimit.Budget{
		{Points: 1000, Per: time.Hour}, {Points: 1_000_000_000, Per: time.Hour}, {Points: 7, Per: 24 * time.Hour},
		{Points: 1, Per: 1000 * time.Hour}, {Points: 3, Per: time.Second}, {},
	}
	for _, bud := range budgets {
		for _, res := range []*ratelimit.Result{nil, {Limit: bud.Points, Remaining: bud.Points / 2, Used: bud.Points - bud.Points/2}} {
			s := &State{Budget: bud, result: res, requested: 12, actual: 3}
			want, err := json.Marshal(s.costExtension())
			if err != nil {
				t.Fatal(err)
			}
			if got := s.appendCost(nil); string(got) != string(want) {
				t.Errorf("budget %+v, result %v:\n got %s\nwant %s", bud, res, got, want)
			}
		}
	}
	for _, f := range []float64{0, 1, 0.001, 277.778, 1e-7, 2.5e-9, 1e21, 123456789.125} {
		want, _ := json.Marshal(f)
		if got := appendJSONFloat(nil, f); string(got) != string(want) {
			t.Errorf("%v: got %s, want %s", f, got, want)
		}
	}
}
