package feed

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/risk"
)

// RiskEntry is the entry of an enterprise's credit risk category as of day,
// from its whole record r (a regulator's view: expired, repaired and
// withdrawn records included, as the model wants). Both audiences see the
// letter only (the score moves every day a penalty decays; the letter is
// what PARTNER reads), so a change is an event when the letter moves. Next
// is the first day the letter moves with no write (risk.Model.NextChange):
// a penalty or inspection leaving its window, a listing expiring, decay
// taking the score across a threshold.
func RiskEntry(m risk.Model, p credit.Policy, r *Records, day time.Time) Entry {
	in := risk.Inputs{Enterprise: r.Enterprise, Licenses: r.Licenses, Penalties: r.Penalties,
		Inspections: r.Inspections, Commitments: r.Commitments}
	for _, l := range r.Listings {
		if l.List == credit.ListSerious {
			in.Serious = append(in.Serious, l)
		} else {
			in.Abnormal = append(in.Abnormal, l)
		}
	}
	steps := m.Schedule(in, day, p) // steps[0] is the letter on day, steps[1] (if any) NextChange's day
	h := hash(struct{ RiskCategory risk.Category }{risk.Category(steps[0].Category)})
	var next time.Time
	if len(steps) > 1 {
		next = steps[1].From
	}
	e := entry(&r.Enterprise, Key{RiskCategory, r.Enterprise.USCC}, nil, h, h, credit.Disclosed, next)
	e.Risk = EncodeRisk(steps)
	return e
}

// EncodeRisk encodes a risk schedule (risk.Model.Schedule) for State.Risk:
// the first step's letter, then ";day:letter" for each later step
// ("C;2027-03-02:B"), and a final ";+" when the schedule holds
// risk.MaxSteps steps (it may have been cut there). The first step's day
// is left out: the letter holds from the day the schedule was computed on
// until the next step, so computing it again on a later day before that
// step, with no write, gives the same string and the same State.
func EncodeRisk(steps []credit.RiskStep) string {
	if len(steps) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(steps[0].Category)
	for _, s := range steps[1:] {
		b.WriteString(";" + s.From.Format(time.DateOnly) + ":" + s.Category)
	}
	if len(steps) >= risk.MaxSteps {
		b.WriteString(";+")
	}
	return b.String()
}

// DecodeRisk gives the schedule an EncodeRisk string s holds as of day, a
// day on or after the one it was computed on: the letter on day, then the
// steps after day. ok is false for "", for anything EncodeRisk does not
// write, and for a schedule that may have been cut (what follows its last
// step is unknown).
func DecodeRisk(s string, day time.Time) (steps []credit.RiskStep, ok bool) {
	if s == "" {
		return nil, false
	}
	day = credit.DateOf(day)
	parts := strings.Split(s, ";")
	steps = []credit.RiskStep{{From: day, Category: parts[0]}}
	var prev time.Time
	for _, p := range parts[1:] {
		d, c, found := strings.Cut(p, ":")
		from, err := time.Parse(time.DateOnly, d)
		if !found || err != nil || c == "" || !from.After(prev) {
			return nil, false // a cut schedule ("+") too
		}
		prev = from
		if from.After(day) {
			steps = append(steps, credit.RiskStep{From: from, Category: c})
		} else {
			steps[0].Category = c // moved on or before day
		}
	}
	return steps, steps[0].Category != ""
}

// WithRisk returns keys with the risk category of every enterprise they
// touch added (a write to any record of an enterprise may move its
// category), in key order without repeats. owner names a key's enterprise
// ("" for none: a typical case, a record not stored).
func WithRisk(keys []Key, owner func(Key) string) []Key {
	out := append([]Key(nil), keys...)
	for _, k := range keys {
		if k.Type == TypicalCase || k.Type == RiskCategory {
			continue
		}
		if u := owner(k); u != "" {
			out = append(out, Key{RiskCategory, u})
		}
	}
	return SortKeys(out)
}

// SortKeys sorts keys in feed order (type, then ID; the order the stores
// record a batch's or a day's changes in) and drops repeats.
func SortKeys(keys []Key) []Key {
	slices.SortFunc(keys, func(a, b Key) int {
		return cmp.Or(strings.Compare(string(a.Type), string(b.Type)), strings.Compare(a.ID, b.ID))
	})
	return slices.Compact(keys)
}
