package risk

import (
	"slices"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// An imported category (credit.Enterprise.RiskCategories) is the letter a
// store's source assessed from the whole record, of which the store may
// hold only what one tier sees: a PARTNER export omits the expired,
// repaired, withdrawn and never-public records the model counts. From its
// first step's day on it stands instead of the model's letter, step by
// step, until another import replaces it; a store never derives a letter
// from a part of the record (it would understate the risk). Before that
// day, and for an enterprise with no imported steps, the model decides.

// MaxSteps is the most steps a schedule holds (Schedule, and what an
// import accepts): every step is a day a record's date moves the letter,
// and a record has a handful of such days at most.
const MaxSteps = 64

// imported returns the imported letter of e on day, if any.
func imported(e *credit.Enterprise, day time.Time) (Category, bool) {
	steps := e.RiskCategories
	i, found := slices.BinarySearchFunc(steps, day, func(s credit.RiskStep, d time.Time) int { return s.From.Compare(d) })
	if !found {
		i--
	}
	if i < 0 {
		return "", false
	}
	return Category(steps[i].Category), true
}

// Schedule returns in's category on day and on every later day it moves
// with no write (NextChange), as steps from day on: what an export carries
// so that a store holding part of the record answers as this one does, on
// the export's day and after. At most MaxSteps steps; a record whose
// letter would move more often is cut there (none does: see NextChange).
//
// It is NextChange called from each step's day on, with the turning points
// found once: they depend on the day only in that those up to it are left
// out, so a later step's are a suffix of the first's. (An export derives
// a schedule per enterprise: docs/BENCHMARKS.md §33.)
func (m Model) Schedule(in Inputs, day time.Time, p credit.Policy) []credit.RiskStep {
	day = credit.DateOf(day)
	cur := m.Category(in, day, p)
	steps := []credit.RiskStep{{From: day, Category: string(cur)}}
	ts := m.turningPoints(&in, day, &p)
	for len(steps) < MaxSteps {
		next := m.nextChange(in, day, cur, ts, p)
		if next.IsZero() {
			break
		}
		day = credit.DateOf(next)
		cur = m.Category(in, day, p)
		steps = append(steps, credit.RiskStep{From: next, Category: string(cur)})
		i, _ := slices.BinarySearchFunc(ts, day, func(t, d time.Time) int { return t.Compare(d) })
		for i < len(ts) && !ts[i].After(day) {
			i++
		}
		ts = ts[i:]
	}
	return steps
}
