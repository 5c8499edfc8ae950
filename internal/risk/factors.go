package risk

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// factor indexes the model's factors; the order is the schema's and the
// README's.
type factor int

const (
	fSeriousListed factor = iota
	fSeriousPast
	fAbnormalListed
	fAbnormalUnreachable
	fPenaltyHeavier
	fPenaltyLighter
	fPenaltyMinor
	fPenaltySuspension
	fPenaltyRevocation
	fLargeFine
	fRepeatViolation
	fSamplingNonCompliant
	fInspectionNonCompliant
	fIssuesCorrected
	fNotFoundAtAddress
	fUntrueCommitment
	fLicenseExpired
	fYoungEnterprise
	fStatusRevoked
	fStatusCancelled
	numFactors
)

// Factor codes, stable across versions: clients may key on them.
const (
	CodeSeriousListed          = "SERIOUS_LIST_IN_FORCE"
	CodeSeriousPast            = "SERIOUS_LIST_PAST"
	CodeAbnormalListed         = "ABNORMAL_LIST"
	CodeAbnormalUnreachable    = "ABNORMAL_LIST_UNREACHABLE"
	CodePenaltyHeavier         = "PENALTY_HEAVIER"
	CodePenaltyLighter         = "PENALTY_LIGHTER"
	CodePenaltyMinor           = "PENALTY_MINOR"
	CodePenaltySuspension      = "PENALTY_SUSPENSION"
	CodePenaltyRevocation      = "PENALTY_REVOCATION"
	CodeLargeFine              = "PENALTY_LARGE_FINE"
	CodeRepeatViolation        = "REPEAT_VIOLATION"
	CodeSamplingNonCompliant   = "SAMPLING_NON_COMPLIANT"
	CodeInspectionNonCompliant = "INSPECTION_NON_COMPLIANT"
	CodeIssuesCorrected        = "INSPECTION_ISSUES_CORRECTED"
	CodeNotFoundAtAddress      = "NOT_FOUND_AT_ADDRESS"
	CodeUntrueCommitment       = "UNTRUE_COMMITMENT"
	CodeLicenseExpired         = "LICENSE_EXPIRED"
	CodeYoungEnterprise        = "YOUNG_ENTERPRISE"
	CodeStatusRevoked          = "STATUS_REVOKED"
	CodeStatusCancelled        = "STATUS_CANCELLED"
)

// factorCodes is a constant table (Go has no constant arrays), not
// configuration.
var factorCodes = [numFactors]string{
	CodeSeriousListed, CodeSeriousPast, CodeAbnormalListed, CodeAbnormalUnreachable,
	CodePenaltyHeavier, CodePenaltyLighter, CodePenaltyMinor, CodePenaltySuspension,
	CodePenaltyRevocation, CodeLargeFine, CodeRepeatViolation, CodeSamplingNonCompliant,
	CodeInspectionNonCompliant, CodeIssuesCorrected, CodeNotFoundAtAddress, CodeUntrueCommitment,
	CodeLicenseExpired, CodeYoungEnterprise, CodeStatusRevoked, CodeStatusCancelled,
}

func (f factor) code() string { return factorCodes[f] }

// tally is what the record shows for one factor, before any weight: weights
// differ by model, the evidence does not.
type tally struct {
	units    int64    // records counted, in micro-units after decay and repair
	n        int      // records counted
	repaired int      // of which credit-repaired
	details  []string // repeated violation types, areas with expired licences
}

// evidence is the record's tally for every factor, and the identifiers of
// the records counted, all factors in one slice (one allocation, not one
// per factor).
type evidence struct {
	t   [numFactors]tally
	ids []idRef
}

type idRef struct {
	f  factor
	id string
}

func (ev *evidence) add(f factor, units int64, id string, repaired bool) {
	t := &ev.t[f]
	t.units += units
	t.n++
	if repaired {
		t.repaired++
	}
	ev.cite(f, id)
}

func (ev *evidence) cite(f factor, id string) {
	if id != "" {
		ev.ids = append(ev.ids, idRef{f, id})
	}
}

// days are the first days of the look-back windows, worked out once per
// assessment.
type days struct {
	asOf, penalty, inspection, seriousPast, commitment, young time.Time
	halfLife                                                  time.Duration
}

func (s *Settings) collect(ev *evidence, in *Inputs, asOf time.Time, p *credit.Policy) {
	w := s.Windows
	y, m, d := asOf.Date()
	// before is credit.Period.Before for asOf, splitting asOf's date once
	// rather than once per window (time.AddDate does exactly this).
	before := func(p credit.Period) time.Time {
		return time.Date(y-p.Years, m-time.Month(p.Months), d-p.Days, 0, 0, 0, 0, time.UTC)
	}
	b := days{
		asOf:        asOf,
		penalty:     before(w.Penalty),
		inspection:  before(w.Inspection),
		seriousPast: before(w.SeriousPast),
		commitment:  before(w.Commitment),
		young:       before(w.YoungEnterprise),
		halfLife:    asOf.Sub(before(w.PenaltyHalfLife)),
	}
	s.collectListings(ev, in, b, p)
	s.collectPenalties(ev, in.Penalties, b, p)
	collectInspections(ev, in.Inspections, b)
	collectCommitments(ev, in.Commitments, b)
	collectEnterprise(ev, in, b)
}

func (s *Settings) share(repaired bool) int64 {
	if repaired {
		return int64(math.Round(s.RepairedShare * micro))
	}
	return micro
}

// within reports whether day is in the window from first to asOf.
func within(day, first, asOf time.Time) bool {
	return !day.After(asOf) && !day.Before(first)
}

func (s *Settings) collectListings(ev *evidence, in *Inputs, b days, p *credit.Policy) {
	asOf := b.asOf
	for _, l := range in.Abnormal {
		l.List = credit.ListAbnormal // the slice it came in is the truth
		if !p.InForce(l, asOf) {
			continue
		}
		f := fAbnormalListed
		if l.ReasonCode == 4 {
			f = fAbnormalUnreachable
		}
		ev.add(f, micro, l.DecisionNumber, false)
	}
	for _, l := range in.Serious {
		l.List = credit.ListSerious
		if l.ListedOn.After(asOf) {
			continue
		}
		if p.InForce(l, asOf) {
			ev.add(fSeriousListed, micro, l.DecisionNumber, false)
			continue
		}
		ended, repaired, withdrawn := seriousEnd(l, asOf, p)
		if !withdrawn && !ended.Before(b.seriousPast) {
			ev.add(fSeriousPast, s.share(repaired), l.DecisionNumber, repaired)
		}
	}
}

// seriousEnd is the last day a serious listing no longer in force was in
// force, whether it ended by credit repair, and whether it was withdrawn (a
// revoked listing decision, which never counts).
func seriousEnd(l credit.Listing, asOf time.Time, p *credit.Policy) (ended time.Time, repaired, withdrawn bool) {
	ended = p.S.SeriousListingPeriod.After(l.ListedOn).AddDate(0, 0, -1)
	if rm := l.Removal; rm != nil && !rm.RemovedOn.After(asOf) {
		if credit.RemovalReason(rm.Reason) == credit.RemovalRevoked {
			return ended, false, true
		}
		repaired = credit.RemovalReason(rm.Reason) == credit.RemovalCreditRepair
		ended = minDate(ended, rm.RemovedOn.AddDate(0, 0, -1))
	}
	if r := l.RepairedOn; r != nil && !r.After(asOf) {
		repaired = true
		ended = minDate(ended, r.AddDate(0, 0, -1))
	}
	return ended, repaired, false
}

func minDate(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// collectPenalties weighs the penalties in the window, then their repeats.
func (s *Settings) collectPenalties(ev *evidence, pens []credit.Penalty, b days, p *credit.Policy) {
	var buf [16]violation
	seen := buf[:0]
	for i := range pens {
		if s.weighPenalty(ev, &pens[i], b, p) {
			seen = append(seen, violation{strings.TrimSpace(pens[i].ViolationType), pens[i].DecisionNumber})
		}
	}
	collectRepeats(ev, seen)
}

// weighPenalty counts one penalty by class, sanctions and fine, decayed by
// age (not while a restriction it imposed still runs: it is still biting)
// and reduced when repaired. A withdrawn (revoked) penalty, one outside the
// window or after the assessment day does not count.
func (s *Settings) weighPenalty(ev *evidence, pen *credit.Penalty, b days, p *credit.Policy) (counted bool) {
	if pen.Revoked || pen.DecidedOn.After(b.asOf) {
		return false
	}
	restricted := pen.RestrictionUntil != nil && !pen.RestrictionUntil.Before(b.asOf)
	if !restricted && !within(pen.DecidedOn, b.penalty, b.asOf) {
		return false
	}
	repaired := pen.RepairedOn != nil && !pen.RepairedOn.After(b.asOf)
	mult := 1.0
	if b.halfLife > 0 && !restricted {
		mult = math.Exp2(-float64(b.asOf.Sub(pen.DecidedOn)) / float64(b.halfLife))
	}
	u, id := int64(math.Round(mult*float64(s.share(repaired)))), pen.DecisionNumber
	switch {
	case p.IsHeavierPenalty(*pen):
		ev.add(fPenaltyHeavier, u, id, repaired)
	case pen.Procedure == credit.ProcedureOrdinary && !credit.IsWarningOnly(*pen):
		// Ordinary, not a warning only, not heavier: so p.IsShortPeriod,
		// a reprimand or lower-amount fine only.
		ev.add(fPenaltyLighter, u, id, repaired)
	default: // simple procedure, or a warning only
		ev.add(fPenaltyMinor, u, id, repaired)
	}
	var suspends, revokes bool
	for _, t := range pen.PenaltyTypes {
		switch t {
		case credit.PenaltySuspension, credit.PenaltyRestriction, credit.PenaltyQualificationDowngrade:
			suspends = true
		case credit.PenaltyLicenseRevocation, credit.PenaltyBusinessLicenseRevocation:
			revokes = true
		}
	}
	if suspends {
		ev.add(fPenaltySuspension, u, id, repaired)
	}
	if revokes {
		ev.add(fPenaltyRevocation, u, id, repaired)
	}
	if k := s.fineTier(pen); k > 0 {
		ev.add(fLargeFine, int64(k)*u, id, repaired)
	}
	return true
}

// collectRepeats: n counted penalties of one violation type are n−1
// repeats, undecayed and unreduced by repair (a repeat bars repair anyway).
func collectRepeats(ev *evidence, seen []violation) {
	if !hasRepeat(seen) {
		return
	}
	slices.SortFunc(seen, func(a, b violation) int { return cmp.Or(cmp.Compare(a.kind, b.kind), cmp.Compare(a.id, b.id)) })
	t := &ev.t[fRepeatViolation]
	for i := 0; i < len(seen); {
		j := i + 1
		for j < len(seen) && seen[j].kind == seen[i].kind {
			j++
		}
		if n := j - i; n > 1 && seen[i].kind != "" {
			t.units += int64(n-1) * micro
			t.n += n - 1
			for _, v := range seen[i:j] {
				ev.cite(fRepeatViolation, v.id)
			}
			t.details = append(t.details, seen[i].kind+" ×"+strconv.Itoa(n))
		}
		i = j
	}
}

// fineTier is how many fine tiers a penalty's fine reaches.
func (s *Settings) fineTier(pen *credit.Penalty) int {
	if pen.FineAmount == nil {
		return 0
	}
	k := 0
	for _, t := range s.FineTiers {
		if atLeast(*pen.FineAmount, t) {
			k++
		}
	}
	return k
}

// atLeast reports whether amount ≥ tier. Decimal comparison allocates when
// the exponents differ (150000.00 against 100000); for the usual whole-yuan
// tier, comparing whole yuan is exact and does not: for amount ≥ 0,
// amount ≥ T ⇔ ⌊amount⌋ ≥ T, and a negative amount is below any tier.
func atLeast(amount, tier decimal.Decimal) bool {
	if tier.IsPositive() && tier.Exponent() == 0 && tier.NumDigits() <= 18 &&
		amount.Exponent() <= 0 && amount.Exponent() >= -18 && amount.NumDigits() <= 18 {
		return amount.IntPart() >= tier.IntPart()
	}
	return amount.GreaterThanOrEqual(tier)
}

func collectInspections(ev *evidence, ins []credit.Inspection, b days) {
	for i := range ins {
		in := &ins[i]
		if !within(in.InspectedOn, b.inspection, b.asOf) {
			continue
		}
		var f factor
		switch in.Result {
		case credit.ResultNonCompliant:
			f = fInspectionNonCompliant
			if in.Kind == credit.InspectionSampling {
				f = fSamplingNonCompliant
			}
		case credit.ResultIssuesCorrected:
			f = fIssuesCorrected
		case credit.ResultNotFoundAtAddress:
			f = fNotFoundAtAddress
		default:
			continue
		}
		ev.add(f, micro, in.InspectionID, false)
	}
}

func collectCommitments(ev *evidence, cs []credit.Commitment, b days) {
	for i := range cs {
		c := &cs[i]
		if c.Status != credit.CommitmentUntrue {
			continue
		}
		found := c.MadeOn
		if c.UntrueFoundOn != nil {
			found = *c.UntrueFoundOn
		}
		if within(found, b.commitment, b.asOf) {
			ev.add(fUntrueCommitment, micro, c.CommitmentID, false)
		}
	}
}

func collectEnterprise(ev *evidence, in *Inputs, b days) {
	e := &in.Enterprise
	switch e.Status {
	case credit.StatusRevoked:
		ev.add(fStatusRevoked, micro, "", false)
	case credit.StatusCancelled:
		ev.add(fStatusCancelled, micro, "", false)
	case credit.StatusOperating:
		collectExpiredLicenses(ev, in, b.asOf)
	}
	if est := e.EstablishedOn; est != nil && !est.After(b.asOf) && est.After(b.young) {
		ev.add(fYoungEnterprise, micro, "", false)
	}
}

// collectExpiredLicenses finds each key area the enterprise is still tagged
// with whose licences have all expired: operating without a valid licence.
// An area with no licence on file at all is a gap in the data, not evidence.
func collectExpiredLicenses(ev *evidence, in *Inputs, asOf time.Time) {
	for i, area := range in.Enterprise.KeyAreas {
		if slices.Contains(in.Enterprise.KeyAreas[:i], area) {
			continue
		}
		var last *credit.License
		valid := false
		for j := range in.Licenses {
			l := &in.Licenses[j]
			if l.KeyArea == nil || *l.KeyArea != area || l.DecidedOn.After(asOf) {
				continue
			}
			if (l.ValidFrom == nil || !l.ValidFrom.After(asOf)) && (l.ValidTo == nil || !l.ValidTo.Before(asOf)) {
				valid = true
				break
			}
			if l.ValidTo != nil && l.ValidTo.Before(asOf) && (last == nil || laterExpiry(l, last)) {
				last = l
			}
		}
		if !valid && last != nil {
			ev.add(fLicenseExpired, micro, last.LicenseNumber, false)
			ev.t[fLicenseExpired].details = append(ev.t[fLicenseExpired].details, string(area))
		}
	}
}

// laterExpiry orders expired licences by expiry, then number, so the one named
// as evidence does not depend on record order.
func laterExpiry(a, b *credit.License) bool {
	return a.ValidTo.After(*b.ValidTo) || (a.ValidTo.Equal(*b.ValidTo) && a.LicenseNumber < b.LicenseNumber)
}

// violation is a counted penalty's violation type and decision number.
type violation struct{ kind, id string }

// hasRepeat reports whether two violations may share a non-empty type,
// cheaply: most records have none, and need not be sorted to find that out.
func hasRepeat(vs []violation) bool {
	if len(vs) > 32 {
		return true // let the sort decide
	}
	for i := range vs {
		for j := i + 1; j < len(vs); j++ {
			if vs[i].kind != "" && vs[i].kind == vs[j].kind {
				return true
			}
		}
	}
	return false
}
