// Package gen writes realistic synthetic datasets in the import NDJSON
// format of contract.md: Fujian enterprises with valid unified social credit
// codes, their licences, inspections, penalties, list entries, removals,
// commitments, credit repairs and typical cases, with records in every
// disclosure state relative to an anchor date. It owns only the vocabulary
// and the generation; it asks package credit for the rules (USCC check
// character, periods, repair conditions) and must not do any I/O other than
// writing to the io.Writer it is given.
//
// Output is streamed: each enterprise is generated with its records,
// written and forgotten, so memory stays constant for any size. It is
// deterministic for (Enterprises, Seed, Anchor): all randomness comes from a
// PCG seeded from Seed, never from the clock.
package gen

import (
	"fmt"
	"io"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// Options says what to generate.
type Options struct {
	Enterprises int   // how many enterprises; each comes with its records
	Seed        int64 // the same seed gives the same bytes
	// Anchor is "today" for the dataset: every record date lies in the six
	// years before it, and disclosure states (in period, expired, repaired …)
	// are spread relative to it. Zero means DefaultAnchor.
	Anchor time.Time
}

// DefaultAnchor is the anchor used when Options.Anchor is zero: a fixed
// date, so output is reproducible.
func DefaultAnchor() time.Time { return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) }

// Write generates the dataset described by opts and writes it to w as
// NDJSON. An enterprise's line comes before its records, and a record that
// refers to a listing or penalty comes after it.
func Write(w io.Writer, opts Options) error {
	if opts.Enterprises < 0 || opts.Enterprises > MaxEnterprises {
		return fmt.Errorf("gen: enterprises must be between 0 and %d, got %d", MaxEnterprises, opts.Enterprises)
	}
	g := newGenerator(w, opts)
	for i := 0; i < opts.Enterprises && g.o.err == nil; i++ {
		g.enterprise(i)
	}
	g.o.flush()
	if g.o.err != nil {
		return fmt.Errorf("gen: write: %w", g.o.err)
	}
	return nil
}

// authority is a market-regulation authority: provincial, city or county.
type authority struct {
	id     int
	name   string // 福州市鼓楼区市场监督管理局
	short  string // 福州市鼓楼区市场监管局, as case titles write it
	prefix string // decision-number prefix: 闽, 闽榕, 榕鼓
}

// place is a county-level division with its authorities.
type place struct {
	city     *city
	county   *county
	auth     *authority // county level
	cityAuth *authority
	province *authority
	snacks   []string
}

type generator struct {
	r      rng
	o      out
	policy credit.Policy
	anchor day
	start  day // anchor minus six years: the earliest record date

	ma, old affine // organisation-code bijections

	places   weighted[*place]
	profiles [3]weighted[*profile]
	orgKinds weighted[orgKind]
	surnames weighted[string]
	ctypes   weighted[string]
	byArea   map[credit.KeyArea][]*violation
	heavy    map[credit.KeyArea][]*violation
	province *authority

	counters map[uint64]int

	seriousFate, abnormalFate, penaltyFate *deck[bool]
	seriousPlans                           *deck[seriousPlan]
	abnormalPlans                          *deck[abnormalPlan]
	penaltyPlans                           *deck[penaltyPlan]

	e       ent
	scratch []byte // for short-lived strings; callees may reuse it
	text    []byte // for case summaries
}

func newGenerator(w io.Writer, opts Options) *generator {
	anchor := opts.Anchor
	if anchor.IsZero() {
		anchor = DefaultAnchor()
	}
	g := &generator{
		r:        newRNG(opts.Seed),
		o:        out{w: w, buf: make([]byte, 0, flushAt+8<<10)},
		policy:   credit.NewPolicy(credit.DefaultSettings()),
		anchor:   dayOf(anchor),
		counters: make(map[uint64]int),
		byArea:   make(map[credit.KeyArea][]*violation),
		heavy:    make(map[credit.KeyArea][]*violation),
	}
	g.start = g.anchor.addDate(-6, 0, 0)
	g.ma = newAffine(g.r, space7, func(a uint64) bool { return a%31 != 0 })
	g.old = newAffine(g.r, space8, func(a uint64) bool { return a%2 != 0 && a%5 != 0 })
	g.buildPlaces()
	for k := range g.profiles {
		var ps []*profile
		for i := range profiles {
			if profiles[i].org == orgKind(k) {
				ps = append(ps, &profiles[i])
			}
		}
		g.profiles[k] = newWeighted(ps, func(i int) int { return ps[i].weight })
	}
	g.orgKinds = newWeighted([]orgKind{orgCompany, orgIndividual, orgCooperative}, func(i int) int { return [...]int{67, 30, 3}[i] })
	g.surnames = weightedStrings(surnames)
	g.ctypes = weightedStrings(companyTypes)
	for i := range violations {
		v := &violations[i]
		g.byArea[v.area] = append(g.byArea[v.area], v)
		if v.heavy {
			g.heavy[v.area] = append(g.heavy[v.area], v)
		}
	}
	g.seriousFate = newDeck(map[bool]int{true: 1, false: 124}, []bool{true, false})
	g.abnormalFate = newDeck(map[bool]int{true: 1, false: 19}, []bool{true, false})
	g.penaltyFate = newDeck(map[bool]int{true: 7, false: 43}, []bool{true, false})
	g.seriousPlans = newDeck(seriousPlanCards, seriousPlanOrder)
	g.abnormalPlans = newDeck(abnormalPlanCards, abnormalPlanOrder)
	g.penaltyPlans = newDeck(penaltyPlanCards, penaltyPlanOrder)
	return g
}

func (g *generator) buildPlaces() {
	id := 0
	newAuth := func(name, short, prefix string) *authority {
		a := &authority{id: id, name: name, short: short, prefix: prefix}
		id++
		return a
	}
	g.province = newAuth(province, "福建省市场监管局", "闽")
	var ps []*place
	var ws []int
	for ci := range cities {
		c := &cities[ci]
		cityAuth := newAuth(c.name+"市市场监督管理局", c.name+"市市场监管局", "闽"+c.abbr)
		total := 0
		for _, k := range c.counties {
			total += k.weight
		}
		for ki := range c.counties {
			k := &c.counties[ki]
			name, short := k.authority, ""
			switch {
			case name != "":
				short = name[:len(name)-len("市场监督管理局")] + "市场监管局"
			case k.urban:
				name, short = c.name+"市"+k.name+"市场监督管理局", c.name+"市"+k.name+"市场监管局"
			default:
				name, short = k.name+"市场监督管理局", k.name+"市场监管局"
			}
			ps = append(ps, &place{city: c, county: k, cityAuth: cityAuth, province: g.province, snacks: localSnacks[c.code],
				auth: newAuth(name, short, c.abbr+k.abbr)})
			ws = append(ws, c.weight*k.weight*1000/total)
		}
	}
	g.places = newWeighted(ps, func(i int) int { return ws[i] })
}

// Document kinds, for numbering; decisions first.
const (
	docPenalty = iota + 1
	docSimple
	docAbnormal
	docSerious
	docSC
	docJY
	docEquip
	docTS
	docDrug
	docDevice
	docCosmetics
	docXK
	docSpotCheck
	docSupervision
	docSampling
	docCommitment
	docCase
)

// next returns the next number of a document series: per authority, year,
// kind and sub-kind. The counters are bounded by the number of series, so
// memory stays constant however many enterprises are written.
//
// A series starts at a random number, as if earlier documents of the year
// had been issued to enterprises outside the dataset: a small dataset then
// does not look like every authority's first case.
func (g *generator) next(a *authority, year, doc, sub int) int {
	k := uint64(a.id)<<40 | uint64(year)<<24 | uint64(doc)<<16 | uint64(sub)
	n, ok := g.counters[k]
	if !ok {
		n = g.r.IntN(seriesStart[doc])
	}
	n++
	if doc <= docSerious {
		n += g.r.IntN(3) // decisions about others come in between
	}
	g.counters[k] = n
	return n
}

// seriesStart bounds the random start of each document series.
var seriesStart = [...]int{
	docPenalty: 300, docSimple: 100, docAbnormal: 200, docSerious: 10,
	docSC: 2000, docJY: 20000, docEquip: 3000, docTS: 300, docDrug: 1000, docDevice: 300, docCosmetics: 60, docXK: 1000,
	docSpotCheck: 3000, docSupervision: 3000, docSampling: 3000, docCommitment: 3000, docCase: 20,
}

var docWords = map[int]string{
	docPenalty:  "市监处罚",
	docSimple:   "市监简罚",
	docAbnormal: "市监列异",
	docSerious:  "市监严列",
}

// decisionNumber numbers a decision like 榕鼓市监处罚〔2023〕118号.
func (g *generator) decisionNumber(a *authority, doc int, d day) string {
	y := d.year()
	b := g.scratch[:0]
	b = append(b, a.prefix...)
	b = append(b, docWords[doc]...)
	b = append(b, "〔"...)
	b = appendPadded(b, y, 4)
	b = append(b, "〕"...)
	b = appendPadded(b, g.next(a, y, doc, 0), 1)
	b = append(b, "号"...)
	g.scratch = b
	return string(b)
}
