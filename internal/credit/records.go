package credit

import (
	"time"

	"github.com/shopspring/decimal"
)

// Dates are civil dates carried as time.Time at 00:00 UTC; DateOf truncates.

// DateOf returns t's calendar date in UTC at midnight.
func DateOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseDate parses YYYY-MM-DD.
func ParseDate(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

// EnterpriseStatus is an enterprise's registration status.
type EnterpriseStatus string

const (
	StatusOperating EnterpriseStatus = "operating"
	StatusRevoked   EnterpriseStatus = "revoked"
	StatusCancelled EnterpriseStatus = "cancelled"
	StatusMovedOut  EnterpriseStatus = "moved_out"
)

// EnterpriseStatuses lists every status, in schema order.
var EnterpriseStatuses = []EnterpriseStatus{StatusOperating, StatusRevoked, StatusCancelled, StatusMovedOut}

// KeyArea is a key supervision area (重点领域).
type KeyArea string

const (
	AreaFoodProduction    KeyArea = "food_production"
	AreaSpecialFood       KeyArea = "special_food"
	AreaSpecialEquipment  KeyArea = "special_equipment"
	AreaFoodDistribution  KeyArea = "food_distribution"
	AreaCatering          KeyArea = "catering"
	AreaDrug              KeyArea = "drug"
	AreaMedicalDevice     KeyArea = "medical_device"
	AreaCosmetics         KeyArea = "cosmetics"
	AreaIndustrialProduct KeyArea = "industrial_product"
)

// KeyAreas lists every key area, in schema order.
var KeyAreas = []KeyArea{AreaFoodProduction, AreaSpecialFood, AreaSpecialEquipment, AreaFoodDistribution,
	AreaCatering, AreaDrug, AreaMedicalDevice, AreaCosmetics, AreaIndustrialProduct}

// IsStrictRepairArea reports whether penalties in this area wait one year,
// not six months, before credit repair (food, drug, special equipment).
func (a KeyArea) IsStrictRepairArea() bool {
	switch a {
	case AreaFoodProduction, AreaSpecialFood, AreaFoodDistribution, AreaCatering, AreaDrug, AreaSpecialEquipment:
		return true
	}
	return false
}

// Enterprise is a market entity registered under a USCC.
type Enterprise struct {
	USCC                        string
	Name                        string
	FormerNames                 []string
	Type                        *string
	Status                      EnterpriseStatus
	LegalRepresentative         *string
	LegalRepresentativeIDType   *string
	LegalRepresentativeIDNumber *string
	RegisteredCapital           *decimal.Decimal // 万元
	EstablishedOn               *time.Time
	RegistrationAuthority       *string
	Address                     *string
	BusinessScope               *string
	RegionCode                  string
	KeyAreas                    []KeyArea
	Phone                       *string
	UpdatedAt                   time.Time

	// RiskCategories is the credit risk category an import gave the
	// enterprise (the enterprise line's risk_categories): the letters its
	// source's model assessed from a record this store may hold only part
	// of (a PARTNER export omits what PARTNER does not see), each from its
	// day on. Empty for an enterprise whose letter this store derives
	// itself. Package risk reads it; it is never shown to PUBLIC.
	RiskCategories []RiskStep
}

// RiskStep is one step of an imported risk category schedule: Category
// ("A" to "D") holds from From until the next step's day.
type RiskStep struct {
	From     time.Time
	Category string
}

// License is an administrative licence (行政许可).
type License struct {
	USCC          string
	LicenseNumber string
	Name          string
	Content       *string
	ValidFrom     *time.Time
	ValidTo       *time.Time
	Authority     string
	DecidedOn     time.Time
	KeyArea       *KeyArea
}

// PenaltyType is one kind of administrative penalty.
type PenaltyType string

const (
	PenaltyWarning                   PenaltyType = "warning"
	PenaltyPublicReprimand           PenaltyType = "public_reprimand"
	PenaltyFine                      PenaltyType = "fine"
	PenaltyConfiscation              PenaltyType = "confiscation"
	PenaltySuspension                PenaltyType = "suspension"
	PenaltyRestriction               PenaltyType = "restriction"
	PenaltyQualificationDowngrade    PenaltyType = "qualification_downgrade"
	PenaltyLicenseRevocation         PenaltyType = "license_revocation"
	PenaltyBusinessLicenseRevocation PenaltyType = "business_license_revocation"
	PenaltyOther                     PenaltyType = "other"
)

// PenaltyTypes lists every penalty type, in schema order.
var PenaltyTypes = []PenaltyType{PenaltyWarning, PenaltyPublicReprimand, PenaltyFine, PenaltyConfiscation,
	PenaltySuspension, PenaltyRestriction, PenaltyQualificationDowngrade, PenaltyLicenseRevocation,
	PenaltyBusinessLicenseRevocation, PenaltyOther}

// Procedure is the procedure a penalty was decided under.
type Procedure string

const (
	ProcedureOrdinary Procedure = "ordinary" // 普通程序
	ProcedureSimple   Procedure = "simple"   // 简易程序
)

// Penalty is an administrative penalty decision (行政处罚决定).
type Penalty struct {
	USCC               string
	DecisionNumber     string
	ViolationType      string
	Facts              *string
	Basis              *string
	PenaltyTypes       []PenaltyType
	Content            *string
	FineAmount         *decimal.Decimal
	ConfiscationAmount *decimal.Decimal
	Authority          string
	DecidedOn          time.Time
	PublishedOn        time.Time
	Procedure          Procedure
	RestrictionUntil   *time.Time
	KeyArea            *KeyArea
	Revoked            bool
	RepairedOn         *time.Time // credit repair date, from a credit_repair record
}

// InspectionKind is the kind of a check.
type InspectionKind string

const (
	InspectionRandomSpotCheck  InspectionKind = "random_spot_check"
	InspectionSupervisionCheck InspectionKind = "supervision_check"
	InspectionSampling         InspectionKind = "sampling"
)

// InspectionKinds lists every inspection kind.
var InspectionKinds = []InspectionKind{InspectionRandomSpotCheck, InspectionSupervisionCheck, InspectionSampling}

// InspectionResult is the outcome of a check.
type InspectionResult string

const (
	ResultNoIssue           InspectionResult = "no_issue"
	ResultIssuesCorrected   InspectionResult = "issues_corrected"
	ResultNonCompliant      InspectionResult = "non_compliant"
	ResultNotFoundAtAddress InspectionResult = "not_found_at_address"
)

// InspectionResults lists every result.
var InspectionResults = []InspectionResult{ResultNoIssue, ResultIssuesCorrected, ResultNonCompliant, ResultNotFoundAtAddress}

// Inspection is a spot-check, supervision check or sampling result (抽查检查结果).
type Inspection struct {
	USCC         string
	InspectionID string
	Kind         InspectionKind
	InspectedOn  time.Time
	Authority    string
	Result       InspectionResult
	Items        *string
	Product      *string
	Batch        *string
	KeyArea      *KeyArea
}

// ListKind says which list a listing is on.
type ListKind string

const (
	ListAbnormal ListKind = "abnormal_listing" // 经营异常名录
	ListSerious  ListKind = "serious_listing"  // 严重违法失信名单
)

// RemovalReason is why a serious listing ended.
type RemovalReason string

const (
	RemovalExpired      RemovalReason = "expired"
	RemovalCreditRepair RemovalReason = "credit_repair"
	RemovalRevoked      RemovalReason = "revoked"
)

// Removal is a removal (移出) from a list.
type Removal struct {
	RemovedOn time.Time
	Reason    string // free text for abnormal removals; a RemovalReason for serious ones
	Authority string
}

// Listing is an entry on the abnormal operations list or the serious illegal
// and dishonest list.
type Listing struct {
	List                  ListKind
	USCC                  string
	DecisionNumber        string
	ReasonCode            int     // abnormal list only, 1–4
	Reason                *string // abnormal: reason text; serious: ground
	ListedOn              time.Time
	Authority             string
	PenaltyDecisionNumber *string // serious list only
	KeyArea               *KeyArea
	Removal               *Removal
	RepairedOn            *time.Time
}

// CommitmentKind is the kind of credit commitment (信用承诺).
type CommitmentKind string

const (
	CommitmentNotification CommitmentKind = "notification" // 告知承诺
	CommitmentVoluntary    CommitmentKind = "voluntary"    // 主动承诺
)

// CommitmentStatus is the state of a commitment.
type CommitmentStatus string

const (
	CommitmentInForce   CommitmentStatus = "in_force"
	CommitmentFulfilled CommitmentStatus = "fulfilled"
	CommitmentUntrue    CommitmentStatus = "untrue"
)

// Commitment is a credit commitment an enterprise made.
type Commitment struct {
	USCC          string
	CommitmentID  string
	Kind          CommitmentKind
	Content       string
	MadeOn        time.Time
	Status        CommitmentStatus
	UntrueFoundOn *time.Time
}

// RepairTarget is what a credit repair applies to.
type RepairTarget string

const (
	RepairPenalty         RepairTarget = "penalty"
	RepairAbnormalListing RepairTarget = "abnormal_listing"
	RepairSeriousListing  RepairTarget = "serious_listing"
)

// CreditRepair is a credit repair (信用修复) decision.
type CreditRepair struct {
	Target               RepairTarget
	TargetDecisionNumber string
	RepairedOn           time.Time
	Authority            string
}

// TypicalCase is a typical dishonesty case (典型案例) published by a regulator.
type TypicalCase struct {
	CaseID      string
	Title       string
	Summary     string
	USCC        *string
	PublishedOn time.Time
	KeyArea     *KeyArea
	RegionCode  *string
}
