package cost

import "fmt"

// Codes a LimitError carries, for extensions.code.
const (
	CodeMaxCost    = "MAX_COST_EXCEEDED"
	CodeMaxNodes   = "MAX_NODES_EXCEEDED"
	CodeMaxDepth   = "MAX_DEPTH_EXCEEDED"
	CodeMaxAliases = "MAX_ALIASES_EXCEEDED"
	// CodeMaxFields is Calculate's own: the operation expands to more than
	// MaxWalkFields fields and is refused without being priced.
	CodeMaxFields = "MAX_FIELDS_EXCEEDED"
)

// Walk bounds: Calculate refuses, with a *LimitError, an operation it would
// take too long to price. No honest query comes near them: the explorer's
// introspection query is 13 levels deep, the profile query ~60 fields.
const (
	MaxWalkDepth  = 64
	MaxWalkFields = 10_000
)

// Limits are the per-query limits. A zero field means its default; a
// negative one means no limit.
type Limits struct {
	// MaxCost is the most points one query may request (default 1000).
	MaxCost int
	// MaxNodes is the most nodes one query may request (default 50,000).
	MaxNodes int
	// MaxDepth is the deepest field level allowed (default 12).
	MaxDepth int
	// MaxAliases is the most aliased fields allowed (default 30).
	MaxAliases int
}

// Defaults. GitHub allows 500,000 nodes; Creditgraph's nested loaders read
// every record of each parent enterprise, not just a page of them, and a node
// is a few hundred bytes of JSON, so 50,000 (10–25 MB) is the bound: it admits the
// widest honest page, 100 enterprises each with all three nested connections
// at first: 100 and every list (100 + 100×(3×100 + 3×10 + 1) = 33,200 nodes),
// and refuses fan-out through a second level (enterprises → listings →
// enterprise → penalties(first: 100): 102,100 nodes).
const (
	DefaultMaxCost    = 1000
	DefaultMaxNodes   = 50_000
	DefaultMaxDepth   = 12
	DefaultMaxAliases = 30
)

// DefaultLimits returns the default limits.
func DefaultLimits() Limits {
	return Limits{MaxCost: DefaultMaxCost, MaxNodes: DefaultMaxNodes, MaxDepth: DefaultMaxDepth, MaxAliases: DefaultMaxAliases}
}

// LimitError is a query refused for its shape or size. Its Message is safe
// to show the caller and names the limit and the measured value.
type LimitError struct {
	Code     string
	Limit    int
	Measured int
	Message  string
}

func (e *LimitError) Error() string { return e.Message }

// Extensions are the GraphQL error extensions for e (gqlgen's ExtendedError).
func (e *LimitError) Extensions() map[string]any {
	return map[string]any{"code": e.Code, "limit": e.Limit, "measured": e.Measured}
}

// Check returns a *LimitError for the first limit c exceeds, checking depth,
// aliases, nodes and cost in that order (shape first: it is what a client
// must change), or nil.
func (l Limits) Check(c Cost) error {
	checks := [...]struct {
		code            string
		limit, measured int
		dflt            int
		format          string
	}{
		{CodeMaxDepth, l.MaxDepth, c.Depth, DefaultMaxDepth, "query depth %[1]d exceeds the limit of %[2]d levels"},
		{CodeMaxAliases, l.MaxAliases, c.Aliases, DefaultMaxAliases, "query has %[1]d aliased fields; the limit is %[2]d"},
		{CodeMaxNodes, l.MaxNodes, c.Nodes, DefaultMaxNodes, "query requests up to %[1]d nodes; the limit is %[2]d per query (lower `first` on nested connections)"},
		{CodeMaxCost, l.MaxCost, c.Requested, DefaultMaxCost, "query cost %[1]d points exceeds the limit of %[2]d points per query"},
	}
	for _, x := range checks {
		limit := x.limit
		if limit == 0 {
			limit = x.dflt
		}
		if limit > 0 && x.measured > limit {
			return &LimitError{Code: x.code, Limit: limit, Measured: x.measured, Message: fmt.Sprintf(x.format, x.measured, limit)}
		}
	}
	return nil
}

func walkDepthError() *LimitError {
	return &LimitError{
		Code: CodeMaxDepth, Limit: MaxWalkDepth, Measured: MaxWalkDepth + 1,
		Message: fmt.Sprintf("query nests deeper than %d levels (a fragment cycle?): it was not run", MaxWalkDepth),
	}
}

func walkFieldsError() *LimitError {
	return &LimitError{
		Code: CodeMaxFields, Limit: MaxWalkFields, Measured: MaxWalkFields + 1,
		Message: fmt.Sprintf("query expands to more than %d fields (fragments and aliases expanded): it was not run", MaxWalkFields),
	}
}
