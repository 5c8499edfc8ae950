// Package store defines the store of record's interface, its sentinel
// errors, filters, pages and the import batch. Backends live in
// sub-packages (postgres, memory) and all pass the conformance suite in
// storetest. Every read takes the caller's credit.Visibility and returns only
// the rows the disclosure policy (package credit) lets that caller see; a
// backend asks the policy and never re-implements it. This package must not
// know about GraphQL, HTTP or caching.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// Sentinel errors every backend maps its driver errors to.
var (
	ErrNotFound      = errors.New("store: not found")
	ErrBadCursor     = errors.New("store: invalid or stale cursor")
	ErrAlreadyExists = errors.New("store: already exists")
	ErrUnavailable   = errors.New("store: unavailable")
	// ErrInvalidRecord: the store refused a batch because of what one of
	// its records holds (a value out of the backend's range, a constraint),
	// not because it is unreachable. Nothing of the batch was written; a
	// caller may split the batch to find the record.
	ErrInvalidRecord = errors.New("store: a record's data was refused")
)

// Store is the store of record.
type Store interface {
	Reader
	// Apply writes a batch of import records idempotently (upsert by natural
	// key) and returns the records it rejected. A record whose enterprise or
	// listing is neither stored nor in the batch is rejected with
	// CodeUnknownReference, so a caller may retry it later; one that breaks a
	// disclosure rule is rejected with the rule's code. The good records of a
	// batch are written even when others are rejected. Apply also sets
	// b.Displaced (see Batch), so that a caller which caches by enterprise
	// learns which enterprises the batch took records from.
	Apply(ctx context.Context, b *Batch) ([]Rejection, error)
	// Ping reports whether the store is reachable.
	Ping(ctx context.Context) error
	Close()
}

// Reader is the read side; every method filters by the caller's visibility.
type Reader interface {
	// Enterprise returns one enterprise or ErrNotFound.
	Enterprise(ctx context.Context, v credit.Visibility, uscc string) (credit.Enterprise, error)
	// EnterprisesByUSCC returns enterprises in key order, nil where unknown.
	EnterprisesByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([]*credit.Enterprise, error)
	// Enterprises pages through enterprises ordered by USCC.
	Enterprises(ctx context.Context, v credit.Visibility, f EnterpriseFilter, p Page) (Connection[credit.Enterprise], error)
	CountEnterprises(ctx context.Context, v credit.Visibility, f EnterpriseFilter) (int, error)

	// The *ByUSCC loaders return, in key order, every visible record of each
	// enterprise, newest first. One call is a constant number of statements.
	LicensesByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.License, error)
	PenaltiesByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.Penalty, error)
	InspectionsByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.Inspection, error)
	ListingsByUSCC(ctx context.Context, v credit.Visibility, list credit.ListKind, usccs []string) ([][]credit.Listing, error)
	CommitmentsByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.Commitment, error)

	// Listings pages through one list, newest listing first.
	Listings(ctx context.Context, v credit.Visibility, list credit.ListKind, f ListingFilter, p Page) (Connection[credit.Listing], error)
	CountListings(ctx context.Context, v credit.Visibility, list credit.ListKind, f ListingFilter) (int, error)

	// TypicalCases pages through typical cases, newest first.
	TypicalCases(ctx context.Context, v credit.Visibility, f CaseFilter, p Page) (Connection[credit.TypicalCase], error)
	CountTypicalCases(ctx context.Context, v credit.Visibility, f CaseFilter) (int, error)

	Searcher
	// RecordsByKey reads records by their natural keys, in key order: each
	// as v may see it through the same views as every other read, nil where
	// there is no such record or v may not see it (the two are not told
	// apart). A kind not in RecordKinds is nil too. One call is at most one
	// statement per kind asked for.
	RecordsByKey(ctx context.Context, v credit.Visibility, keys []RecordKey) ([]*Record, error)

	Reporter
}

// Page asks for First items after the opaque cursor After ("" = start).
type Page struct {
	First int
	After string
}

// Connection is one page of a keyset-paginated list.
type Connection[T any] struct {
	Items   []T
	Cursors []string // Cursors[i] is the opaque cursor of Items[i]
	HasNext bool
}

// EnterpriseFilter narrows Enterprises. Zero values do not filter.
type EnterpriseFilter struct {
	RegionPrefix   string // administrative division code or its prefix ("35", "3501", "350102")
	KeyArea        credit.KeyArea
	Status         credit.EnterpriseStatus
	OnSeriousList  *bool  // on the serious list as the caller may see it
	OnAbnormalList *bool  // on the abnormal operations list as the caller may see it
	Name           string // exact current name
	NamePrefix     string // current name starts with
}

// ListingFilter narrows Listings. Zero values do not filter.
type ListingFilter struct {
	RegionPrefix   string
	KeyArea        credit.KeyArea // the listing's own key area; abnormal listings carry none, so never match
	ListedFrom     *time.Time     // inclusive
	ListedTo       *time.Time     // inclusive
	IncludeRemoved bool           // also listings that were removed (as far as the caller may see them)
}

// CaseFilter narrows TypicalCases. Zero values do not filter.
type CaseFilter struct {
	RegionPrefix  string
	KeyArea       credit.KeyArea
	PublishedFrom *time.Time
	PublishedTo   *time.Time
	// Text is found in the title or the summary as the caller reads them
	// (redacted below REGULATOR), both sides normalised (CaseTextMatches).
	Text string
}

// Line is one import record with its line number in the source.
type Line[T any] struct {
	N int
	V T
}

// ListingRemoval removes a listing, named by its decision number.
type ListingRemoval struct {
	List                  credit.ListKind
	ListingDecisionNumber string
	Removal               credit.Removal
}

// Batch is a set of import records to apply together. Order within and
// between slices does not matter. Apply reads the record slices and writes
// Displaced only; a Batch must not be applied by two goroutines at once.
type Batch struct {
	Enterprises  []Line[credit.Enterprise]
	Licenses     []Line[credit.License]
	Penalties    []Line[credit.Penalty]
	Inspections  []Line[credit.Inspection]
	Listings     []Line[credit.Listing]
	Removals     []Line[ListingRemoval]
	Commitments  []Line[credit.Commitment]
	Repairs      []Line[credit.CreditRepair]
	TypicalCases []Line[credit.TypicalCase]

	// Now is when the batch is written, from the one clock: its date is the
	// day the change feed computes the batch's changes for, and it stamps
	// them. Zero: time.Now.
	Now time.Time

	// Displaced is set by Apply, never read by it (whatever it held is
	// replaced): the enterprises that lost a record because the batch wrote
	// the record's natural key (licence number, penalty decision number,
	// inspection ID, list and listing decision number, commitment ID, case
	// ID) under another USCC, or under none (a typical case), sorted and
	// unique. It compares each key's enterprise as stored before the batch
	// with the one the batch left: a new record, one written under the USCC
	// it already had, or a rejected line displaces nobody, and neither does
	// a key that several lines name under different enterprises when the
	// last of them is the stored one. An enterprise the batch writes to is
	// named only if it, too, lost a record. When Apply fails, Displaced may
	// name enterprises whose records did not move after all (a write rolled
	// back after it was computed), never fewer than a write that went
	// through moved. A backend whose imports can run at once documents what
	// two of them moving the same record may make it miss (postgres).
	Displaced []string
}

// Len is the number of records in the batch.
func (b *Batch) Len() int {
	return len(b.Enterprises) + len(b.Licenses) + len(b.Penalties) + len(b.Inspections) + len(b.Listings) +
		len(b.Removals) + len(b.Commitments) + len(b.Repairs) + len(b.TypicalCases)
}

// Rejection is one record the store would not write.
type Rejection struct {
	Line    int    `json:"line"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// AbnormalRepairReason is the removal reason recorded when a credit repair
// ends an abnormal listing. Public tiers see it; it deliberately does not say
// "repair" (that a repair happened is REGULATOR-only).
const AbnormalRepairReason = "经营异常情形已消除"

// CodeUnknownReference rejects a record naming an enterprise or listing that
// does not exist.
const CodeUnknownReference = "UNKNOWN_REFERENCE"
