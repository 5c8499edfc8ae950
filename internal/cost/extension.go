package cost

import (
	"context"
	"errors"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Extension is a gqlgen handler extension that prices every operation after
// validation and before execution, keeps the Cost in the operation's stats
// (read it with Of) and refuses an operation over its limits with the
// LimitError's code, limit and measured value in extensions. Use one
// Extension per handler.Server: it prices against that server's schema.
type Extension struct {
	// Model is the cost model; nil means DefaultModel.
	Model *Model
	// Limits returns the limits for an operation (by caller, say); nil
	// means DefaultLimits.
	Limits func(ctx context.Context, oc *graphql.OperationContext) Limits

	schema *ast.Schema
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = (*Extension)(nil)

const statsKey = "creditgraph/cost"

// ExtensionName names the extension for gqlgen.
func (*Extension) ExtensionName() string { return "Cost" }

// Validate binds the extension to the server's schema.
func (e *Extension) Validate(es graphql.ExecutableSchema) error {
	s := es.Schema()
	if e.schema != nil && e.schema != s {
		return errors.New("cost: an Extension is already in use by another server; make one per handler.Server")
	}
	e.schema = s
	return nil
}

// MutateOperationContext prices oc and refuses it when it is over limits.
func (e *Extension) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	m := e.Model
	if m == nil {
		m = &defaultModel
	}
	c, err := m.FromOperation(e.schema, oc)
	if err == nil {
		oc.Stats.SetExtension(statsKey, c)
		limits := DefaultLimits()
		if e.Limits != nil {
			limits = e.Limits(ctx, oc)
		}
		err = limits.Check(c)
	}
	if err == nil {
		return nil
	}
	var le *LimitError
	if errors.As(err, &le) {
		return &gqlerror.Error{Message: le.Message, Extensions: le.Extensions()}
	}
	// Validation passed, so the model and the schema disagree: refuse
	// rather than run an operation nobody priced.
	ge := gqlerror.Errorf("the query could not be priced: %v", err)
	errcode.Set(ge, errcode.ValidationFailed)
	return ge
}

// Of returns the Cost Extension computed for the operation running in ctx.
func Of(ctx context.Context) (Cost, bool) {
	if !graphql.HasOperationContext(ctx) {
		return Cost{}, false
	}
	c, ok := graphql.GetOperationContext(ctx).Stats.GetExtension(statsKey).(Cost)
	return c, ok
}

// OfOperation returns the Cost the Extension computed for oc; for use by
// later OperationContextMutators (a rate limiter), which run before ctx
// carries oc.
func OfOperation(oc *graphql.OperationContext) (Cost, bool) {
	c, ok := oc.Stats.GetExtension(statsKey).(Cost)
	return c, ok
}
