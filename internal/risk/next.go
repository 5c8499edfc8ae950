package risk

import (
	"slices"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// Category classifies in as of asOf, as Assess does, without the
// explanation (a fraction of the cost): what the change feed and screening
// need.
func (m Model) Category(in Inputs, asOf time.Time, p credit.Policy) Category {
	asOf = credit.DateOf(asOf)
	if c, ok := imported(&in.Enterprise, asOf); ok {
		return c
	}
	var ev evidence
	m.collect(&ev, &in, asOf, &p)
	best := ev.total(&m.General)
	chosen := false
	for i := range m.KeyAreaModels {
		am := &m.KeyAreaModels[i]
		if !slices.Contains(in.Enterprise.KeyAreas, am.Area) {
			continue
		}
		if cp := ev.total(&am.Weights); !chosen || cp > best {
			best, chosen = cp, true
		}
	}
	score := float64(min(max(best, 0), 100*centi)) / centi
	return m.category(score, ev.t[fSeriousListed].n > 0)
}

// NextChange returns the first day after day on which in's category differs
// from its category on day, or the zero time when no date can change it:
// the day a change feed must look again with no write having happened. It
// is a pure function of in, day and the settings, so every replica finds
// the same day.
//
// Between two turning points (a record's date, a window's edge, a
// restriction's end, a listing's expiry) only the time decay of penalties
// moves the score, and decay only lowers it: so the category on a stretch
// with no turning point can only fall, and NextChange tests each stretch's
// last day and searches the stretch by halves when it differs. (The
// half-life is measured in calendar months, so a half-life is a day or two
// longer in some months than others and decay is monotone to within that;
// a category lasting a day inside a stretch can in principle go unseen.)
func (m Model) NextChange(in Inputs, day time.Time, p credit.Policy) time.Time {
	day = credit.DateOf(day)
	return m.nextChange(in, day, m.Category(in, day, p), m.turningPoints(&in, day, &p), p)
}

// nextChange is NextChange given in's category cur on day and its turning
// points after day, ts.
func (m Model) nextChange(in Inputs, day time.Time, cur Category, ts []time.Time, p credit.Policy) time.Time {
	from := day // the category is cur on from
	for _, t := range ts {
		if last := t.AddDate(0, 0, -1); last.After(from) && m.Category(in, last, p) != cur {
			return m.firstDiffering(in, from, last, cur, p)
		}
		if m.Category(in, t, p) != cur {
			return t
		}
		from = t
	}
	return time.Time{}
}

// firstDiffering finds, by halves, the first day in (from, to] whose
// category is not cur, given that from's is and to's is not.
func (m Model) firstDiffering(in Inputs, from, to time.Time, cur Category, p credit.Policy) time.Time {
	for {
		n := int(to.Sub(from).Hours()/24 + 0.5)
		if n <= 1 {
			return to
		}
		mid := from.AddDate(0, 0, n/2)
		if m.Category(in, mid, p) != cur {
			to = mid
		} else {
			from = mid
		}
	}
}

// turningPoints are the days after day, ascending, on which a record
// enters or leaves a factor: where the score may jump.
func (m Model) turningPoints(in *Inputs, day time.Time, p *credit.Policy) []time.Time {
	w := m.Windows
	var ts []time.Time
	add := func(ds ...time.Time) {
		for _, d := range ds {
			if d.After(day) {
				ts = append(ts, d)
			}
		}
	}
	// edges adds the days around start+win on which "date is within the
	// window ending that day" flips: month and 29 February arithmetic
	// move the edge by up to three days, not always forward.
	edges := func(date time.Time, win credit.Period) {
		in := func(x time.Time) bool { return within(date, win.Before(x), x) }
		c := win.After(date)
		prev := in(c.AddDate(0, 0, -5))
		for i := -4; i <= 5; i++ {
			x := c.AddDate(0, 0, i)
			if now := in(x); now != prev {
				add(x)
				prev = now
			}
		}
	}
	for _, l := range in.Abnormal {
		add(listingDates(l)...)
	}
	for _, l := range in.Serious {
		l.List = credit.ListSerious
		ds := listingDates(l)
		expiry := p.S.SeriousListingPeriod.After(l.ListedOn)
		ds = append(ds, expiry.AddDate(0, 0, -1), expiry, expiry.AddDate(0, 0, 1))
		add(ds...)
		for _, d := range ds { // a listing that ended the day before d counts for SeriousPast after it
			edges(d.AddDate(0, 0, -1), w.SeriousPast)
		}
	}
	for i := range in.Penalties {
		pen := &in.Penalties[i]
		add(pen.DecidedOn)
		edges(pen.DecidedOn, w.Penalty)
		if pen.RestrictionUntil != nil {
			add(pen.RestrictionUntil.AddDate(0, 0, 1))
		}
		if pen.RepairedOn != nil {
			add(*pen.RepairedOn)
		}
	}
	for i := range in.Inspections {
		add(in.Inspections[i].InspectedOn)
		edges(in.Inspections[i].InspectedOn, w.Inspection)
	}
	for i := range in.Commitments {
		c := &in.Commitments[i]
		found := c.MadeOn
		if c.UntrueFoundOn != nil {
			found = *c.UntrueFoundOn
		}
		add(found)
		edges(found, w.Commitment)
	}
	if est := in.Enterprise.EstablishedOn; est != nil {
		add(*est)
		edges(*est, w.YoungEnterprise)
		edges(est.AddDate(0, 0, -1), w.YoungEnterprise) // young is "after", not "on or after", the window's start
	}
	for _, s := range in.Enterprise.RiskCategories { // an imported letter holds from its day
		add(s.From)
	}
	for i := range in.Licenses {
		l := &in.Licenses[i]
		add(l.DecidedOn)
		if l.ValidFrom != nil {
			add(*l.ValidFrom)
		}
		if l.ValidTo != nil {
			add(*l.ValidTo, l.ValidTo.AddDate(0, 0, 1))
		}
	}
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	return slices.CompactFunc(ts, func(a, b time.Time) bool { return a.Equal(b) })
}

// listingDates are the days a listing may enter or leave force.
func listingDates(l credit.Listing) []time.Time {
	ds := []time.Time{l.ListedOn}
	if l.Removal != nil {
		ds = append(ds, l.Removal.RemovedOn)
	}
	if l.RepairedOn != nil {
		ds = append(ds, *l.RepairedOn)
	}
	return ds
}
