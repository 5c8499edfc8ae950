package feed

import (
	"slices"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/risk"
)

// TestRiskScheduleEncoding: a risk schedule kept in a State reads back, on
// its day and on later days before its next step, as the schedule from
// that day; recomputing it on such a day gives the same State; and a
// schedule that may have been cut, or anything else, reads as none.
func TestRiskScheduleEncoding(t *testing.T) {
	d := func(s string) time.Time {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	steps := []credit.RiskStep{{From: d("2026-12-08"), Category: "C"}, {From: d("2027-03-02"), Category: "B"},
		{From: d("2029-01-01"), Category: "A"}}
	enc := EncodeRisk(steps)
	if enc != "C;2027-03-02:B;2029-01-01:A" {
		t.Fatalf("EncodeRisk = %q", enc)
	}
	later := []credit.RiskStep{{From: d("2027-01-15"), Category: "C"}, steps[1], steps[2]}
	if again := EncodeRisk(later); again != enc {
		t.Errorf("computed again before its next step: %q, want %q", again, enc)
	}
	cut := make([]credit.RiskStep, risk.MaxSteps)
	for i := range cut {
		cut[i] = credit.RiskStep{From: d("2027-01-01").AddDate(0, 0, i), Category: string(risk.Categories[i%4])}
	}
	tests := []struct {
		name string
		enc  string
		day  time.Time
		want []credit.RiskStep // nil: not ok
	}{
		{"on its day", enc, d("2026-12-08"), steps},
		{"a later day", enc, d("2027-01-15"), later},
		{"the day of a step", enc, d("2027-03-02"), []credit.RiskStep{{From: d("2027-03-02"), Category: "B"}, steps[2]}},
		{"past every step", enc, d("2030-01-01"), []credit.RiskStep{{From: d("2030-01-01"), Category: "A"}}},
		{"no step", "D", d("2026-12-08"), []credit.RiskStep{{From: d("2026-12-08"), Category: "D"}}},
		{"none", "", d("2026-12-08"), nil},
		{"cut at MaxSteps", EncodeRisk(cut), d("2026-12-08"), nil},
		{"steps out of order", "C;2027-03-02:B;2027-03-01:A", d("2026-12-08"), nil},
		{"no letter", "C;2027-03-02:", d("2026-12-08"), nil},
		{"no day", "C;B", d("2026-12-08"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := DecodeRisk(tt.enc, tt.day)
			if ok != (tt.want != nil) || !slices.EqualFunc(got, tt.want, func(a, b credit.RiskStep) bool {
				return a.From.Equal(b.From) && a.Category == b.Category
			}) {
				t.Errorf("DecodeRisk(%q, %s) = %v, %v; want %v", tt.enc, tt.day.Format(time.DateOnly), got, ok, tt.want)
			}
		})
	}
}
