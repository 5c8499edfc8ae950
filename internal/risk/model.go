package risk

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"slices"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// Caveat is the sentence every presentation of a category must carry.
const Caveat = "The credit risk category (信用风险分类) is an internal reference regulators use to allocate " +
	"supervision (国市监信发〔2022〕6号); it is not a credit evaluation of the enterprise."

// Category is a credit risk class.
type Category string

const (
	CategoryA Category = "A" // low risk (信用风险低)
	CategoryB Category = "B" // ordinary risk (信用风险一般)
	CategoryC Category = "C" // higher risk (信用风险较高)
	CategoryD Category = "D" // high risk (信用风险高)
)

// Categories lists every category from lowest to highest risk; string order
// is risk order.
var Categories = []Category{CategoryA, CategoryB, CategoryC, CategoryD}

// Description names the category in English and Chinese.
func (c Category) Description() string {
	switch c {
	case CategoryA:
		return "low risk (信用风险低)"
	case CategoryB:
		return "ordinary risk (信用风险一般)"
	case CategoryC:
		return "higher risk (信用风险较高)"
	case CategoryD:
		return "high risk (信用风险高)"
	}
	return "unknown"
}

// Inputs are an enterprise's full record, as a regulator sees it: expired,
// repaired and withdrawn records included. The model decides what counts;
// records dated after the assessment day are ignored.
type Inputs struct {
	Enterprise  credit.Enterprise
	Licenses    []credit.License
	Penalties   []credit.Penalty
	Inspections []credit.Inspection
	Abnormal    []credit.Listing
	Serious     []credit.Listing
	Commitments []credit.Commitment
}

// Assessment is a classification and its explanation.
type Assessment struct {
	Category Category
	Score    float64   // 0–100, higher is riskier: the factors' points summed, capped at 100
	Model    string    // the weight set used, with the settings version: "general/v1"
	AsOf     time.Time // the day assessed
	Factors  []Factor  // every factor with points, highest first
}

// Factor is one reason for a score.
type Factor struct {
	Code        string   // stable identifier, e.g. "PENALTY_HEAVIER"
	Description string   // English, with the Chinese term
	Points      float64  // contribution to the score, before the cap at 100
	Evidence    []string // decision numbers, inspection ids, commitment ids or licence numbers
}

// Model classifies enterprises with its Settings. The zero Model has no
// weights and rates everything A: build it from DefaultSettings.
type Model struct {
	Settings
}

// ID names the model: its version and a digest of every setting, so a
// changed weight is a changed model even when the version was not bumped.
// A store records the ID of the model its change feed derived risk
// categories with.
func (m Model) ID() string {
	b, err := json.Marshal(m.Settings)
	if err != nil { // settings are plain numbers and strings
		panic("risk: settings: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return m.Version + "/" + hex.EncodeToString(sum[:8])
}

// NewModel validates s and returns a model using it.
func NewModel(s Settings) (Model, error) {
	if err := s.Validate(); err != nil {
		return Model{}, err
	}
	return Model{s}, nil
}

// Assess classifies in as of the day asOf (its time of day is ignored). p
// supplies the disclosure rules the model builds on: what a heavier penalty
// is, and whether a listing is in force. Assess is deterministic, independent
// of the order of in's records, and monotone: with non-negative weights, an
// added penalty, failed inspection, listing or untrue commitment never lowers
// the score or the category.
func (m Model) Assess(in Inputs, asOf time.Time, p credit.Policy) Assessment {
	asOf = credit.DateOf(asOf)
	ev := evidence{ids: make([]idRef, 0, 2*len(in.Penalties)+len(in.Inspections)+len(in.Abnormal)+len(in.Serious)+len(in.Commitments)+2)}
	m.collect(&ev, &in, asOf, &p)
	best, bestCP := &m.General, int64(-1)
	for i := range m.KeyAreaModels {
		am := &m.KeyAreaModels[i]
		if !slices.Contains(in.Enterprise.KeyAreas, am.Area) {
			continue
		}
		if cp := ev.total(&am.Weights); cp > bestCP {
			best, bestCP = &am.Weights, cp
		}
	}
	if bestCP < 0 {
		bestCP = ev.total(best)
	}
	score := float64(min(max(bestCP, 0), 100*centi)) / centi
	a := Assessment{
		Category: m.category(score, ev.t[fSeriousListed].n > 0),
		Score:    score,
		Model:    best.Name + "/" + m.Version,
		AsOf:     asOf,
		Factors:  m.explain(&ev, best, &in.Enterprise),
	}
	if c, ok := imported(&in.Enterprise, asOf); ok {
		// The letter is the import's; the score and factors are what the
		// records held here give, with a factor saying so.
		a.Category = c
		a.Factors = append(a.Factors, Factor{Code: "IMPORTED_CATEGORY", Description: "category " + string(c) +
			" as imported (risk_categories): assessed by the source from a record this store may hold only part of (导入的风险分类)"})
	}
	return a
}

func (s *Settings) category(score float64, forceD bool) Category {
	t := s.Thresholds
	switch {
	case forceD || score >= t.D:
		return CategoryD
	case score >= t.C:
		return CategoryC
	case score >= t.B:
		return CategoryB
	}
	return CategoryA
}

// Fixed-point units. A record's share of its factor (its decay and repair
// multipliers) is held in micro-units and points in hundredths, so that sums
// are integer sums: exact, independent of record order, and never lowered by
// adding a non-negative term (float sums can lose an ulp when reordered).
const (
	micro = 1_000_000 // one record counted in full
	centi = 100       // one point
)

// total is the model's score in hundredths of a point, before the cap.
func (ev *evidence) total(w *Weights) int64 {
	var cp int64
	for f := factor(0); f < numFactors; f++ {
		cp += ev.t[f].centipoints(w.points(f))
	}
	return cp
}

func (t *tally) centipoints(weight float64) int64 {
	if t.units == 0 {
		return 0
	}
	return int64(math.Round(weight * float64(t.units) * centi / micro))
}

// explain turns the chosen model's non-zero factors into Factors, highest
// first, ties by code. It builds every Evidence in one array and every
// Description in one string: this is most of what Assess costs.
func (s *Settings) explain(ev *evidence, w *Weights, e *credit.Enterprise) []Factor {
	var cps [numFactors]int64
	for f := range numFactors {
		cps[f] = ev.t[f].centipoints(w.points(f))
	}
	var ranked [numFactors]factor
	order := rank(&cps, ranked[:0])
	if len(order) == 0 {
		return nil
	}
	ids, from, to := group(ev.ids, &cps)
	out := make([]Factor, len(order))
	var ends [numFactors]int
	buf := make([]byte, 0, 224*len(order))
	for i, f := range order {
		buf = s.describe(buf, f, &ev.t[f], e)
		ends[i] = len(buf)
		out[i] = Factor{Code: f.code(), Points: float64(cps[f]) / centi}
		if to[f] > from[f] {
			out[i].Evidence = ids[from[f]:to[f]:to[f]]
		}
	}
	text, start := string(buf), 0
	for i := range out {
		out[i].Description, start = text[start:ends[i]], ends[i]
	}
	return out
}

// rank appends the factors with points to order, highest first, ties by
// code.
func rank(cps *[numFactors]int64, order []factor) []factor {
	for f := range numFactors {
		if cps[f] > 0 {
			order = append(order, f)
		}
	}
	slices.SortFunc(order, func(a, b factor) int {
		return cmp.Or(cmp.Compare(cps[b], cps[a]), cmp.Compare(a.code(), b.code()))
	})
	return order
}

// group arranges the identifiers of factors with points by factor (a
// counting sort), each factor's sorted and deduplicated in ids[from[f]:to[f]].
func group(refs []idRef, cps *[numFactors]int64) (ids []string, from, to [numFactors]int) {
	for _, r := range refs {
		if cps[r.f] > 0 {
			to[r.f]++
		}
	}
	total := 0
	for f := range numFactors {
		from[f], to[f], total = total, total, total+to[f]
	}
	ids = make([]string, total)
	for _, r := range refs {
		if cps[r.f] > 0 {
			ids[to[r.f]] = r.id
			to[r.f]++
		}
	}
	for f := range numFactors {
		g := ids[from[f]:to[f]]
		slices.Sort(g)
		to[f] = from[f] + len(slices.Compact(g))
	}
	return ids, from, to
}
