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
	h := hash(struct{ RiskCategory risk.Category }{m.Category(in, day, p)})
	return entry(&r.Enterprise, Key{RiskCategory, r.Enterprise.USCC}, nil, h, h, credit.Disclosed, m.NextChange(in, day, p))
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
