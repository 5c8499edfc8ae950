package cost

import (
	"errors"
	"fmt"
	"maps"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// Cost is what an operation asks for, measured before it runs.
type Cost struct {
	// Requested is the rate-limit score in points: max(1, round(calls/100)).
	Requested int
	// Nodes is how many items the operation may return from fetches.
	Nodes int
	// Depth is the deepest field level; root fields are level 1.
	Depth int
	// Aliases is how many aliased fields the operation has, fragments expanded.
	Aliases int
}

// Page sizes, as the resolvers and store.Limit apply them.
const (
	// MaxFirst is the largest `first` a connection accepts; larger values are
	// costed as MaxFirst (the resolver rejects them anyway).
	MaxFirst = 100
	// DefaultFirst is a connection's `first` when neither the query nor the
	// schema gives one.
	DefaultFirst = 20
	// MaxItems is the most items a batch field (Model.ItemsFromArgs) is
	// priced at: its resolver refuses more.
	MaxItems = 100
)

// CallsPerPoint is GitHub's divisor: 100 calls make one point.
const CallsPerPoint = 100

// ErrInvalid is returned (wrapped) for a document Calculate cannot price
// because it does not fit the schema: validation would have refused it.
var ErrInvalid = errors.New("cost: invalid operation")

// Model holds the numbers the schema cannot say. Keys are "Type.field".
// DefaultModel is Creditgraph's; a Model must not be changed while
// Calculate runs with it.
type Model struct {
	// Loaded lists object (not list) fields whose resolver fetches: each
	// resolution is one call and one node.
	Loaded map[string]bool
	// ListSize is the estimated length of lists of objects that take no
	// `first`; others use DefaultListSize. Sizes below 1 mean 10.
	ListSize        map[string]int
	DefaultListSize int
	// FieldCost adds points to a field, per resolution (per parent object),
	// for fields that cost more than a page read: counts, screening, export.
	FieldCost map[string]int
	// ItemsFromArgs lists list fields whose length is the total length of
	// the named list arguments (one result per input: nodes(ids:), a
	// screening batch), priced at that length, at most MaxItems, instead of
	// by ListSize; ItemCost adds points per such item.
	ItemsFromArgs map[string][]string
	ItemCost      map[string]int
	// IntrospectionCost is the points of each __schema or __type field.
	IntrospectionCost int
}

// DefaultModel returns Creditgraph's model; the maps are fresh copies.
func DefaultModel() Model {
	return Model{
		Loaded: map[string]bool{
			"Query.enterprise":          true, // loader by USCC
			"Query.node":                true, // one read by natural key
			"Listing.enterprise":        true, // loader by USCC
			"TypicalCase.enterprise":    true, // loader by USCC
			"Enterprise.creditSummary":  true, // six loaders: every record kind
			"Enterprise.riskAssessment": true, // six loaders over the whole record
		},
		ListSize: map[string]int{
			"Enterprise.abnormalOperations":   10,
			"Enterprise.seriousDishonesty":    10,
			"Enterprise.commitments":          10,
			"RiskAssessment.factors":          20,   // at most one per factor code
			"RecordedCounts.penaltiesByState": 5,    // one per disclosure state
			"WatchResult.items":               1000, // one per code given, at most 1,000 a call
			// Statistics buckets: months of the range, top violation types,
			// Fujian's counties, key areas, reasons, results.
			"PenaltyStatistics.byMonth":         60,
			"PenaltyStatistics.byViolationType": 20,
			"PenaltyStatistics.byRegion":        100,
			"ListingStatistics.byMonth":         60,
			"ListingStatistics.byKeyArea":       10,
			"ListingStatistics.byReasonCode":    4,
			"InspectionStatistics.byResult":     4,
			"ScreeningResult.candidates":        5, // SCREENING_MAX_CANDIDATES
			"ScreeningResult.flags":             6, // at most one per flag code
		},
		DefaultListSize: 10,
		FieldCost: map[string]int{
			// A COUNT(*) over the filtered table; the page itself is a keyset
			// range read. Nested connections count in memory: free.
			"EnterpriseConnection.totalCount":  1,
			"ListingConnection.totalCount":     1,
			"TypicalCaseConnection.totalCount": 1,
			// A COUNT over every name the query matches.
			"EnterpriseSearchConnection.totalCount": 1,
			"WatchlistConnection.totalCount":        1,
			// A write of up to 1,000 rows, and the count after it.
			"Mutation.watch":   2,
			"Mutation.unwatch": 2,
			// A stream holds a connection and reads the feed each time it
			// wakes: its opening is charged like a page of it.
			"Subscription.changes": 1,
			// An aggregate over every visible penalty of the period, for
			// the page and again for the count.
			"Query.repeatOffenders":               1,
			"RepeatOffenderConnection.totalCount": 1,
			// Six grouped scans of penalties, listings and inspections.
			"Query.statistics": 2,
		},
		ItemsFromArgs: map[string][]string{
			"Query.nodes": {"ids"}, // one read by natural key per ID, in one store call
			// Screening: one result per input, each a lookup by code or a
			// ranked name search, its records and its risk: one point each.
			"Query.screenCounterparties": {"inputs", "queries"},
		},
		ItemCost:          map[string]int{"Query.screenCounterparties": 1},
		IntrospectionCost: 1,
	}
}

// Clone returns m with copies of its maps, to change without touching m.
func (m Model) Clone() Model {
	m.Loaded = maps.Clone(m.Loaded)
	m.ListSize = maps.Clone(m.ListSize)
	m.FieldCost = maps.Clone(m.FieldCost)
	m.ItemsFromArgs = maps.Clone(m.ItemsFromArgs)
	m.ItemCost = maps.Clone(m.ItemCost)
	return m
}

var defaultModel = DefaultModel()

// Calculate prices op, an operation of doc, with vars (gqlgen's coerced
// variables, or raw JSON-decoded ones) under DefaultModel.
func Calculate(schema *ast.Schema, doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any) (Cost, error) {
	return defaultModel.Calculate(schema, doc, op, vars)
}

// FromOperation prices the operation gqlgen is about to run under
// DefaultModel.
func FromOperation(schema *ast.Schema, oc *graphql.OperationContext) (Cost, error) {
	return defaultModel.FromOperation(schema, oc)
}

// FromOperation prices the operation gqlgen is about to run: oc.Operation
// (or the one oc.OperationName names) of oc.Doc, with oc.Variables.
func (m *Model) FromOperation(schema *ast.Schema, oc *graphql.OperationContext) (Cost, error) {
	if oc == nil || oc.Doc == nil {
		return Cost{}, fmt.Errorf("%w: no document", ErrInvalid)
	}
	op := oc.Operation
	if op == nil {
		op = oc.Doc.Operations.ForName(oc.OperationName)
	}
	return m.Calculate(schema, oc.Doc, op, oc.Variables)
}

// Calculate prices op, an operation of doc, with vars. A *LimitError means
// the operation is too deep or too large to price at all; an error wrapping
// ErrInvalid means it does not fit the schema.
func (m *Model) Calculate(schema *ast.Schema, doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any) (Cost, error) {
	if m == nil {
		m = &defaultModel
	}
	if schema == nil || doc == nil || op == nil {
		return Cost{}, fmt.Errorf("%w: no schema, document or operation", ErrInvalid)
	}
	var root *ast.Definition
	switch op.Operation {
	case ast.Query, "":
		root = schema.Query
	case ast.Mutation:
		root = schema.Mutation
	case ast.Subscription:
		root = schema.Subscription
	}
	if root == nil {
		return Cost{}, fmt.Errorf("%w: the schema has no %s type", ErrInvalid, op.Operation)
	}
	w := walkers.Get().(*walker)
	defer w.release()
	w.m, w.schema, w.doc, w.op, w.vars = m, schema, doc, op, vars
	w.costedNames()
	if err := w.selectionSet(root, op.SelectionSet, nil, 1, 1, 1, false); err != nil {
		return Cost{}, err
	}
	return Cost{
		Requested: max(1, satAdd(w.calls, CallsPerPoint/2)/CallsPerPoint),
		Nodes:     w.nodes,
		Depth:     w.depth,
		Aliases:   w.aliases,
	}, nil
}
