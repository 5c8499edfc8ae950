// Package feed is the change feed's domain: what each audience sees of a
// record on a day, as a hash (the audience's view), when that view may next
// change by itself (a date passing), and what moving from one view to the
// next means (APPEARED, CHANGED, DISAPPEARED). It is pure Go with no I/O:
// both stores keep, per record, the last State they published and append a
// Change whenever a write or a passing date moves a State; they ask this
// package and never re-implement it. Views come from credit.Policy, so the
// feed shows exactly what the GraphQL reads show and redacts the same way.
//
// Two audiences exist: Public (PUBLIC and PARTNER see the same record; only
// services differ) and Regulator (everything, with each record's disclosure
// state). The one record only PARTNER of the two sees, an enterprise's risk
// category (RISK_CATEGORY), is in the Public audience's hashes as PARTNER
// sees it, and Visible keeps it from PUBLIC. A record leaving public view gives the public a bare DISAPPEARED;
// the reason (EXPIRED, REPAIRED, WITHDRAWN, …) is kept for REGULATOR only.
package feed

import (
	"fmt"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// RecordType names what a change is about; RecordID is the record's natural
// key within its type.
type RecordType string

const (
	Enterprise      RecordType = "ENTERPRISE"
	License         RecordType = "LICENSE"
	Penalty         RecordType = "PENALTY"
	Inspection      RecordType = "INSPECTION"
	AbnormalListing RecordType = "ABNORMAL_LISTING"
	SeriousListing  RecordType = "SERIOUS_LISTING"
	Commitment      RecordType = "COMMITMENT"
	TypicalCase     RecordType = "TYPICAL_CASE"
	// RiskCategory is an enterprise's credit risk category (its ID is the
	// USCC): derived from the enterprise's whole record by package risk,
	// PARTNER tier and up.
	RiskCategory RecordType = "RISK_CATEGORY"
)

// RecordTypes lists every record type, in schema order.
var RecordTypes = []RecordType{Enterprise, License, Penalty, Inspection, AbnormalListing, SeriousListing, Commitment, TypicalCase, RiskCategory}

// Visible reports whether tier may see changes of type t at all: every
// tier sees every record type but the risk category, which is PARTNER and
// up (the schema's @disclosure on riskCategory; disclosure-rules.md). The
// Public audience's view of a risk category is PARTNER's: a store's
// Changes drops RISK_CATEGORY for PUBLIC.
func Visible(t RecordType, tier credit.Tier) bool {
	return t != RiskCategory || tier >= credit.TierPartner
}

// ListingType is the record type of a listing on list.
func ListingType(list credit.ListKind) RecordType {
	if list == credit.ListSerious {
		return SeriousListing
	}
	return AbnormalListing
}

// RepairType is the record type a credit repair of target applies to.
func RepairType(target credit.RepairTarget) RecordType {
	switch target {
	case credit.RepairAbnormalListing:
		return AbnormalListing
	case credit.RepairSeriousListing:
		return SeriousListing
	}
	return Penalty
}

// Kind is what happened to a record in one audience's view.
type Kind int8

const (
	None        Kind = iota // the audience's view did not move
	Appeared                // the audience sees a record it did not see before
	Changed                 // the audience sees the record differently
	Disappeared             // the audience no longer sees the record
)

func (k Kind) String() string {
	switch k {
	case Appeared:
		return "APPEARED"
	case Changed:
		return "CHANGED"
	case Disappeared:
		return "DISAPPEARED"
	}
	return "NONE"
}

// Key names one record.
type Key struct {
	Type RecordType
	ID   string
}

func (k Key) String() string { return string(k.Type) + "/" + k.ID }

// Hash is an audience's view of a record; the zero Hash means "not seen".
type Hash [16]byte

// Seen reports whether the audience sees the record.
func (h Hash) Seen() bool { return h != Hash{} }

// State is what a store remembers of a record between changes.
type State struct {
	Public, Regulator Hash
	// Next is the first day after the one computed on when the views may
	// change with no write (a period ends, a publication date arrives);
	// zero when no date can change them.
	Next time.Time
	// Risk is, for a RISK_CATEGORY entry, the category's schedule as the
	// entry was computed: its letter and each later day it moves with no
	// write (EncodeRisk). It is what a PARTNER export writes of the
	// category, kept here so an export need not derive it again from the
	// whole record; "" for every other record type.
	Risk string
}

// Entry is a record's State on one day, with what the feed filters on.
type Entry struct {
	Key
	State
	USCC     string // "" for a typical case naming no enterprise
	Region   string // the enterprise's (or the case's) administrative division code
	KeyAreas []credit.KeyArea
	// Disclosure is the record's disclosure state that day; the reason
	// REGULATOR is shown when the public view disappears.
	Disclosure credit.DisclosureState
}

// Change is one entry of the feed: a record whose view moved for at least
// one audience. Seq orders the feed (commit order).
type Change struct {
	Seq int64
	Day time.Time // the day whose view it is (time-driven changes: that day's start)
	At  time.Time // when it was recorded; the day's start for time-driven changes
	// Recorded is the feed's day when the change was appended (a date-driven
	// change of a day the feed reached late is recorded later than its
	// Day): the retention counts from it, so a cursor stays valid for the
	// retention after it was handed out.
	Recorded  time.Time
	Key       Key
	USCC      string
	Region    string
	KeyAreas  []credit.KeyArea
	Public    Kind
	Regulator Kind
	// Reason is the disclosure state that took the record out of public
	// view (EXPIRED, REPAIRED, WITHDRAWN, NOT_DISCLOSED); REGULATOR only.
	Reason credit.DisclosureState
}

// Diff returns the change from old (the zero State: never stored) to e, and
// whether there is one; day and at stamp it.
func Diff(old State, e Entry, day, at time.Time) (Change, bool) {
	c := Change{Day: day, At: at, Key: e.Key, USCC: e.USCC, Region: e.Region, KeyAreas: e.KeyAreas,
		Public: kind(old.Public, e.Public), Regulator: kind(old.Regulator, e.Regulator)}
	if !e.Public.Seen() && e.Disclosure != "" && e.Disclosure != credit.Disclosed {
		c.Reason = e.Disclosure
	}
	return c, c.Public != None || c.Regulator != None
}

func kind(old, now Hash) Kind {
	switch {
	case old == now:
		return None
	case !old.Seen():
		return Appeared
	case !now.Seen():
		return Disappeared
	}
	return Changed
}

// KindOf parses a Kind's name.
func KindOf(s string) (Kind, error) {
	for _, k := range []Kind{Appeared, Changed, Disappeared} {
		if k.String() == s {
			return k, nil
		}
	}
	return None, fmt.Errorf("feed: unknown change kind %q", s)
}
