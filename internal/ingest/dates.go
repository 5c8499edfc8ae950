package ingest

import (
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// Dates a record may carry, against the calendar. No record of market
// regulation predates the People's Republic (1949-10-01), so an earlier date
// is a typing error (1924 for 2024, 0202 for 2022). A decision, inspection,
// listing, removal, repair or establishment cannot lie in the future: it
// is recorded after it happened. A publication date may be announced a
// little ahead (the regulator publishes within 20 working days): up to
// DateRules.PublicationLead after today. Validity ends and restriction ends
// (valid_to, restriction_until) are the future dates records do carry.
const (
	CodeDateInFuture = "DATE_IN_FUTURE" // an event date after today, or a publication date too far ahead
	CodeDateTooEarly = "DATE_TOO_EARLY" // before 1949-10-01
)

// Earliest is the first day a record's date may be on.
var Earliest = time.Date(1949, 10, 1, 0, 0, 0, 0, time.UTC)

// DefaultPublicationLead is how far ahead of today a publication date may lie.
var DefaultPublicationLead = credit.Period{Days: 30}

// DateRules check a decoded record's dates against today.
type DateRules struct {
	Today           time.Time     // a civil date (credit.DateOf); zero: no date is "in the future"
	PublicationLead credit.Period // how far ahead a publication date may be
}

// dated is one date of a record and what it may be.
type dated struct {
	f   field
	d   *time.Time
	max int // maxNone, maxToday or maxPublication
}

const (
	maxNone = iota
	maxToday
	maxPublication
)

// Check returns the first date of rec out of range, in field order, or nil.
func (r DateRules) Check(rec Record) *LineError {
	latestPublication := r.PublicationLead.After(r.Today)
	for _, x := range datesOf(rec) {
		if x.d == nil {
			continue
		}
		d := *x.d
		switch {
		case d.Before(Earliest):
			return lineErr(CodeDateTooEarly, "field %q: %s is before %s: no market-regulation record is that old (a typing error?)",
				x.f, d.Format(time.DateOnly), Earliest.Format(time.DateOnly))
		case r.Today.IsZero():
		case x.max == maxToday && d.After(r.Today):
			return lineErr(CodeDateInFuture, "field %q: %s is after today (%s): it records something that has happened",
				x.f, d.Format(time.DateOnly), r.Today.Format(time.DateOnly))
		case x.max == maxPublication && d.After(latestPublication):
			return lineErr(CodeDateInFuture, "field %q: %s is more than %s after today (%s)",
				x.f, d.Format(time.DateOnly), r.PublicationLead, r.Today.Format(time.DateOnly))
		}
	}
	return nil
}

// datesOf lists every date a record carries, with its bound.
func datesOf(rec Record) []dated {
	switch {
	case rec.Enterprise != nil:
		return []dated{{fEstablishedOn, rec.Enterprise.EstablishedOn, maxToday}}
	case rec.License != nil:
		l := rec.License
		return []dated{{fValidFrom, l.ValidFrom, maxNone}, {fValidTo, l.ValidTo, maxNone}, {fDecidedOn, &l.DecidedOn, maxToday}}
	case rec.Penalty != nil:
		p := rec.Penalty
		return []dated{{fDecidedOn, &p.DecidedOn, maxToday}, {fPublishedOn, &p.PublishedOn, maxPublication},
			{fRestrictionUntil, p.RestrictionUntil, maxNone}}
	case rec.Inspection != nil:
		return []dated{{fInspectedOn, &rec.Inspection.InspectedOn, maxToday}}
	case rec.Listing != nil:
		return []dated{{fListedOn, &rec.Listing.ListedOn, maxToday}}
	case rec.Removal != nil:
		return []dated{{fRemovedOn, &rec.Removal.Removal.RemovedOn, maxToday}}
	case rec.Commitment != nil:
		c := rec.Commitment
		return []dated{{fMadeOn, &c.MadeOn, maxToday}, {fUntrueFoundOn, c.UntrueFoundOn, maxToday}}
	case rec.Repair != nil:
		return []dated{{fRepairedOn, &rec.Repair.RepairedOn, maxToday}}
	case rec.TypicalCase != nil:
		return []dated{{fPublishedOn, &rec.TypicalCase.PublishedOn, maxPublication}}
	}
	return nil
}
