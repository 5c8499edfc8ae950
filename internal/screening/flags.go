package screening

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// FlagCode names a red flag.
type FlagCode string

const (
	SeriousListed    FlagCode = "SERIOUS_DISHONESTY_LISTED"
	AbnormalListed   FlagCode = "ABNORMAL_OPERATION_LISTED"
	PenaltyDisclosed FlagCode = "PENALTY_IN_DISCLOSURE_PERIOD"
	NonCompliant     FlagCode = "NON_COMPLIANT_INSPECTION"
	UntrueCommitment FlagCode = "UNTRUE_COMMITMENT"
	NotOperating     FlagCode = "NOT_OPERATING"
)

// Flag is one red flag, explained.
type Flag struct {
	Code     FlagCode
	Reason   string     // English with the Chinese terms, citing the records
	Evidence []string   // decision numbers, inspection or commitment ids
	Since    *time.Time // the date of the latest record behind it
}

var statusNames = map[credit.EnterpriseStatus]string{
	credit.StatusRevoked: "business licence revoked (吊销)", credit.StatusCancelled: "deregistered (注销)",
	credit.StatusMovedOut: "moved out (迁出)",
}

// Flags explains the red flags of e as of asOf from recs, which hold only
// what the caller's tier sees that day: a record hidden from the tier can
// never raise, count towards or be cited by a flag. The order is the
// order of FlagCode's constants.
func Flags(p credit.Policy, s Settings, asOf time.Time, e *credit.Enterprise, recs *Records) []Flag {
	out := []Flag{}
	add := func(f Flag, ok bool) {
		if ok {
			out = append(out, f)
		}
	}
	add(listFlag(p, asOf, SeriousListed, "the serious illegal and dishonest list (严重违法失信名单)", recs.Serious))
	add(listFlag(p, asOf, AbnormalListed, "the abnormal operations list (经营异常名录)", recs.Abnormal))
	add(penaltyFlag(p, asOf, recs.Penalties))
	add(inspectionFlag(s.InspectionWindow.Before(asOf), asOf, recs.Inspections))
	add(commitmentFlag(recs.Commitments))
	if e.Status != credit.StatusOperating {
		name := statusNames[e.Status]
		if name == "" {
			name = string(e.Status)
		}
		out = append(out, Flag{Code: NotOperating, Reason: "Not in business: " + name + ".", Evidence: []string{}})
	}
	return out
}

// listFlag: a listing in force today.
func listFlag(p credit.Policy, asOf time.Time, code FlagCode, list string, ls []credit.Listing) (Flag, bool) {
	f := Flag{Code: code, Evidence: []string{}}
	var parts []string
	for _, l := range ls {
		if !p.InForce(l, asOf) {
			continue
		}
		f.Evidence = append(f.Evidence, l.DecisionNumber)
		f.Since = later(f.Since, l.ListedOn)
		part := fmt.Sprintf("%s, listed %s by %s", l.DecisionNumber, date(l.ListedOn), l.Authority)
		if l.Reason != nil && *l.Reason != "" {
			part += ": " + *l.Reason
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 {
		return f, false
	}
	f.Reason = "On " + list + " today: " + strings.Join(parts, "; ") + "."
	return f, true
}

// penaltyFlag: penalties the tier sees are those in their disclosure period.
func penaltyFlag(p credit.Policy, asOf time.Time, pens []credit.Penalty) (Flag, bool) {
	f := Flag{Code: PenaltyDisclosed, Evidence: []string{}}
	// A REGULATOR's records include expired, withdrawn and repaired
	// penalties: the flag is about those disclosed today, in every tier.
	pens = slices.DeleteFunc(slices.Clone(pens), func(pen credit.Penalty) bool {
		return p.Penalty(pen, asOf).State != credit.Disclosed
	})
	if len(pens) == 0 {
		return f, false
	}
	total := decimal.Zero
	var parts []string
	for _, pen := range pens {
		f.Evidence = append(f.Evidence, pen.DecisionNumber)
		f.Since = later(f.Since, pen.DecidedOn)
		part := fmt.Sprintf("%s (%s, decided %s", pen.DecisionNumber, pen.ViolationType, date(pen.DecidedOn))
		if pen.FineAmount != nil {
			total = total.Add(*pen.FineAmount)
			part += ", fine ¥" + pen.FineAmount.StringFixed(2)
		}
		if end := p.Penalty(pen, asOf).EndsOn; end != nil {
			part += ", disclosed until " + date(*end)
		}
		parts = append(parts, part+")")
	}
	f.Reason = fmt.Sprintf("%d administrative penalt%s (行政处罚) in %s disclosure period: %s.",
		len(pens), plural(len(pens), "y", "ies"), plural(len(pens), "its", "their"), strings.Join(parts, "; "))
	if total.IsPositive() {
		f.Reason += " Fines total ¥" + total.StringFixed(2) + "."
	}
	return f, true
}

// inspectionFlag: a non-compliant result on or after from.
func inspectionFlag(from, asOf time.Time, ins []credit.Inspection) (Flag, bool) {
	f := Flag{Code: NonCompliant, Evidence: []string{}}
	var parts []string
	for _, in := range ins {
		if in.Result != credit.ResultNonCompliant || in.InspectedOn.Before(from) || in.InspectedOn.After(asOf) {
			continue
		}
		f.Evidence = append(f.Evidence, in.InspectionID)
		f.Since = later(f.Since, in.InspectedOn)
		part := fmt.Sprintf("%s on %s by %s", in.InspectionID, date(in.InspectedOn), in.Authority)
		if in.Product != nil && *in.Product != "" {
			part += " (" + *in.Product + ")"
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 {
		return f, false
	}
	f.Reason = fmt.Sprintf("Found non-compliant (不合格) by %d inspection%s or sampling%s since %s: %s.",
		len(parts), plural(len(parts), "", "s"), plural(len(parts), "", "s"), date(from), strings.Join(parts, "; "))
	return f, true
}

func commitmentFlag(cs []credit.Commitment) (Flag, bool) {
	f := Flag{Code: UntrueCommitment, Evidence: []string{}}
	var parts []string
	for _, c := range cs {
		if c.Status != credit.CommitmentUntrue {
			continue
		}
		f.Evidence = append(f.Evidence, c.CommitmentID)
		part := c.CommitmentID
		if c.UntrueFoundOn != nil {
			f.Since = later(f.Since, *c.UntrueFoundOn)
			part += " found untrue on " + date(*c.UntrueFoundOn)
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 {
		return f, false
	}
	f.Reason = "A credit commitment (信用承诺) was found untrue (虚假承诺): " + strings.Join(parts, "; ") + "."
	return f, true
}

func later(a *time.Time, b time.Time) *time.Time {
	if a == nil || b.After(*a) {
		return &b
	}
	return a
}

func date(t time.Time) string { return t.Format(time.DateOnly) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Codes lists every flag code, in the order Flags reports them.
var Codes = []FlagCode{SeriousListed, AbnormalListed, PenaltyDisclosed, NonCompliant, UntrueCommitment, NotOperating}
