package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/creditgraph/creditgraph/graph/model"
	"github.com/creditgraph/creditgraph/internal/apierr"
	"github.com/creditgraph/creditgraph/internal/audit"
	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/credit"
)

// Directives implements @disclosure. (@redacted is documentation only:
// redaction happens below every read path, in credit.Policy's views, so
// gqlgen.yml marks it skip_runtime.)
//
// @disclosure is the second wall: a caller's schema (see TierSchema) does
// not even contain fields above its tier, so validation refuses them; should
// a query reach a tiered field anyway, execution refuses it with FORBIDDEN.
// REGULATOR reads of REGULATOR-tier fields are noted for the audit log.
func Directives() DirectiveRoot {
	return DirectiveRoot{
		Disclosure: func(ctx context.Context, obj any, next graphql.Resolver, tier credit.Tier) (any, error) {
			c := auth.FromContext(ctx)
			fc := graphql.GetFieldContext(ctx)
			if c.Tier < tier {
				return nil, apierr.New(apierr.Forbidden, "field %s.%s needs the %s tier", fc.Object, fc.Field.Name, tier)
			}
			if tier == credit.TierRegulator {
				audit.Note(ctx, operationName(ctx), fc.Object+"."+fc.Field.Name, usccOf(obj))
			}
			return next(ctx)
		},
	}
}

func operationName(ctx context.Context) string {
	oc := graphql.GetOperationContext(ctx)
	if oc == nil || oc.Operation == nil {
		return "query"
	}
	name := string(oc.Operation.Operation)
	if oc.Operation.Name != "" {
		name += " " + oc.Operation.Name
	}
	return name
}

// usccOf names the enterprise a record belongs to, for the audit log.
func usccOf(obj any) string {
	switch o := obj.(type) {
	case *credit.Enterprise:
		return o.USCC
	case *credit.Penalty:
		return o.USCC
	case *credit.Listing:
		return o.USCC
	case *credit.License:
		return o.USCC
	case *credit.Inspection:
		return o.USCC
	case *credit.Commitment:
		return o.USCC
	case *model.CreditSummary:
		return o.USCC
	case *credit.TypicalCase:
		if o.USCC != nil {
			return *o.USCC
		}
	}
	return ""
}
