package credit

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Period is a span of calendar time, added with time.AddDate semantics.
type Period struct {
	Years, Months, Days int
}

// After returns the date the period ends when it starts on d, by
// time.AddDate: a month end or 29 February overflows into the next month
// (2024-02-29 + 3 years = 2027-03-01), so a period is never shorter than
// its calendar length. Listing periods should be set in years or days:
// month arithmetic is not monotonic across month ends.
func (p Period) After(d time.Time) time.Time { return d.AddDate(p.Years, p.Months, p.Days) }

// Before returns the date p before d.
func (p Period) Before(d time.Time) time.Time { return d.AddDate(-p.Years, -p.Months, -p.Days) }

func (p Period) String() string {
	var parts []string
	for _, u := range []struct {
		n    int
		unit string
	}{{p.Years, "year"}, {p.Months, "month"}, {p.Days, "day"}} {
		switch {
		case u.n == 1:
			parts = append(parts, "1 "+u.unit)
		case u.n != 0:
			parts = append(parts, fmt.Sprintf("%d %ss", u.n, u.unit))
		}
	}
	if len(parts) == 0 {
		return "0 days"
	}
	return strings.Join(parts, " ")
}

// Settings are the periods and thresholds of disclosure-rules.md. Every one
// is configurable, so a change of rule is a change of configuration.
type Settings struct {
	PenaltyShortPeriod        Period          // reprimand / lower-amount fine only: 3 months
	PenaltyLongPeriod         Period          // any other disclosed penalty: 3 years
	LowerFineIndividual       decimal.Decimal // below this a fine on an individual business is "lower": ¥10,000
	LowerFineOrganisation     decimal.Decimal // below this a fine on any other organisation is "lower": ¥100,000
	PenaltyRepairWait         Period          // published at least this long before repair: 6 months
	PenaltyRepairWaitStrict   Period          // food, drug, special equipment: 1 year
	SeriousListingPeriod      Period          // serious list: 3 years, then removed automatically
	SeriousRepairWait         Period          // serious list early removal by repair after: 1 year
	AbnormalToSeriousAfter    Period          // abnormal list this long → due for the serious list: 3 years
	AbnormalToSeriousReminder Period          // remind regulators this long before: 60 days
}

// DefaultSettings are the national defaults named in disclosure-rules.md.
func DefaultSettings() Settings {
	return Settings{
		PenaltyShortPeriod:        Period{Months: 3},
		PenaltyLongPeriod:         Period{Years: 3},
		LowerFineIndividual:       decimal.NewFromInt(10_000),
		LowerFineOrganisation:     decimal.NewFromInt(100_000),
		PenaltyRepairWait:         Period{Months: 6},
		PenaltyRepairWaitStrict:   Period{Years: 1},
		SeriousListingPeriod:      Period{Years: 3},
		SeriousRepairWait:         Period{Years: 1},
		AbnormalToSeriousAfter:    Period{Years: 3},
		AbnormalToSeriousReminder: Period{Days: 60},
	}
}

// DisclosureState is where a record stands in its disclosure life.
type DisclosureState string

const (
	Disclosed    DisclosureState = "DISCLOSED"     // public now
	Expired      DisclosureState = "EXPIRED"       // its period ended: public display stopped (停止公示)
	Repaired     DisclosureState = "REPAIRED"      // disclosure stopped early by credit repair (信用修复)
	Withdrawn    DisclosureState = "WITHDRAWN"     // changed, revoked or void: never public again (撤下)
	NotDisclosed DisclosureState = "NOT_DISCLOSED" // never public (simple procedure, warning only) or not yet published
)

// Disclosure is a record's state as of a date, and when that state changes.
type Disclosure struct {
	State DisclosureState
	// EndsOn is the last day of public display, when the record has a
	// period; nil when it has none (or is never public).
	EndsOn *time.Time
	// ChangesOn is the first day the state will differ, if known.
	ChangesOn *time.Time
}

// VisibleTo reports whether a record in this state may be shown to v.
func (d Disclosure) VisibleTo(v Visibility) bool {
	return v.Tier == TierRegulator || d.State == Disclosed
}

// Policy applies Settings to records. It is a value: safe to copy and share.
type Policy struct {
	S Settings
}

// NewPolicy returns a policy with settings s.
func NewPolicy(s Settings) Policy { return Policy{S: s} }

func datePtr(t time.Time) *time.Time { return &t }

func onOrBefore(a, b time.Time) bool { return !a.After(b) }

// IsShortPeriod reports whether a penalty is only a public reprimand and/or a
// lower-amount fine (a warning alongside does not lengthen it).
func (p Policy) IsShortPeriod(pen Penalty) bool {
	hasShort := false
	for _, t := range pen.PenaltyTypes {
		switch t {
		case PenaltyWarning:
		case PenaltyPublicReprimand:
			hasShort = true
		case PenaltyFine:
			if pen.FineAmount == nil || !pen.FineAmount.LessThan(p.lowerFine(pen.USCC)) {
				return false
			}
			hasShort = true
		default:
			return false
		}
	}
	return hasShort
}

func (p Policy) lowerFine(uscc string) decimal.Decimal {
	if IsIndividualBusiness(uscc) {
		return p.S.LowerFineIndividual
	}
	return p.S.LowerFineOrganisation
}

// IsWarningOnly reports whether a penalty's only type is a warning.
func IsWarningOnly(pen Penalty) bool {
	for _, t := range pen.PenaltyTypes {
		if t != PenaltyWarning {
			return false
		}
	}
	return len(pen.PenaltyTypes) > 0
}

// PenaltyEndsOn is the last day a disclosed penalty is public, repair aside.
func (p Policy) PenaltyEndsOn(pen Penalty) time.Time {
	if p.IsShortPeriod(pen) {
		return p.S.PenaltyShortPeriod.After(pen.PublishedOn).AddDate(0, 0, -1)
	}
	end := p.S.PenaltyLongPeriod.After(pen.PublishedOn).AddDate(0, 0, -1)
	if pen.RestrictionUntil != nil && pen.RestrictionUntil.After(end) {
		end = *pen.RestrictionUntil
	}
	return end
}

// Penalty returns a penalty's disclosure as of asOf.
func (p Policy) Penalty(pen Penalty, asOf time.Time) Disclosure {
	switch {
	case pen.Revoked:
		return Disclosure{State: Withdrawn}
	case pen.Procedure != ProcedureOrdinary || IsWarningOnly(pen):
		return Disclosure{State: NotDisclosed}
	}
	end := p.PenaltyEndsOn(pen)
	if pen.RepairedOn != nil && onOrBefore(*pen.RepairedOn, end) {
		end = pen.RepairedOn.AddDate(0, 0, -1)
		if onOrBefore(*pen.RepairedOn, asOf) {
			return Disclosure{State: Repaired, EndsOn: datePtr(end)}
		}
	}
	switch {
	case asOf.Before(pen.PublishedOn):
		return Disclosure{State: NotDisclosed, EndsOn: datePtr(end), ChangesOn: datePtr(pen.PublishedOn)}
	case asOf.After(end):
		return Disclosure{State: Expired, EndsOn: datePtr(end)}
	}
	return Disclosure{State: Disclosed, EndsOn: datePtr(end), ChangesOn: datePtr(end.AddDate(0, 0, 1))}
}

// SeriousListing returns a serious-list entry's disclosure as of asOf. A
// removal or repair on or before the last day ends the display early; one
// after it changes nothing, for the listing has expired by then.
func (p Policy) SeriousListing(l Listing, asOf time.Time) Disclosure {
	end := p.S.SeriousListingPeriod.After(l.ListedOn).AddDate(0, 0, -1)
	if rm := l.Removal; rm != nil && RemovalReason(rm.Reason) == RemovalRevoked && onOrBefore(rm.RemovedOn, asOf) {
		return Disclosure{State: Withdrawn}
	}
	stopped := Expired
	if rm := l.Removal; rm != nil && onOrBefore(rm.RemovedOn, end) {
		end, stopped = rm.RemovedOn.AddDate(0, 0, -1), Expired
		if RemovalReason(rm.Reason) == RemovalCreditRepair {
			stopped = Repaired
		}
	}
	if r := l.RepairedOn; r != nil && onOrBefore(*r, end) {
		end, stopped = r.AddDate(0, 0, -1), Repaired
	}
	switch {
	case asOf.After(end):
		return Disclosure{State: stopped, EndsOn: datePtr(end)}
	case asOf.Before(l.ListedOn):
		return Disclosure{State: NotDisclosed, EndsOn: datePtr(end), ChangesOn: datePtr(l.ListedOn)}
	}
	return Disclosure{State: Disclosed, EndsOn: datePtr(end), ChangesOn: datePtr(end.AddDate(0, 0, 1))}
}

// AbnormalListing returns an abnormal-list entry's disclosure as of asOf. The
// listing and its removal are both public; it has no end.
func (p Policy) AbnormalListing(l Listing, asOf time.Time) Disclosure {
	if asOf.Before(l.ListedOn) {
		return Disclosure{State: NotDisclosed, ChangesOn: datePtr(l.ListedOn)}
	}
	return Disclosure{State: Disclosed}
}

// Listing dispatches on the listing's list.
func (p Policy) Listing(l Listing, asOf time.Time) Disclosure {
	if l.List == ListSerious {
		return p.SeriousListing(l, asOf)
	}
	return p.AbnormalListing(l, asOf)
}

// SeriousListedAfter is the earliest ListedOn a serious listing may have and
// still be within its period on asOf: the store-side form of the rule. It is
// found by stepping forward, because "period before, plus a day" is not the
// inverse of "period after" around month ends and 29 February.
func (p Policy) SeriousListedAfter(asOf time.Time) time.Time {
	d := p.S.SeriousListingPeriod.Before(asOf).AddDate(0, 0, -3)
	for !p.S.SeriousListingPeriod.After(d).After(asOf) { // After(d) never decreases as d grows
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// InForce reports whether l puts its enterprise on its list on day: listed
// on or before it, not removed or repaired by then, and (serious list)
// within its period.
func (p Policy) InForce(l Listing, day time.Time) bool {
	if p.Listing(l, day).State != Disclosed {
		return false
	}
	if l.Removal != nil && onOrBefore(l.Removal.RemovedOn, day) {
		return false
	}
	return l.RepairedOn == nil || l.RepairedOn.After(day)
}

// IsHeavierPenalty reports whether a penalty counts as a heavier penalty
// (较重行政处罚) for serious-list repair: disclosed, and not short-period.
func (p Policy) IsHeavierPenalty(pen Penalty) bool {
	return !pen.Revoked && pen.Procedure == ProcedureOrdinary && !IsWarningOnly(pen) && !p.IsShortPeriod(pen)
}

// DueForSeriousList reports whether an abnormal listing still in place on
// asOf is due for the serious list, or within the reminder window of it, and
// the date it becomes due. REGULATOR-only.
func (p Policy) DueForSeriousList(l Listing, asOf time.Time) (remind bool, dueOn time.Time) {
	dueOn = p.S.AbnormalToSeriousAfter.After(l.ListedOn)
	if l.Removal != nil && onOrBefore(l.Removal.RemovedOn, asOf) {
		return false, dueOn
	}
	return !asOf.Before(p.S.AbnormalToSeriousReminder.Before(dueOn)), dueOn
}

// ViewListing returns what v may see of a listing: for public tiers, the
// fact of a credit repair is hidden (an abnormal-list removal stays, without
// saying it was a repair). ok is false when v may not see it at all.
func (p Policy) ViewListing(v Visibility, l Listing) (Listing, bool) {
	if !p.Listing(l, v.AsOf).VisibleTo(v) {
		return Listing{}, false
	}
	if v.Public() {
		l.RepairedOn = nil
		if l.Removal != nil && l.Removal.RemovedOn.After(v.AsOf) {
			l.Removal = nil
		}
		redactListing(&l)
	}
	return l, true
}

// ViewPenalty returns what v may see of a penalty; ok is false when nothing.
func (p Policy) ViewPenalty(v Visibility, pen Penalty) (Penalty, bool) {
	if !p.Penalty(pen, v.AsOf).VisibleTo(v) {
		return Penalty{}, false
	}
	if v.Public() {
		pen.RepairedOn = nil
		redactPenalty(&pen)
	}
	return pen, true
}

// CaseVisible reports whether v may see a typical case: regulators always,
// the public from its publication date.
func (p Policy) CaseVisible(v Visibility, c TypicalCase) bool {
	return !v.Public() || !c.PublishedOn.After(v.AsOf)
}

// ViewEnterprise clears the fields public tiers may never see and redacts
// their free text.
func (p Policy) ViewEnterprise(v Visibility, e Enterprise) Enterprise {
	if v.Tier < TierPartner {
		e.RiskCategories = nil // the risk category is never PUBLIC
	}
	if v.Public() {
		e.LegalRepresentativeIDType = nil
		e.LegalRepresentativeIDNumber = nil
		e.Phone = nil
		redactEnterprise(&e)
	}
	return e
}

// VisiblePenalties filters and views penalties for v, keeping order.
func (p Policy) VisiblePenalties(v Visibility, in []Penalty) []Penalty {
	out := make([]Penalty, 0, len(in))
	for _, pen := range in {
		if pv, ok := p.ViewPenalty(v, pen); ok {
			out = append(out, pv)
		}
	}
	return out
}

// VisibleListings filters and views listings for v, keeping order.
func (p Policy) VisibleListings(v Visibility, in []Listing) []Listing {
	out := make([]Listing, 0, len(in))
	for _, l := range in {
		if lv, ok := p.ViewListing(v, l); ok {
			out = append(out, lv)
		}
	}
	return out
}

// RuleError is a record rejected because it breaks a disclosure rule.
type RuleError struct {
	Code    string
	Message string
}

func (e *RuleError) Error() string { return e.Code + ": " + e.Message }

// Codes naming the rule a repair or removal broke.
const (
	CodeRepairTooEarly        = "REPAIR_TOO_EARLY"
	CodeRepairNotAllowed      = "REPAIR_NOT_ALLOWED"
	CodeRepairNotApplicable   = "REPAIR_NOT_APPLICABLE"
	CodeRepairWhileListed     = "REPAIR_WHILE_LISTED"
	CodeRepairRepeatViolation = "REPAIR_REPEAT_VIOLATION"
	CodeRepairHeavierPenalty  = "REPAIR_NEW_HEAVIER_PENALTY"
	CodeRemovalBeforeExpiry   = "REMOVAL_BEFORE_EXPIRY"
	CodeDateBeforeRecord      = "DATE_BEFORE_RECORD"
	CodeRemovalUnknownReason  = "REMOVAL_UNKNOWN_REASON"
)

func ruleErr(code, format string, a ...any) error {
	return &RuleError{Code: code, Message: fmt.Sprintf(format, a...)}
}

var unrepairableTypes = []PenaltyType{PenaltySuspension, PenaltyRestriction, PenaltyQualificationDowngrade,
	PenaltyLicenseRevocation, PenaltyBusinessLicenseRevocation}

// PenaltyRepairFacts are what the store knows around a penalty repair.
type PenaltyRepairFacts struct {
	Listed          bool // the enterprise is on either list on the repair date
	RepeatViolation bool // another penalty for the same violation type after this one
}

// CheckPenaltyRepair applies 信用修复管理办法 to a penalty repair.
func (p Policy) CheckPenaltyRepair(pen Penalty, on time.Time, f PenaltyRepairFacts) error {
	if pen.Revoked || pen.Procedure != ProcedureOrdinary || IsWarningOnly(pen) {
		return ruleErr(CodeRepairNotApplicable, "penalty %s is not disclosed, so there is nothing to repair", pen.DecisionNumber)
	}
	for _, t := range pen.PenaltyTypes {
		if slices.Contains(unrepairableTypes, t) {
			return ruleErr(CodeRepairNotAllowed, "penalty %s includes %s, whose disclosure may never stop early", pen.DecisionNumber, t)
		}
	}
	if p.IsShortPeriod(pen) {
		return ruleErr(CodeRepairNotApplicable, "penalty %s is only a reprimand or lower-amount fine: its %s disclosure ends by itself", pen.DecisionNumber, p.S.PenaltyShortPeriod)
	}
	wait := p.S.PenaltyRepairWait
	if pen.KeyArea != nil && pen.KeyArea.IsStrictRepairArea() {
		wait = p.S.PenaltyRepairWaitStrict
	}
	if earliest := wait.After(pen.PublishedOn); on.Before(earliest) {
		return ruleErr(CodeRepairTooEarly, "penalty %s was published on %s; repair is possible from %s (%s after publication)",
			pen.DecisionNumber, pen.PublishedOn.Format(time.DateOnly), earliest.Format(time.DateOnly), wait)
	}
	if f.RepeatViolation {
		return ruleErr(CodeRepairRepeatViolation, "enterprise was penalised again for %q after penalty %s of %s; repair on %s refused", pen.ViolationType, pen.DecisionNumber, pen.DecidedOn.Format(time.DateOnly), on.Format(time.DateOnly))
	}
	if f.Listed {
		return ruleErr(CodeRepairWhileListed, "penalty %s cannot be repaired on %s: the enterprise is on the abnormal operations or serious dishonesty list that day", pen.DecisionNumber, on.Format(time.DateOnly))
	}
	return nil
}

// SeriousRepairFacts are what the store knows around a serious-list repair.
type SeriousRepairFacts struct {
	HeavierPenaltySince bool // a new heavier (long-period) penalty decided after the listing
}

// CheckSeriousRepair applies the early-removal rule to a serious-list repair
// (a credit_repair record or a removal with reason credit_repair).
func (p Policy) CheckSeriousRepair(l Listing, on time.Time, f SeriousRepairFacts) error {
	if on.Before(l.ListedOn) {
		return ruleErr(CodeDateBeforeRecord, "repair date %s is before listing %s on %s", on.Format(time.DateOnly), l.DecisionNumber, l.ListedOn.Format(time.DateOnly))
	}
	if earliest := p.S.SeriousRepairWait.After(l.ListedOn); on.Before(earliest) {
		return ruleErr(CodeRepairTooEarly, "listing %s was made on %s; early removal by repair is possible from %s (%s after listing)",
			l.DecisionNumber, l.ListedOn.Format(time.DateOnly), earliest.Format(time.DateOnly), p.S.SeriousRepairWait)
	}
	if f.HeavierPenaltySince {
		return ruleErr(CodeRepairHeavierPenalty, "enterprise received a new heavier penalty after listing %s on %s; repair on %s refused", l.DecisionNumber, l.ListedOn.Format(time.DateOnly), on.Format(time.DateOnly))
	}
	return nil
}

// CheckRemoval applies the removal rules to a listing removal.
func (p Policy) CheckRemoval(l Listing, rm Removal, f SeriousRepairFacts) error {
	if rm.RemovedOn.Before(l.ListedOn) {
		return ruleErr(CodeDateBeforeRecord, "removal date %s is before listing %s on %s", rm.RemovedOn.Format(time.DateOnly), l.DecisionNumber, l.ListedOn.Format(time.DateOnly))
	}
	if l.List != ListSerious {
		return nil
	}
	switch RemovalReason(rm.Reason) {
	case RemovalExpired:
		if due := p.S.SeriousListingPeriod.After(l.ListedOn); rm.RemovedOn.Before(due) {
			return ruleErr(CodeRemovalBeforeExpiry, "listing %s made on %s expires on %s (%s), not %s",
				l.DecisionNumber, l.ListedOn.Format(time.DateOnly), due.Format(time.DateOnly), p.S.SeriousListingPeriod, rm.RemovedOn.Format(time.DateOnly))
		}
	case RemovalCreditRepair:
		return p.CheckSeriousRepair(l, rm.RemovedOn, f)
	case RemovalRevoked:
	default:
		return ruleErr(CodeRemovalUnknownReason, "removal reason %q for listing %s is not one of expired, credit_repair, revoked", rm.Reason, l.DecisionNumber)
	}
	return nil
}

// CheckAbnormalRepair applies the rule to an abnormal-list repair: allowed
// once the failing is cured, on or after the listing date.
func (p Policy) CheckAbnormalRepair(l Listing, on time.Time) error {
	if on.Before(l.ListedOn) {
		return ruleErr(CodeDateBeforeRecord, "repair date %s is before listing %s on %s", on.Format(time.DateOnly), l.DecisionNumber, l.ListedOn.Format(time.DateOnly))
	}
	return nil
}
