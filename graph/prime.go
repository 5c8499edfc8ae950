package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/creditgraph/creditgraph/dataloader"
	"github.com/vektah/gqlparser/v2/ast"
)

// Priming: a connection resolver knows every key of its page before gqlgen
// starts the nodes' resolvers, which then run concurrently and would reach
// the loaders spread over time. Registering the whole page with each loader
// the query will use, at once, makes a page cost one statement per record
// kind whatever its size and however the scheduler runs.

// nodeFields returns the fields selected on a connection's nodes, through
// both `nodes { … }` and `edges { node { … } }`.
func nodeFields(ctx context.Context, typ string) map[string]bool {
	op := graphql.GetOperationContext(ctx)
	out := map[string]bool{}
	var add func(sel ast.SelectionSet)
	add = func(sel ast.SelectionSet) {
		for _, f := range graphql.CollectFields(op, sel, []string{typ}) {
			out[f.Name] = true
		}
	}
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		switch f.Name {
		case "nodes":
			add(f.Selections)
		case "edges":
			for _, e := range graphql.CollectFields(op, f.Selections, nil) {
				if e.Name == "node" {
					add(e.Selections)
				}
			}
		}
	}
	return out
}

// primeEnterprises starts, in one batch per kind, every nested load the
// selected enterprise fields need.
func primeEnterprises(ctx context.Context, fields map[string]bool, usccs []string) {
	if len(usccs) == 0 {
		return
	}
	l := dataloader.For(ctx)
	all := fields["creditSummary"]
	if all || fields["licenses"] {
		l.Licenses.LoadAllThunk(ctx, usccs)
	}
	if all || fields["penalties"] {
		l.Penalties.LoadAllThunk(ctx, usccs)
	}
	if all || fields["inspections"] {
		l.Inspections.LoadAllThunk(ctx, usccs)
	}
	if all || fields["abnormalOperations"] {
		l.Abnormal.LoadAllThunk(ctx, usccs)
	}
	if all || fields["seriousDishonesty"] {
		l.Serious.LoadAllThunk(ctx, usccs)
	}
	if all || fields["commitments"] {
		l.Commitments.LoadAllThunk(ctx, usccs)
	}
}

// selectedFields returns the fields selected on the current field's object.
func selectedFields(ctx context.Context) map[string]bool {
	out := map[string]bool{}
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		out[f.Name] = true
	}
	return out
}
