package risk

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// TestCategoryMatchesAssess: the cheap Category is Assess's category.
func TestCategoryMatchesAssess(t *testing.T) {
	m := defaultModel()
	for seed := range uint64(2000) {
		_, day, in := randomCase(seed)
		if got, want := m.Category(in, day, policy), m.Assess(in, day, policy).Category; got != want {
			t.Fatalf("seed %d: Category %s, Assess %s", seed, got, want)
		}
	}
}

// TestNextChange checks NextChange day by day on seeded random records:
// the category holds on every day before the day it returns, differs on
// that day, and never changes in the years after a zero answer.
func TestNextChange(t *testing.T) {
	m := defaultModel()
	const horizon = 9 * 365 // past every window of the generated dates
	cases := 300
	if testing.Short() {
		cases = 40
	}
	for seed := range uint64(cases) {
		_, day, in := randomCase(seed)
		name := fmt.Sprintf("seed %d, day %s", seed, day.Format(time.DateOnly))
		next := m.NextChange(in, day, policy)
		cur := m.Category(in, day, policy)
		end := day.AddDate(0, 0, horizon)
		if !next.IsZero() {
			if !next.After(day) {
				t.Fatalf("%s: next change %s is not after the day", name, next.Format(time.DateOnly))
			}
			if got := m.Category(in, next, policy); got == cur {
				t.Fatalf("%s: next change %s, but the category is still %s", name, next.Format(time.DateOnly), cur)
			}
			end = next
		}
		for d := day.AddDate(0, 0, 1); d.Before(end); d = d.AddDate(0, 0, 1) {
			if got := m.Category(in, d, policy); got != cur {
				t.Fatalf("%s: the category moved %s → %s on %s, NextChange said %v", name, cur, got, d.Format(time.DateOnly), next)
			}
		}
	}
}

// TestScheduleRoundTrip: the schedule of a record, imported onto an
// enterprise with none of its records, gives the same letter on every day
// from the schedule's first on, and the same NextChange days.
func TestScheduleRoundTrip(t *testing.T) {
	m := defaultModel()
	cases := 200
	if testing.Short() {
		cases = 30
	}
	for seed := range uint64(cases) {
		_, day, in := randomCase(seed)
		steps := m.Schedule(in, day, policy)
		bare := Inputs{Enterprise: in.Enterprise}
		bare.Enterprise.RiskCategories = steps
		for i, s := range steps {
			if i > 0 && !s.From.After(steps[i-1].From) {
				t.Fatalf("seed %d: steps out of order: %v", seed, steps)
			}
		}
		for d := day; d.Before(day.AddDate(6, 0, 0)); d = d.AddDate(0, 0, 7) {
			if got, want := m.Category(bare, d, policy), m.Category(in, d, policy); got != want {
				t.Fatalf("seed %d, %s: imported %s, derived %s (steps %v)", seed, d.Format(time.DateOnly), got, want, steps)
			}
			if got, want := m.NextChange(bare, d, policy), m.NextChange(in, d, policy); !got.Equal(want) {
				t.Fatalf("seed %d, %s: imported next change %v, derived %v", seed, d.Format(time.DateOnly), got, want)
			}
			if got, want := m.Assess(bare, d, policy).Category, m.Category(in, d, policy); got != want {
				t.Fatalf("seed %d, %s: Assess with imported steps %s, want %s", seed, d.Format(time.DateOnly), got, want)
			}
		}
		// Before the first step the model decides from the records held.
		if got, want := m.Category(bare, day.AddDate(0, 0, -1), policy), m.Category(Inputs{Enterprise: in.Enterprise}, day.AddDate(0, 0, -1), policy); got != want {
			t.Fatalf("seed %d: before the schedule %s, want the model's %s", seed, got, want)
		}
	}
}

// TestScheduleIsNextChangeInTurn: Schedule, which finds the turning points
// once, gives the steps NextChange gives called from each step's day on,
// on seeded random records and on records with imported letters.
func TestScheduleIsNextChangeInTurn(t *testing.T) {
	m := defaultModel()
	cases := 1000
	if testing.Short() {
		cases = 100
	}
	for seed := range uint64(cases) {
		_, day, in := randomCase(seed)
		imported := in
		imported.Enterprise.RiskCategories = m.Schedule(Inputs{Enterprise: in.Enterprise, Penalties: in.Penalties}, day.AddDate(0, 0, -300), policy)
		for _, in := range []Inputs{in, {Enterprise: in.Enterprise, Licenses: in.Licenses}, imported} {
			want := []credit.RiskStep{{From: credit.DateOf(day), Category: string(m.Category(in, day, policy))}}
			for d := day; len(want) < MaxSteps; {
				next := m.NextChange(in, d, policy)
				if next.IsZero() {
					break
				}
				want = append(want, credit.RiskStep{From: next, Category: string(m.Category(in, next, policy))})
				d = next
			}
			if got := m.Schedule(in, day, policy); !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d: Schedule %v, NextChange in turn %v", seed, got, want)
			}
		}
	}
}
