package ingest

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/risk"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Allowed values that package credit defines as constants but does not list.
var (
	procedures         = []credit.Procedure{credit.ProcedureOrdinary, credit.ProcedureSimple}
	removalReasons     = []credit.RemovalReason{credit.RemovalExpired, credit.RemovalCreditRepair, credit.RemovalRevoked}
	commitmentKinds    = []credit.CommitmentKind{credit.CommitmentNotification, credit.CommitmentVoluntary}
	commitmentStatuses = []credit.CommitmentStatus{credit.CommitmentInForce, credit.CommitmentFulfilled, credit.CommitmentUntrue}
	repairTargets      = []credit.RepairTarget{credit.RepairPenalty, credit.RepairAbnormalListing, credit.RepairSeriousListing}
)

// record builds the record the scanned members describe.
func (c *checker) record() Record {
	k, sub := c.recordKind()
	if c.err != nil {
		return Record{}
	}
	c.kind = k
	r := Record{Kind: k}
	switch k {
	case KindEnterprise:
		r.Enterprise = c.enterprise()
	case KindLicense:
		r.License = c.license()
	case KindPenalty:
		r.Penalty = c.penalty()
	case KindInspection:
		r.Inspection = c.inspection(sub)
	case KindAbnormalListing:
		r.Listing = c.abnormalListing()
	case KindSeriousListing:
		r.Listing = c.seriousListing()
	case KindAbnormalRemoval:
		r.Removal = c.abnormalRemoval()
	case KindSeriousRemoval:
		r.Removal = c.seriousRemoval()
	case KindCommitment:
		r.Commitment = c.commitment(sub)
	case KindCreditRepair:
		r.Repair = c.creditRepair()
	case KindTypicalCase:
		r.TypicalCase = c.typicalCase()
	}
	return r
}

// recordKind reads "kind". The contract also gives inspections and
// commitments a field named kind; as one JSON object cannot carry both, a
// line may say "kind":"inspection" with "inspection_kind":"sampling", or
// "kind":"sampling" alone: the values of the three sets are distinct. sub is
// the inspection or commitment kind when "kind" held it.
func (c *checker) recordKind() (k Kind, sub string) {
	switch c.v[fKind].kind {
	case 0, 'n':
		c.fail(CodeMissingField, "field \"kind\" is missing: every line names its record kind, one of %s", joinValues(Kinds))
		return "", ""
	}
	s, ok := c.str(fKind, true)
	if !ok {
		return "", ""
	}
	if k, ok := enum(s, Kinds); ok {
		return k, ""
	}
	if _, ok := enum(s, credit.InspectionKinds); ok {
		return KindInspection, s
	}
	if _, ok := enum(s, commitmentKinds); ok {
		return KindCommitment, s
	}
	c.fail(CodeUnknownKind, "kind %q is not one of %s", s, joinValues(Kinds))
	return "", ""
}

// subKind reads an inspection's or commitment's own kind: from f, or from
// "kind" when that held it (then f, if given, must agree).
func subKind[T ~string](c *checker, f field, sub string, allowed []T) T {
	if sub == "" {
		if !c.present(f, false) && c.err == nil {
			c.fail(CodeMissingField, "field %q is required for kind %q: one of %s (or give that value as \"kind\" itself)", f, c.kind, joinValues(allowed))
			return ""
		}
		return reqEnum(c, f, allowed)
	}
	if s, ok := c.str(f, false); ok && s != sub {
		c.fail(CodeInvalidValue, "field %q is %q but field \"kind\" says %q", f, s, sub)
	}
	return T(sub)
}

func ptr[T any](t T) *T { return &t }

func (c *checker) enterprise() *credit.Enterprise {
	e := &credit.Enterprise{
		USCC:                        c.reqUSCC(fUSCC),
		Name:                        c.reqStr(fName),
		FormerNames:                 dedupe(c.strList(fFormerNames)),
		Type:                        c.optStr(fType),
		Status:                      reqEnum(c, fStatus, credit.EnterpriseStatuses),
		LegalRepresentative:         c.optStr(fLegalRepresentative),
		LegalRepresentativeIDType:   c.optStr(fLegalRepresentativeIDType),
		LegalRepresentativeIDNumber: c.optStr(fLegalRepresentativeIDNumber),
		RegisteredCapital:           c.amount(fRegisteredCapital),
		EstablishedOn:               c.optDate(fEstablishedOn),
		RegistrationAuthority:       c.optStr(fRegistrationAuthority),
		Address:                     c.optStr(fAddress),
		BusinessScope:               c.optStr(fBusinessScope),
		RegionCode:                  c.reqRegionCode(fRegionCode),
		KeyAreas:                    enumList(c, fKeyAreas, credit.KeyAreas, false),
		Phone:                       c.optStr(fPhone),
		RiskCategories:              c.riskSteps(fRiskCategories),
	}
	return e
}

func (c *checker) license() *credit.License {
	l := &credit.License{
		USCC:          c.reqUSCC(fUSCC),
		LicenseNumber: c.reqStr(fLicenseNumber),
		Name:          c.reqStr(fName),
		Content:       c.optStr(fContent),
		ValidFrom:     c.optDate(fValidFrom),
		ValidTo:       c.optDate(fValidTo),
		Authority:     c.reqStr(fAuthority),
		DecidedOn:     c.reqDate(fDecidedOn),
		KeyArea:       optEnum(c, fKeyArea, credit.KeyAreas),
	}
	c.notBefore(fValidTo, l.ValidTo, fValidFrom, l.ValidFrom)
	return l
}

func (c *checker) penalty() *credit.Penalty {
	p := &credit.Penalty{
		USCC:               c.reqUSCC(fUSCC),
		DecisionNumber:     c.reqStr(fDecisionNumber),
		ViolationType:      c.reqStr(fViolationType),
		Facts:              c.optStr(fFacts),
		Basis:              c.optStr(fBasis),
		PenaltyTypes:       enumList(c, fPenaltyTypes, credit.PenaltyTypes, true),
		Content:            c.optStr(fContent),
		FineAmount:         c.amount(fFineAmount),
		ConfiscationAmount: c.amount(fConfiscationAmount),
		Authority:          c.reqStr(fAuthority),
		DecidedOn:          c.reqDate(fDecidedOn),
		PublishedOn:        c.reqDate(fPublishedOn),
		Procedure:          reqEnum(c, fProcedure, procedures),
		RestrictionUntil:   c.optDate(fRestrictionUntil),
		KeyArea:            optEnum(c, fKeyArea, credit.KeyAreas),
		Revoked:            c.boolean(fRevoked),
	}
	// Publication follows the decision (within 20 working days); the other
	// way round is a data error that would start the disclosure early.
	c.notBefore(fPublishedOn, &p.PublishedOn, fDecidedOn, &p.DecidedOn)
	return p
}

func (c *checker) inspection(sub string) *credit.Inspection {
	return &credit.Inspection{
		USCC:         c.reqUSCC(fUSCC),
		InspectionID: c.reqStr(fInspectionID),
		Kind:         subKind(c, fInspectionKind, sub, credit.InspectionKinds),
		InspectedOn:  c.reqDate(fInspectedOn),
		Authority:    c.reqStr(fAuthority),
		Result:       reqEnum(c, fResult, credit.InspectionResults),
		Items:        c.optStr(fItems),
		Product:      c.optStr(fProduct),
		Batch:        c.optStr(fBatch),
		KeyArea:      optEnum(c, fKeyArea, credit.KeyAreas),
	}
}

func (c *checker) abnormalListing() *credit.Listing {
	return &credit.Listing{
		List:           credit.ListAbnormal,
		USCC:           c.reqUSCC(fUSCC),
		DecisionNumber: c.reqStr(fDecisionNumber),
		ReasonCode:     c.reasonCode(fReasonCode),
		Reason:         c.optStr(fReason),
		ListedOn:       c.reqDate(fListedOn),
		Authority:      c.reqStr(fAuthority),
	}
}

func (c *checker) seriousListing() *credit.Listing {
	return &credit.Listing{
		List:                  credit.ListSerious,
		USCC:                  c.reqUSCC(fUSCC),
		DecisionNumber:        c.reqStr(fDecisionNumber),
		Reason:                ptr(c.reqStr(fGround)), // the ground of listing
		ListedOn:              c.reqDate(fListedOn),
		Authority:             c.reqStr(fAuthority),
		PenaltyDecisionNumber: c.optStr(fPenaltyDecisionNumber),
		KeyArea:               optEnum(c, fKeyArea, credit.KeyAreas),
	}
}

func (c *checker) abnormalRemoval() *store.ListingRemoval {
	return &store.ListingRemoval{
		List:                  credit.ListAbnormal,
		ListingDecisionNumber: c.reqStr(fListingDecisionNumber),
		Removal: credit.Removal{
			RemovedOn: c.reqDate(fRemovedOn),
			Reason:    c.reqStr(fReason),
			Authority: c.reqStr(fAuthority),
		},
	}
}

func (c *checker) seriousRemoval() *store.ListingRemoval {
	return &store.ListingRemoval{
		List:                  credit.ListSerious,
		ListingDecisionNumber: c.reqStr(fListingDecisionNumber),
		Removal: credit.Removal{
			RemovedOn: c.reqDate(fRemovedOn),
			Reason:    string(reqEnum(c, fReason, removalReasons)),
			Authority: c.reqStr(fAuthority),
		},
	}
}

func (c *checker) commitment(sub string) *credit.Commitment {
	m := &credit.Commitment{
		USCC:          c.reqUSCC(fUSCC),
		CommitmentID:  c.reqStr(fCommitmentID),
		Kind:          subKind(c, fCommitmentKind, sub, commitmentKinds),
		Content:       c.reqStr(fContent),
		MadeOn:        c.reqDate(fMadeOn),
		Status:        reqEnum(c, fStatus, commitmentStatuses),
		UntrueFoundOn: c.optDate(fUntrueFoundOn),
	}
	if m.UntrueFoundOn != nil && m.Status != credit.CommitmentUntrue && c.err == nil {
		c.fail(CodeInvalidValue, "field %q is set but status is %q: only an untrue commitment has one", fUntrueFoundOn, m.Status)
	}
	c.notBefore(fUntrueFoundOn, m.UntrueFoundOn, fMadeOn, &m.MadeOn)
	return m
}

func (c *checker) creditRepair() *credit.CreditRepair {
	return &credit.CreditRepair{
		Target:               reqEnum(c, fTarget, repairTargets),
		TargetDecisionNumber: c.reqStr(fTargetDecisionNumber),
		RepairedOn:           c.reqDate(fRepairedOn),
		Authority:            c.reqStr(fAuthority),
	}
}

func (c *checker) typicalCase() *credit.TypicalCase {
	return &credit.TypicalCase{
		CaseID:      c.reqStr(fCaseID),
		Title:       c.reqStr(fTitle),
		Summary:     c.reqStr(fSummary),
		USCC:        c.optUSCC(fUSCC),
		PublishedOn: c.reqDate(fPublishedOn),
		KeyArea:     optEnum(c, fKeyArea, credit.KeyAreas),
		RegionCode:  c.optRegionCode(fRegionCode),
	}
}

// riskSteps reads an enterprise's imported risk category schedule: an
// array of {"from": "YYYY-MM-DD", "category": "A"…"D"}, days strictly
// ascending, 1 to risk.MaxSteps steps; absent, null or [] is none.
func (c *checker) riskSteps(f field) []credit.RiskStep {
	if !c.present(f, false) {
		return nil
	}
	v := &c.v[f]
	if v.kind != '[' {
		c.fail(CodeInvalidType, "field %q: want an array of {\"from\": date, \"category\": \"A\"…\"D\"}, got %s", f, kindName(v.kind))
		return nil
	}
	var raw []struct {
		From     *string `json:"from"`
		Category *string `json:"category"`
	}
	dec := json.NewDecoder(strings.NewReader(v.s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		c.fail(CodeInvalidType, "field %q: want an array of {\"from\": date, \"category\": \"A\"…\"D\"}: %s", f, err.Error())
		return nil
	}
	if len(raw) > risk.MaxSteps {
		c.fail(CodeInvalidValue, "field %q holds %d steps; at most %d", f, len(raw), risk.MaxSteps)
		return nil
	}
	var steps []credit.RiskStep
	for i, r := range raw {
		if r.From == nil || r.Category == nil {
			c.fail(CodeMissingField, "field %q: step %d needs \"from\" and \"category\"", f, i)
			return nil
		}
		d, err := credit.ParseDate(*r.From)
		if err != nil || d.Before(Earliest) {
			c.fail(CodeInvalidDate, "field %q: step %d: %q is not a date from %s on (want YYYY-MM-DD)", f, i, *r.From, Earliest.Format(time.DateOnly))
			return nil
		}
		if !slices.Contains(risk.Categories, risk.Category(*r.Category)) {
			c.fail(CodeInvalidValue, "field %q: step %d: category %q is not one of A, B, C, D", f, i, *r.Category)
			return nil
		}
		if i > 0 && !d.After(steps[i-1].From) {
			c.fail(CodeInvalidValue, "field %q: step %d (%s) is not after step %d: steps go in date order", f, i, *r.From, i-1)
			return nil
		}
		steps = append(steps, credit.RiskStep{From: d, Category: *r.Category})
	}
	return steps
}
