package export

import (
	"bufio"
	"encoding/json"
	"io"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// The NDJSON format is the import format of the contract, line for line:
// what an export writes, `import` reads back. Each record an enterprise
// owns follows that enterprise's own line, so a file imports into an empty
// store with no forward reference. Fields the caller's tier does not see
// are absent (never empty strings), free text is as the tier reads it
// (redacted below REGULATOR), and a REGULATOR export also carries the
// repairs and removals public tiers never see.

type enterpriseLine struct {
	Kind                        string           `json:"kind"`
	USCC                        string           `json:"uscc"`
	Name                        string           `json:"name"`
	FormerNames                 []string         `json:"former_names,omitempty"`
	Type                        *string          `json:"type,omitempty"`
	Status                      string           `json:"status"`
	LegalRepresentative         *string          `json:"legal_representative,omitempty"`
	LegalRepresentativeIDType   *string          `json:"legal_representative_id_type,omitempty"`
	LegalRepresentativeIDNumber *string          `json:"legal_representative_id_number,omitempty"`
	RegisteredCapital           *string          `json:"registered_capital,omitempty"`
	EstablishedOn               *string          `json:"established_on,omitempty"`
	RegistrationAuthority       *string          `json:"registration_authority,omitempty"`
	Address                     *string          `json:"address,omitempty"`
	BusinessScope               *string          `json:"business_scope,omitempty"`
	RegionCode                  string           `json:"region_code"`
	KeyAreas                    []credit.KeyArea `json:"key_areas"`
	Phone                       *string          `json:"phone,omitempty"`
	RiskCategories              []riskStepLine   `json:"risk_categories,omitempty"`
}

// riskStepLine is one step of an enterprise line's risk_categories.
type riskStepLine struct {
	From     string `json:"from"`
	Category string `json:"category"`
}

type licenseLine struct {
	Kind          string          `json:"kind"`
	USCC          string          `json:"uscc"`
	LicenseNumber string          `json:"license_number"`
	Name          string          `json:"name"`
	Content       *string         `json:"content,omitempty"`
	ValidFrom     *string         `json:"valid_from,omitempty"`
	ValidTo       *string         `json:"valid_to,omitempty"`
	Authority     string          `json:"authority"`
	DecidedOn     string          `json:"decided_on"`
	KeyArea       *credit.KeyArea `json:"key_area,omitempty"`
}

type penaltyLine struct {
	Kind               string               `json:"kind"`
	USCC               string               `json:"uscc"`
	DecisionNumber     string               `json:"decision_number"`
	ViolationType      string               `json:"violation_type"`
	Facts              *string              `json:"facts,omitempty"`
	Basis              *string              `json:"basis,omitempty"`
	PenaltyTypes       []credit.PenaltyType `json:"penalty_types"`
	Content            *string              `json:"content,omitempty"`
	FineAmount         *string              `json:"fine_amount,omitempty"`
	ConfiscationAmount *string              `json:"confiscation_amount,omitempty"`
	Authority          string               `json:"authority"`
	DecidedOn          string               `json:"decided_on"`
	PublishedOn        string               `json:"published_on"`
	Procedure          credit.Procedure     `json:"procedure"`
	RestrictionUntil   *string              `json:"restriction_until,omitempty"`
	KeyArea            *credit.KeyArea      `json:"key_area,omitempty"`
	Revoked            bool                 `json:"revoked,omitempty"`
}

type inspectionLine struct {
	Kind           string                  `json:"kind"`
	USCC           string                  `json:"uscc"`
	InspectionID   string                  `json:"inspection_id"`
	InspectionKind credit.InspectionKind   `json:"inspection_kind"`
	InspectedOn    string                  `json:"inspected_on"`
	Authority      string                  `json:"authority"`
	Result         credit.InspectionResult `json:"result"`
	Items          *string                 `json:"items,omitempty"`
	Product        *string                 `json:"product,omitempty"`
	Batch          *string                 `json:"batch,omitempty"`
	KeyArea        *credit.KeyArea         `json:"key_area,omitempty"`
}

type listingLine struct {
	Kind                  string          `json:"kind"`
	USCC                  string          `json:"uscc"`
	DecisionNumber        string          `json:"decision_number"`
	ReasonCode            int             `json:"reason_code,omitempty"`
	Reason                *string         `json:"reason,omitempty"`
	Ground                *string         `json:"ground,omitempty"`
	ListedOn              string          `json:"listed_on"`
	Authority             string          `json:"authority"`
	PenaltyDecisionNumber *string         `json:"penalty_decision_number,omitempty"`
	KeyArea               *credit.KeyArea `json:"key_area,omitempty"`
}

type removalLine struct {
	Kind                  string `json:"kind"`
	ListingDecisionNumber string `json:"listing_decision_number"`
	RemovedOn             string `json:"removed_on"`
	Reason                string `json:"reason"`
	Authority             string `json:"authority"`
}

type repairLine struct {
	Kind                 string              `json:"kind"`
	Target               credit.RepairTarget `json:"target"`
	TargetDecisionNumber string              `json:"target_decision_number"`
	RepairedOn           string              `json:"repaired_on"`
	Authority            string              `json:"authority"`
}

type commitmentLine struct {
	Kind           string                  `json:"kind"`
	USCC           string                  `json:"uscc"`
	CommitmentID   string                  `json:"commitment_id"`
	CommitmentKind credit.CommitmentKind   `json:"commitment_kind"`
	Content        string                  `json:"content"`
	MadeOn         string                  `json:"made_on"`
	Status         credit.CommitmentStatus `json:"status"`
	UntrueFoundOn  *string                 `json:"untrue_found_on,omitempty"`
}

type caseLine struct {
	Kind        string          `json:"kind"`
	CaseID      string          `json:"case_id"`
	Title       string          `json:"title"`
	Summary     string          `json:"summary"`
	USCC        *string         `json:"uscc,omitempty"`
	PublishedOn string          `json:"published_on"`
	KeyArea     *credit.KeyArea `json:"key_area,omitempty"`
	RegionCode  *string         `json:"region_code,omitempty"`
}

func date(t time.Time) string { return t.Format(time.DateOnly) }

func datePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := date(*t)
	return &s
}

func decimalPtr(d *decimal.Decimal) *string {
	if d == nil {
		return nil
	}
	s := d.String()
	return &s
}

// ndjson writes import records, one JSON object a line.
type ndjson struct {
	w   *bufio.Writer
	enc *json.Encoder
}

func newNDJSON(w io.Writer) *ndjson {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &ndjson{w: bw, enc: enc}
}

func (n *ndjson) line(v any) error { return n.enc.Encode(v) }

func (n *ndjson) flush() error { return n.w.Flush() }

func (n *ndjson) enterprise(e *credit.Enterprise) error {
	areas := e.KeyAreas
	if areas == nil {
		areas = []credit.KeyArea{}
	}
	return n.line(enterpriseLine{Kind: "enterprise", USCC: e.USCC, Name: e.Name, FormerNames: e.FormerNames, Type: e.Type,
		Status: string(e.Status), LegalRepresentative: e.LegalRepresentative,
		LegalRepresentativeIDType: e.LegalRepresentativeIDType, LegalRepresentativeIDNumber: e.LegalRepresentativeIDNumber,
		RegisteredCapital: decimalPtr(e.RegisteredCapital), EstablishedOn: datePtr(e.EstablishedOn),
		RegistrationAuthority: e.RegistrationAuthority, Address: e.Address, BusinessScope: e.BusinessScope,
		RegionCode: e.RegionCode, KeyAreas: areas, Phone: e.Phone, RiskCategories: riskSteps(e.RiskCategories)})
}

func riskSteps(steps []credit.RiskStep) []riskStepLine {
	if len(steps) == 0 {
		return nil
	}
	out := make([]riskStepLine, len(steps))
	for i, s := range steps {
		out[i] = riskStepLine{From: date(s.From), Category: s.Category}
	}
	return out
}

func (n *ndjson) license(l *credit.License) error {
	return n.line(licenseLine{Kind: "license", USCC: l.USCC, LicenseNumber: l.LicenseNumber, Name: l.Name, Content: l.Content,
		ValidFrom: datePtr(l.ValidFrom), ValidTo: datePtr(l.ValidTo), Authority: l.Authority, DecidedOn: date(l.DecidedOn),
		KeyArea: l.KeyArea})
}

func (n *ndjson) penalty(p *credit.Penalty) error {
	err := n.line(penaltyLine{Kind: "penalty", USCC: p.USCC, DecisionNumber: p.DecisionNumber, ViolationType: p.ViolationType,
		Facts: p.Facts, Basis: p.Basis, PenaltyTypes: p.PenaltyTypes, Content: p.Content,
		FineAmount: decimalPtr(p.FineAmount), ConfiscationAmount: decimalPtr(p.ConfiscationAmount), Authority: p.Authority,
		DecidedOn: date(p.DecidedOn), PublishedOn: date(p.PublishedOn), Procedure: p.Procedure,
		RestrictionUntil: datePtr(p.RestrictionUntil), KeyArea: p.KeyArea, Revoked: p.Revoked})
	if err != nil || p.RepairedOn == nil { // only a REGULATOR's view carries a repair
		return err
	}
	return n.line(repairLine{Kind: "credit_repair", Target: credit.RepairPenalty, TargetDecisionNumber: p.DecisionNumber,
		RepairedOn: date(*p.RepairedOn), Authority: p.Authority})
}

func (n *ndjson) inspection(in *credit.Inspection) error {
	return n.line(inspectionLine{Kind: "inspection", USCC: in.USCC, InspectionID: in.InspectionID, InspectionKind: in.Kind,
		InspectedOn: date(in.InspectedOn), Authority: in.Authority, Result: in.Result, Items: in.Items,
		Product: in.Product, Batch: in.Batch, KeyArea: in.KeyArea})
}

// listing writes a listing and, as far as the view shows them, its removal
// or its repair (a repair ends a listing by itself: its removal is not
// written again).
func (n *ndjson) listing(l *credit.Listing) error {
	line := listingLine{Kind: string(l.List), USCC: l.USCC, DecisionNumber: l.DecisionNumber, ListedOn: date(l.ListedOn),
		Authority: l.Authority, PenaltyDecisionNumber: l.PenaltyDecisionNumber, KeyArea: l.KeyArea}
	removal, target := "abnormal_removal", credit.RepairAbnormalListing
	if l.List == credit.ListSerious {
		line.Ground = l.Reason
		removal, target = "serious_removal", credit.RepairSeriousListing
	} else {
		line.ReasonCode, line.Reason = l.ReasonCode, l.Reason
	}
	if err := n.line(line); err != nil {
		return err
	}
	switch {
	case l.RepairedOn != nil:
		authority := l.Authority
		if l.Removal != nil {
			authority = l.Removal.Authority
		}
		return n.line(repairLine{Kind: "credit_repair", Target: target, TargetDecisionNumber: l.DecisionNumber,
			RepairedOn: date(*l.RepairedOn), Authority: authority})
	case l.Removal != nil:
		return n.line(removalLine{Kind: removal, ListingDecisionNumber: l.DecisionNumber,
			RemovedOn: date(l.Removal.RemovedOn), Reason: l.Removal.Reason, Authority: l.Removal.Authority})
	}
	return nil
}

func (n *ndjson) commitment(c *credit.Commitment) error {
	return n.line(commitmentLine{Kind: "commitment", USCC: c.USCC, CommitmentID: c.CommitmentID, CommitmentKind: c.Kind,
		Content: c.Content, MadeOn: date(c.MadeOn), Status: c.Status, UntrueFoundOn: datePtr(c.UntrueFoundOn)})
}

func (n *ndjson) typicalCase(c *credit.TypicalCase) error {
	return n.line(caseLine{Kind: "typical_case", CaseID: c.CaseID, Title: c.Title, Summary: c.Summary, USCC: c.USCC,
		PublishedOn: date(c.PublishedOn), KeyArea: c.KeyArea, RegionCode: c.RegionCode})
}

// group writes an enterprise's line, then each record of the group.
func (n *ndjson) group(g *group) error {
	if err := n.enterprise(g.e); err != nil {
		return err
	}
	for i := range g.licenses {
		if err := n.license(&g.licenses[i]); err != nil {
			return err
		}
	}
	for i := range g.penalties {
		if err := n.penalty(&g.penalties[i]); err != nil {
			return err
		}
	}
	for i := range g.inspections {
		if err := n.inspection(&g.inspections[i]); err != nil {
			return err
		}
	}
	for _, ls := range [][]credit.Listing{g.abnormal, g.serious} {
		for i := range ls {
			if err := n.listing(&ls[i]); err != nil {
				return err
			}
		}
	}
	for i := range g.commitments {
		if err := n.commitment(&g.commitments[i]); err != nil {
			return err
		}
	}
	return nil
}

// caseWith writes a typical case, after its enterprise's line when the
// enterprise is given (the first case naming it).
func (n *ndjson) caseWith(c *credit.TypicalCase, e *credit.Enterprise) error {
	if e != nil {
		if err := n.enterprise(e); err != nil {
			return err
		}
	}
	return n.typicalCase(c)
}
