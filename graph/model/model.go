// Package model holds the GraphQL-only types: connections, edges, the
// viewer and the credit summary. Domain records are bound directly from
// package credit (see gqlgen.yml). Generated input types live in
// models_gen.go.
package model

import (
	"context"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/search"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/shopspring/decimal"
)

// PageInfo is Relay's page information; pagination is forward only.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

// Counter computes a connection's totalCount lazily: only when asked for.
type Counter func(ctx context.Context) (int, error)

// Viewer is the caller.
type Viewer struct {
	Tier    credit.Tier
	KeyName *string
	AsOf    time.Time
}

// CreditSummary is computed from what the caller may see.
type CreditSummary struct {
	LicenseCount                int
	ValidLicenseCount           int
	PenaltyCount                int
	TotalFines                  decimal.Decimal
	LatestPenaltyOn             *time.Time
	InspectionCount             int
	NonCompliantInspectionCount int
	OnAbnormalOperationList     bool
	OnSeriousDishonestyList     bool
	UntrueCommitmentCount       int
	AsOf                        time.Time
	// Recorded counts everything on file; set only for REGULATOR callers.
	Recorded *RecordedCounts
	// USCC names the enterprise, for the audit log.
	USCC string
}

// RecordedCounts count every record on file, whatever its disclosure state.
type RecordedCounts struct {
	PenaltyCount         int
	TotalFines           decimal.Decimal
	PenaltiesByState     []*DisclosureStateCount
	AbnormalListingCount int
	SeriousListingCount  int
}

// DisclosureStateCount is how many records are in one state.
type DisclosureStateCount struct {
	State credit.DisclosureState
	Count int
}

type EnterpriseConnection struct {
	Edges    []*EnterpriseEdge
	Nodes    []*credit.Enterprise
	PageInfo *PageInfo
	Count    Counter
}

// EnterpriseSearchConnection is one page of a name search.
type EnterpriseSearchConnection struct {
	Edges    []*EnterpriseSearchEdge
	Nodes    []*credit.Enterprise
	PageInfo *PageInfo
	Count    Counter
}

// EnterpriseSearchEdge is one hit with how it matched.
type EnterpriseSearchEdge struct {
	Cursor            string
	Node              *credit.Enterprise
	Score             float64
	MatchKind         search.Tier
	MatchedName       string
	MatchedFormerName bool
}

// RepeatOffenderConnection is one page of repeat offenders.
type RepeatOffenderConnection struct {
	Edges    []*RepeatOffenderEdge
	Nodes    []*credit.Enterprise
	PageInfo *PageInfo
	Count    Counter
}

// RepeatOffenderEdge is one repeat offender with its counts.
type RepeatOffenderEdge struct {
	Cursor          string
	Node            *credit.Enterprise
	PenaltyCount    int
	TotalFines      decimal.Decimal
	LatestDecidedOn time.Time
}

type EnterpriseEdge struct {
	Cursor string
	Node   *credit.Enterprise
}

type ListingConnection struct {
	Edges    []*ListingEdge
	Nodes    []*credit.Listing
	PageInfo *PageInfo
	Count    Counter
}

type ListingEdge struct {
	Cursor string
	Node   *credit.Listing
}

type TypicalCaseConnection struct {
	Edges    []*TypicalCaseEdge
	Nodes    []*credit.TypicalCase
	PageInfo *PageInfo
	Count    Counter
}

type TypicalCaseEdge struct {
	Cursor string
	Node   *credit.TypicalCase
}

type LicenseConnection struct {
	Edges      []*LicenseEdge
	Nodes      []*credit.License
	PageInfo   *PageInfo
	TotalCount int
}

type LicenseEdge struct {
	Cursor string
	Node   *credit.License
}

type PenaltyConnection struct {
	Edges      []*PenaltyEdge
	Nodes      []*credit.Penalty
	PageInfo   *PageInfo
	TotalCount int
}

type PenaltyEdge struct {
	Cursor string
	Node   *credit.Penalty
}

type InspectionConnection struct {
	Edges      []*InspectionEdge
	Nodes      []*credit.Inspection
	PageInfo   *PageInfo
	TotalCount int
}

type InspectionEdge struct {
	Cursor string
	Node   *credit.Inspection
}

type AuditEntryConnection struct {
	Edges    []*AuditEntryEdge
	Nodes    []*store.AuditEntry
	PageInfo *PageInfo
}

type AuditEntryEdge struct {
	Cursor string
	Node   *store.AuditEntry
}

// RateLimit is the caller's budget and this query's cost.
type RateLimit struct {
	Limit     int
	Cost      int
	Remaining int
	Used      int
	ResetAt   time.Time
	NodeCount int
}

// Node is any object with a global ID: a *credit.Enterprise, *credit.License,
// *credit.Penalty, *credit.Inspection, *credit.Listing, *credit.Commitment or
// *credit.TypicalCase. The domain types know nothing of GraphQL, so the
// interface has no methods; the generated executor switches on the type.
type Node any
