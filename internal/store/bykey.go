package store

import "github.com/creditgraph/creditgraph/internal/credit"

// RecordKind names a kind of record that has a natural key of its own: what
// a global object ID (GraphQL's node(id:)) points at.
type RecordKind string

const (
	KindEnterprise      RecordKind = "enterprise"       // by USCC
	KindLicense         RecordKind = "license"          // by licence number
	KindPenalty         RecordKind = "penalty"          // by decision number
	KindInspection      RecordKind = "inspection"       // by inspection ID
	KindAbnormalListing RecordKind = "abnormal_listing" // by listing decision number
	KindSeriousListing  RecordKind = "serious_listing"  // by listing decision number
	KindCommitment      RecordKind = "commitment"       // by commitment ID
	KindTypicalCase     RecordKind = "typical_case"     // by case ID
)

// RecordKinds is every RecordKind.
var RecordKinds = []RecordKind{KindEnterprise, KindLicense, KindPenalty, KindInspection,
	KindAbnormalListing, KindSeriousListing, KindCommitment, KindTypicalCase}

// ListingKind is the RecordKind of a listing on list.
func ListingKind(list credit.ListKind) RecordKind {
	if list == credit.ListSerious {
		return KindSeriousListing
	}
	return KindAbnormalListing
}

// RecordKey names one record by its kind and natural key.
type RecordKey struct {
	Kind RecordKind
	Key  string
}

// Record is one record read by its natural key: exactly one field is set,
// the one of its kind.
type Record struct {
	Enterprise  *credit.Enterprise
	License     *credit.License
	Penalty     *credit.Penalty
	Inspection  *credit.Inspection
	Listing     *credit.Listing
	Commitment  *credit.Commitment
	TypicalCase *credit.TypicalCase
}
