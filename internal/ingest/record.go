package ingest

import (
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Kind is the "kind" of an import record.
type Kind string

const (
	KindEnterprise      Kind = "enterprise"
	KindLicense         Kind = "license"
	KindPenalty         Kind = "penalty"
	KindInspection      Kind = "inspection"
	KindAbnormalListing Kind = "abnormal_listing"
	KindAbnormalRemoval Kind = "abnormal_removal"
	KindSeriousListing  Kind = "serious_listing"
	KindSeriousRemoval  Kind = "serious_removal"
	KindCommitment      Kind = "commitment"
	KindCreditRepair    Kind = "credit_repair"
	KindTypicalCase     Kind = "typical_case"
)

// Kinds lists every record kind, in contract order.
var Kinds = []Kind{KindEnterprise, KindLicense, KindPenalty, KindInspection, KindAbnormalListing,
	KindAbnormalRemoval, KindSeriousListing, KindSeriousRemoval, KindCommitment, KindCreditRepair,
	KindTypicalCase}

// Record is one decoded import record. Kind says which one pointer is set:
// Listing for both listing kinds and Removal for both removal kinds (their
// List field says which list).
type Record struct {
	Line int // line number in its source, 1-based; 0 when decoded on its own
	Kind Kind

	Enterprise  *credit.Enterprise
	License     *credit.License
	Penalty     *credit.Penalty
	Inspection  *credit.Inspection
	Listing     *credit.Listing
	Removal     *store.ListingRemoval
	Commitment  *credit.Commitment
	Repair      *credit.CreditRepair
	TypicalCase *credit.TypicalCase
}

// AddTo appends the record to b under line number n.
func (r Record) AddTo(b *store.Batch, n int) {
	switch {
	case r.Enterprise != nil:
		b.Enterprises = append(b.Enterprises, store.Line[credit.Enterprise]{N: n, V: *r.Enterprise})
	case r.License != nil:
		b.Licenses = append(b.Licenses, store.Line[credit.License]{N: n, V: *r.License})
	case r.Penalty != nil:
		b.Penalties = append(b.Penalties, store.Line[credit.Penalty]{N: n, V: *r.Penalty})
	case r.Inspection != nil:
		b.Inspections = append(b.Inspections, store.Line[credit.Inspection]{N: n, V: *r.Inspection})
	case r.Listing != nil:
		b.Listings = append(b.Listings, store.Line[credit.Listing]{N: n, V: *r.Listing})
	case r.Removal != nil:
		b.Removals = append(b.Removals, store.Line[store.ListingRemoval]{N: n, V: *r.Removal})
	case r.Commitment != nil:
		b.Commitments = append(b.Commitments, store.Line[credit.Commitment]{N: n, V: *r.Commitment})
	case r.Repair != nil:
		b.Repairs = append(b.Repairs, store.Line[credit.CreditRepair]{N: n, V: *r.Repair})
	case r.TypicalCase != nil:
		b.TypicalCases = append(b.TypicalCases, store.Line[credit.TypicalCase]{N: n, V: *r.TypicalCase})
	}
}

// naturalKey identifies the stored row a record upserts (the contract's
// "natural key"). Listings and removals of the two lists are distinct keys.
type naturalKey struct {
	kind Kind
	id   string
}

func (r Record) key() naturalKey {
	switch {
	case r.Enterprise != nil:
		return naturalKey{r.Kind, r.Enterprise.USCC}
	case r.License != nil:
		return naturalKey{r.Kind, r.License.LicenseNumber}
	case r.Penalty != nil:
		return naturalKey{r.Kind, r.Penalty.DecisionNumber}
	case r.Inspection != nil:
		return naturalKey{r.Kind, r.Inspection.InspectionID}
	case r.Listing != nil:
		return naturalKey{r.Kind, r.Listing.DecisionNumber}
	case r.Removal != nil:
		return naturalKey{r.Kind, r.Removal.ListingDecisionNumber}
	case r.Commitment != nil:
		return naturalKey{r.Kind, r.Commitment.CommitmentID}
	case r.Repair != nil:
		return naturalKey{r.Kind, string(r.Repair.Target) + "\x00" + r.Repair.TargetDecisionNumber}
	case r.TypicalCase != nil:
		return naturalKey{r.Kind, r.TypicalCase.CaseID}
	}
	return naturalKey{}
}

// level orders records as every store applies a batch: enterprises, the
// records that name them, removals, repairs of listings, repairs of
// penalties. Retried records are applied in this order, so that splitting
// them into several batches changes nothing.
func (r Record) level() int {
	switch {
	case r.Enterprise != nil:
		return 0
	case r.Removal != nil:
		return 2
	case r.Repair != nil && r.Repair.Target != credit.RepairPenalty:
		return 3
	case r.Repair != nil:
		return 4
	}
	return 1
}
