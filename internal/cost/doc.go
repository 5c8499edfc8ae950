// Package cost prices a GraphQL operation before it runs, from the schema, the
// parsed document and its variables alone, so the gateway can refuse an
// over-cost query before any resolver or SQL statement runs. It owns the cost
// model and the per-query limits (Limits.Check); it must not do I/O, read the
// clock, keep state between calls or know about tiers, rate budgets or Redis:
// the rate limiter charges what Calculate returns.
//
// # The model (GitHub's, with Creditgraph's loaders in it)
//
// A field is a fetch when resolving it asks the store for rows:
//
//   - a connection: a field whose type is named *Connection. It returns up to
//     `first` items: the query's value (literal, or the variable, or the
//     variable's default), else the schema's default (20); values above 100 are
//     costed as 100 and values below 1 as the default, since the resolver
//     rejects them and store.Limit would read them as the default. The
//     connection's `nodes` and `edges { node }` are those same items, not a
//     second fetch;
//   - a list of objects without `first` (Enterprise.abnormalOperations,
//     seriousDishonesty, commitments): an estimated Model.ListSize items
//     (default 10, well above what an enterprise has: the demo's longest such
//     list has 2). Lists of scalars and enums are columns of their parent row
//     and are free;
//   - an object read by a loader (Model.Loaded: Query.enterprise,
//     Listing.enterprise, TypicalCase.enterprise, Enterprise.creditSummary):
//     one item.
//
// Parents are how many times a field is resolved: 1 at the root, times each
// enclosing fetch's items. Then, summing over every fetch in the operation:
//
//	Nodes     = Σ parents × items                       (GitHub's node count)
//	calls     = Σ parents + Σ 100 × FieldCost × parents (GitHub: one call per parent)
//	Requested = max(1, round(calls / 100))              (GitHub's rate-limit score)
//
// so 100 enterprises with penalties(first: 100) are 100 + 100×100 = 10,100
// nodes and 1 + 100 calls = 1 point. Model.FieldCost adds points to named
// fields, per resolution: by default each root-list totalCount (a COUNT over
// the filtered table, worth about a hundred page reads) costs 1 point. Each
// __schema or __type costs Model.IntrospectionCost (1) point and adds no nodes
// and no depth (the explorer's introspection query nests 13 levels); inside it
// only aliases count. __typename is free everywhere.
//
// Depth is the deepest field level (root fields are 1); Aliases counts every
// aliased field. Both are measured after expansion, as are nodes and calls.
//
// # What the model refuses to be fooled by
//
// The operation is walked as it will execute (the spec's CollectFields, as
// gqlgen implements it): fragments and inline fragments are expanded wherever
// they are spread, so a fragment spread under two parents costs twice;
// @skip and @include are evaluated with the variables (a skipped field costs
// nothing: it is not resolved); fields merge only when the spec merges them,
// that is same response name, same field and same arguments, so a connection
// asked under 30 aliases costs 30 times while a spread repeated in one
// selection set, which executes once, costs once. Each trick costs at least
// what it fetches.
//
// Calculate is safe on documents that were never validated: it follows a
// fragment spread once per selection set as the spec does, stops at MaxWalkDepth
// levels (fragment cycles through fields) and at MaxWalkFields expanded fields
// (fragment "bombs" that double at each level) with a *LimitError, and it
// reports unknown fields, types and fragments as ErrInvalid.
//
// # In gqlgen
//
// Extension prices each operation after validation and before execution,
// refuses one over its Limits with the LimitError's code, limit and measured
// value in extensions, and keeps the Cost for Of(ctx); FromOperation does the
// pricing alone. README.md has worked examples.
package cost
