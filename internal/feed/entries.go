package feed

import (
	"crypto/sha256"
	"encoding/json"
	"slices"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// Records are one enterprise's records as stored (a regulator's view:
// nothing redacted, every disclosure state).
type Records struct {
	Enterprise  credit.Enterprise
	Licenses    []credit.License
	Penalties   []credit.Penalty
	Inspections []credit.Inspection
	Listings    []credit.Listing // both lists
	Commitments []credit.Commitment
}

// Entries returns the entry of every record in r as of day.
func (r *Records) Entries(p credit.Policy, day time.Time) []Entry {
	e := &r.Enterprise
	out := make([]Entry, 0, 1+len(r.Licenses)+len(r.Penalties)+len(r.Inspections)+len(r.Listings)+len(r.Commitments))
	out = append(out, EnterpriseEntry(p, e, day))
	for _, l := range r.Licenses {
		out = append(out, LicenseEntry(p, e, l, day))
	}
	for _, in := range r.Inspections {
		out = append(out, InspectionEntry(p, e, in, day))
	}
	for _, c := range r.Commitments {
		out = append(out, CommitmentEntry(p, e, c, day))
	}
	for _, pen := range r.Penalties {
		out = append(out, PenaltyEntry(p, e, pen, day))
	}
	for _, l := range r.Listings {
		out = append(out, ListingEntry(p, e, l, day))
	}
	return out
}

func public(day time.Time) credit.Visibility {
	return credit.Visibility{Tier: credit.TierPartner, AsOf: day}
}

// EnterpriseEntry is the entry of the enterprise's own fields (its records
// have entries of their own); every tier sees every enterprise.
func EnterpriseEntry(p credit.Policy, e *credit.Enterprise, day time.Time) Entry {
	ent := *e
	ent.UpdatedAt = time.Time{}
	return entry(e, Key{Enterprise, e.USCC}, nil, hash(enterpriseState{Enterprise: p.ViewEnterprise(public(day), ent)}),
		hash(enterpriseState{Enterprise: ent}), credit.Disclosed, time.Time{})
}

// enterpriseState is what an enterprise's entry hashes: its fields but the
// imported risk category (the RISK_CATEGORY entry's), which the outer
// field shadows and omits, so an enterprise hashes as it did before the
// field existed and the feed's stored hashes stay valid (no spurious
// CHANGED on the next write).
type enterpriseState struct {
	credit.Enterprise
	RiskCategories *struct{} `json:",omitempty"`
}

// LicenseEntry: every tier sees every licence.
func LicenseEntry(p credit.Policy, e *credit.Enterprise, l credit.License, day time.Time) Entry {
	return entry(e, Key{License, l.LicenseNumber}, l.KeyArea, hash(p.ViewLicense(public(day), l)), hash(l), credit.Disclosed, time.Time{})
}

// InspectionEntry: every tier sees every inspection result.
func InspectionEntry(p credit.Policy, e *credit.Enterprise, in credit.Inspection, day time.Time) Entry {
	return entry(e, Key{Inspection, in.InspectionID}, in.KeyArea, hash(p.ViewInspection(public(day), in)), hash(in), credit.Disclosed, time.Time{})
}

// CommitmentEntry: every tier sees every commitment.
func CommitmentEntry(p credit.Policy, e *credit.Enterprise, c credit.Commitment, day time.Time) Entry {
	return entry(e, Key{Commitment, c.CommitmentID}, nil, hash(p.ViewCommitment(public(day), c)), hash(c), credit.Disclosed, time.Time{})
}

func entry(e *credit.Enterprise, k Key, area *credit.KeyArea, pub, reg Hash, d credit.DisclosureState, next time.Time) Entry {
	areas := e.KeyAreas
	if area != nil && !slices.Contains(areas, *area) {
		areas = append(slices.Clip(areas), *area)
	}
	return Entry{Key: k, State: State{Public: pub, Regulator: reg, Next: next},
		USCC: e.USCC, Region: e.RegionCode, KeyAreas: areas, Disclosure: d}
}

// PenaltyEntry: the public view carries disclosureEndsOn as the public
// reads it (from the view, which knows no repair); the regulator's the
// disclosure status.
func PenaltyEntry(p credit.Policy, e *credit.Enterprise, pen credit.Penalty, day time.Time) Entry {
	pub := public(day)
	d := p.Penalty(pen, day)
	var pubView Hash
	var next []time.Time
	if v, ok := p.ViewPenalty(pub, pen); ok {
		vd := p.Penalty(v, day)
		pubView = hash(struct {
			P      credit.Penalty
			EndsOn *time.Time
		}{v, vd.EndsOn})
		next = append(next, dates(vd)...)
	}
	regulator := hash(struct {
		P credit.Penalty
		D credit.Disclosure
	}{pen, d})
	next = append(next, dates(d)...)
	next = append(next, pen.PublishedOn, p.PenaltyEndsOn(pen).AddDate(0, 0, 1))
	if pen.RepairedOn != nil {
		next = append(next, *pen.RepairedOn)
	}
	return entry(e, Key{Penalty, pen.DecisionNumber}, pen.KeyArea, pubView, regulator, d.State, after(day, next))
}

// ListingEntry: the public view shows a removal from its date on; the
// regulator's view carries the disclosure status and the serious-list
// reminder of an abnormal listing, which change with the date too.
func ListingEntry(p credit.Policy, e *credit.Enterprise, l credit.Listing, day time.Time) Entry {
	pub := public(day)
	d := p.Listing(l, day)
	var pubView Hash
	next := dates(d)
	if v, ok := p.ViewListing(pub, l); ok {
		vd := p.Listing(v, day)
		pubView = hash(struct {
			L      credit.Listing
			EndsOn *time.Time
		}{v, vd.EndsOn})
		next = append(next, dates(vd)...)
	}
	reg := struct {
		L      credit.Listing
		D      credit.Disclosure
		Remind bool
		Due    *time.Time
	}{L: l, D: d}
	next = append(next, l.ListedOn)
	if l.Removal != nil {
		next = append(next, l.Removal.RemovedOn)
	}
	if l.RepairedOn != nil {
		next = append(next, *l.RepairedOn)
	}
	if l.List == credit.ListAbnormal {
		remind, due := p.DueForSeriousList(l, day)
		reg.Remind, reg.Due = remind, &due
		next = append(next, due, p.S.AbnormalToSeriousReminder.Before(due))
	} else {
		next = append(next, p.S.SeriousListingPeriod.After(l.ListedOn))
	}
	return entry(e, Key{ListingType(l.List), l.DecisionNumber}, l.KeyArea, pubView, hash(reg), d.State, after(day, next))
}

// CaseEntry returns a typical case's entry as of day: public from its
// publication date; a case names its own region and key area.
func CaseEntry(p credit.Policy, c credit.TypicalCase, day time.Time) Entry {
	pub := public(day)
	en := Entry{Key: Key{TypicalCase, c.CaseID}, Disclosure: credit.Disclosed}
	if c.USCC != nil {
		en.USCC = *c.USCC
	}
	if c.RegionCode != nil {
		en.Region = *c.RegionCode
	}
	if c.KeyArea != nil {
		en.KeyAreas = []credit.KeyArea{*c.KeyArea}
	}
	published := !c.PublishedOn.After(day)
	if v, ok := p.ViewCase(pub, c); ok {
		en.Public = hash(v)
	}
	if !published {
		en.Disclosure = credit.NotDisclosed
	}
	en.Regulator = hash(struct {
		C         credit.TypicalCase
		Published bool
	}{c, published})
	en.Next = after(day, []time.Time{c.PublishedOn})
	return en
}

// dates are the days a disclosure names as turning points.
func dates(d credit.Disclosure) []time.Time {
	var out []time.Time
	if d.ChangesOn != nil {
		out = append(out, *d.ChangesOn)
	}
	if d.EndsOn != nil {
		out = append(out, d.EndsOn.AddDate(0, 0, 1))
	}
	return out
}

// after returns the earliest of ds after day, zero for none.
func after(day time.Time, ds []time.Time) time.Time {
	var best time.Time
	for _, d := range ds {
		if d.After(day) && (best.IsZero() || d.Before(best)) {
			best = d
		}
	}
	return best
}

// hash is the view's digest. encoding/json writes struct fields in
// declaration order and map keys sorted, so equal views hash equal in every
// process and both stores.
func hash(v any) Hash {
	b, err := json.Marshal(v)
	if err != nil { // credit records always marshal
		panic("feed: hash: " + err.Error())
	}
	sum := sha256.Sum256(b)
	var h Hash
	copy(h[:], sum[:])
	return h
}
