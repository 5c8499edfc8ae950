package ingest

// field names one member of an import record. Fields of the same name share
// their meaning and JSON type across kinds, so one table serves every kind.
type field uint8

const (
	fNone field = iota
	fKind
	fUSCC
	fName
	fFormerNames
	fType
	fStatus
	fLegalRepresentative
	fLegalRepresentativeIDType
	fLegalRepresentativeIDNumber
	fRegisteredCapital
	fEstablishedOn
	fRegistrationAuthority
	fAddress
	fBusinessScope
	fRegionCode
	fKeyAreas
	fPhone
	fLicenseNumber
	fContent
	fValidFrom
	fValidTo
	fAuthority
	fDecidedOn
	fKeyArea
	fDecisionNumber
	fViolationType
	fFacts
	fBasis
	fPenaltyTypes
	fFineAmount
	fConfiscationAmount
	fPublishedOn
	fProcedure
	fRestrictionUntil
	fRevoked
	fInspectionID
	fInspectionKind
	fInspectedOn
	fResult
	fItems
	fProduct
	fBatch
	fReasonCode
	fReason
	fListedOn
	fListingDecisionNumber
	fRemovedOn
	fGround
	fPenaltyDecisionNumber
	fCommitmentID
	fCommitmentKind
	fMadeOn
	fUntrueFoundOn
	fTarget
	fTargetDecisionNumber
	fRepairedOn
	fCaseID
	fTitle
	fSummary
	fRiskCategories
	numFields
)

// fieldNames are the JSON member names, indexed by field.
var fieldNames = [numFields]string{
	fKind:                        "kind",
	fUSCC:                        "uscc",
	fName:                        "name",
	fFormerNames:                 "former_names",
	fType:                        "type",
	fStatus:                      "status",
	fLegalRepresentative:         "legal_representative",
	fLegalRepresentativeIDType:   "legal_representative_id_type",
	fLegalRepresentativeIDNumber: "legal_representative_id_number",
	fRegisteredCapital:           "registered_capital",
	fEstablishedOn:               "established_on",
	fRegistrationAuthority:       "registration_authority",
	fAddress:                     "address",
	fBusinessScope:               "business_scope",
	fRegionCode:                  "region_code",
	fKeyAreas:                    "key_areas",
	fPhone:                       "phone",
	fLicenseNumber:               "license_number",
	fContent:                     "content",
	fValidFrom:                   "valid_from",
	fValidTo:                     "valid_to",
	fAuthority:                   "authority",
	fDecidedOn:                   "decided_on",
	fKeyArea:                     "key_area",
	fDecisionNumber:              "decision_number",
	fViolationType:               "violation_type",
	fFacts:                       "facts",
	fBasis:                       "basis",
	fPenaltyTypes:                "penalty_types",
	fFineAmount:                  "fine_amount",
	fConfiscationAmount:          "confiscation_amount",
	fPublishedOn:                 "published_on",
	fProcedure:                   "procedure",
	fRestrictionUntil:            "restriction_until",
	fRevoked:                     "revoked",
	fInspectionID:                "inspection_id",
	fInspectionKind:              "inspection_kind",
	fInspectedOn:                 "inspected_on",
	fResult:                      "result",
	fItems:                       "items",
	fProduct:                     "product",
	fBatch:                       "batch",
	fReasonCode:                  "reason_code",
	fReason:                      "reason",
	fListedOn:                    "listed_on",
	fListingDecisionNumber:       "listing_decision_number",
	fRemovedOn:                   "removed_on",
	fGround:                      "ground",
	fPenaltyDecisionNumber:       "penalty_decision_number",
	fCommitmentID:                "commitment_id",
	fCommitmentKind:              "commitment_kind",
	fMadeOn:                      "made_on",
	fUntrueFoundOn:               "untrue_found_on",
	fTarget:                      "target",
	fTargetDecisionNumber:        "target_decision_number",
	fRepairedOn:                  "repaired_on",
	fCaseID:                      "case_id",
	fTitle:                       "title",
	fSummary:                     "summary",
	fRiskCategories:              "risk_categories",
}

var fieldByName = func() map[string]field {
	m := make(map[string]field, numFields)
	for f := fKind; f < numFields; f++ {
		m[fieldNames[f]] = f
	}
	return m
}()

func (f field) String() string { return fieldNames[f] }
