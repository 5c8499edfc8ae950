package meter

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"github.com/99designs/gqlgen/graphql"
	"github.com/creditgraph/creditgraph/internal/apierr"
	"github.com/creditgraph/creditgraph/internal/cost"
	"github.com/creditgraph/creditgraph/internal/ratelimit"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Extension charges each operation after cost.Extension has priced it and
// before it runs; after it runs, it refunds the unused points and adds
// extensions.cost. In a dry run (rateLimit(dryRun: true)) the query is
// priced whole but only its rateLimit fields run, and nothing is spent. Use it after cost.Extension.
type Extension struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
	graphql.ResponseInterceptor
} = Extension{}

func (Extension) ExtensionName() string                          { return "Meter" }
func (Extension) Validate(schema graphql.ExecutableSchema) error { return nil }

// MutateOperationContext takes the query's requested cost from its budget.
func (Extension) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	st := From(ctx)
	if st == nil {
		return nil
	}
	c, _ := cost.OfOperation(oc)
	requested := max(1, c.Requested)
	dry := isDryRun(oc)
	if dry {
		oc.Operation = onlyRateLimit(oc.Operation)
	}
	res, err, paid := st.prepaidFor(ctx, requested, dry)
	if !paid {
		res, err = st.take(ctx, requested, c.Nodes, dry)
	}
	if err != nil || res.Allowed {
		return nil // the limiter only errs on bad input; never refuse on its account
	}
	msg := fmt.Sprintf("rate limit exceeded: this query costs %d points and %d of %d remain; retry in %.0f s",
		requested, res.Remaining, res.Limit, math.Ceil(res.RetryAfter.Seconds()))
	if requested > res.Limit {
		msg = fmt.Sprintf("this query costs %d points, more than your whole budget of %d: ask for fewer nodes", requested, res.Limit)
	}
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{
		"code": apierr.Throttled, "cost": st.costExtension(), "retryAfterSeconds": math.Ceil(res.RetryAfter.Seconds()),
	}}
}

// InterceptResponse refunds what the query did not use and reports the cost.
func (Extension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	st := From(ctx)
	if st == nil || resp == nil {
		return resp
	}
	if resp.Extensions == nil {
		resp.Extensions = map[string]any{}
	}
	resp.Extensions["cost"] = st.Settle(ctx, resp.Data)
	return resp
}

// Charge takes a query's requested cost from the budget, as the extension
// does once cost.Extension has priced it, for a request answered without
// executing (a response-cache hit). It reports false when the budget refused
// it: the caller must then let the request take the ordinary path, which
// refuses it with THROTTLED (a refused charge spends nothing).
//
// The charge stands for the request whichever path answers it: if the
// ordinary path runs after all, it uses this charge's outcome instead of
// taking the price again (see prepaidFor).
func (s *State) Charge(ctx context.Context, requested, nodes int) bool {
	requested = max(1, requested)
	res, err := s.take(ctx, requested, nodes, false)
	s.mu.Lock()
	s.prepaid, s.prepaidErr = requested, err
	s.mu.Unlock()
	return err != nil || res.Allowed // the limiter only errs on bad input
}

// prepaidFor returns the outcome of a Charge made for this request, if its
// price is the one the operation was just given. A Charge of another price
// (which the fast path's bookkeeping should make impossible) is undone, if
// it was granted, and the operation pays its own price.
func (s *State) prepaidFor(ctx context.Context, requested int, dry bool) (ratelimit.Result, error, bool) {
	s.mu.Lock()
	paid, perr, res := s.prepaid, s.prepaidErr, s.result
	s.prepaid, s.prepaidErr = 0, nil
	throttled := s.throttled
	s.mu.Unlock()
	if paid == 0 || res == nil {
		return ratelimit.Result{}, nil, false
	}
	if paid == requested && !dry {
		return *res, perr, true
	}
	if !throttled {
		_ = s.cfg.Limiter.Refund(context.WithoutCancel(ctx), s.Key, s.Budget, paid)
	}
	return ratelimit.Result{}, nil, false
}

// Settle refunds what a query with answer data did not use of its charge
// and returns extensions.cost. A request refused before it was charged
// (parse or validation errors, a query over its limits) or throttled cost
// nothing, and its throttleStatus is the budget as it stands.
func (s *State) Settle(ctx context.Context, data json.RawMessage) map[string]any {
	s.settle(ctx, data)
	return s.costExtension()
}

// AppendSettled is Settle that appends extensions.cost to b as JSON, byte
// for byte what json.Marshal makes of Settle's map, without building it.
func (s *State) AppendSettled(ctx context.Context, b []byte, data json.RawMessage) []byte {
	s.settle(ctx, data)
	return s.appendCost(b)
}

// settle is Settle without building extensions.cost.
func (s *State) settle(ctx context.Context, data json.RawMessage) {
	s.mu.Lock()
	requested, dry, charged, floor := s.requested, s.dryRun, s.result != nil && !s.throttled, s.floor
	s.mu.Unlock()
	if !charged {
		s.observe(ctx)
		return
	}
	actual := 0
	if !dry {
		actual = 1 // a query costs at least one point: no need to read the answer
		if requested > 1 {
			actual = min(requested, max(ActualCost(data), floor))
		}
	}
	s.mu.Lock()
	s.actual = actual
	refund := requested - actual
	if dry {
		refund = 0
	}
	s.mu.Unlock()
	if refund > 0 {
		if err := s.cfg.Limiter.Refund(context.WithoutCancel(ctx), s.Key, s.Budget, refund); err == nil {
			s.mu.Lock()
			s.result.Remaining = min(s.result.Limit, s.result.Remaining+refund)
			s.result.Used = s.result.Limit - s.result.Remaining
			s.mu.Unlock()
		}
	}
}

// observe reads the budget without spending from it, when nothing has read
// it yet for this request.
func (s *State) observe(ctx context.Context) {
	s.mu.Lock()
	known := s.result != nil
	s.mu.Unlock()
	if known {
		return
	}
	res, err := s.cfg.Limiter.Take(ctx, s.Key, s.Budget, 0)
	if err != nil {
		return
	}
	s.mu.Lock()
	if s.result == nil {
		s.result = &res
	}
	s.mu.Unlock()
}

// onlyRateLimit returns a copy of op that selects only its rateLimit
// fields: in a dry run nothing else executes. The parsed document is shared
// through the query cache, so it is copied, never changed.
func onlyRateLimit(op *ast.OperationDefinition) *ast.OperationDefinition {
	cp := *op
	cp.SelectionSet = nil
	for _, sel := range op.SelectionSet {
		if f, ok := sel.(*ast.Field); ok && (f.Name == "rateLimit" || f.Name == "__typename") {
			cp.SelectionSet = append(cp.SelectionSet, sel)
		}
	}
	return &cp
}

// isDryRun reports whether the operation asks rateLimit(dryRun: true).
func isDryRun(oc *graphql.OperationContext) bool {
	if oc.Operation == nil {
		return false
	}
	for _, sel := range oc.Operation.SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok || f.Name != "rateLimit" {
			continue
		}
		if a := f.Arguments.ForName("dryRun"); a != nil {
			if v, err := a.Value.Value(oc.Variables); err == nil && v == true {
				return true
			}
		}
	}
	return false
}

// ActualCost prices a response by what it returned, in the model of package
// cost: every connection or list of objects that was fetched is one call,
// and a query costs one point per hundred calls, at least one.
func ActualCost(data json.RawMessage) int {
	if len(data) == 0 {
		return 1
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return 1
	}
	calls := countCalls(v)
	return max(1, int(math.Round(float64(calls)/100)))
}

// countCalls counts connection objects (edges or nodes) and lists of objects
// outside connections.
func countCalls(v any) int {
	switch x := v.(type) {
	case map[string]any:
		n := 0
		_, edges := x["edges"]
		_, nodes := x["nodes"]
		if edges || nodes {
			n++
		}
		for k, c := range x {
			if arr, ok := c.([]any); ok && (k == "edges" || k == "nodes") {
				for _, e := range arr {
					n += countCalls(e)
				}
				continue
			}
			n += countCalls(c)
		}
		return n
	case []any:
		n := 0
		if len(x) > 0 {
			if _, obj := x[0].(map[string]any); obj {
				n++
			}
		}
		for _, e := range x {
			n += countCalls(e)
		}
		return n
	}
	return 0
}
