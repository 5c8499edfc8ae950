package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/creditgraph/creditgraph/dataloader"
	"github.com/vektah/gqlparser/v2/ast"
)

// Priming: a connection resolver knows every key of its page before gqlgen
// starts the nodes' resolvers, which then run concurrently and would reach
// the loaders spread over time. Fetching the whole page for each kind the
// query will use, at once, makes a page cost one statement per record kind
// whatever its size and however the scheduler runs.

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

// primeEnterprises fetches, in one store call per kind, every nested
// record kind the selected enterprise fields need, before the nodes'
// resolvers run.
func primeEnterprises(ctx context.Context, fields map[string]bool, usccs []string) error {
	return dataloader.For(ctx).Preload(ctx, usccs, wantOf(fields))
}

// wantOf names the record kinds the selected enterprise fields need.
func wantOf(fields map[string]bool) dataloader.Want {
	all := fields["creditSummary"]
	return dataloader.Want{
		Licenses:    all || fields["licenses"],
		Penalties:   all || fields["penalties"],
		Inspections: all || fields["inspections"],
		Abnormal:    all || fields["abnormalOperations"],
		Serious:     all || fields["seriousDishonesty"],
		Commitments: all || fields["commitments"],
	}
}

// primeEnterprise fetches one enterprise and, in the same round, every
// nested kind its selected fields need: a profile then costs one round of
// store calls (one round trip on PostgreSQL) instead of waiting for a
// loader window per level.
func primeEnterprise(ctx context.Context, uscc string) error {
	fields := map[string]bool{}
	for _, f := range graphql.CollectFieldsCtx(ctx, []string{"Enterprise"}) {
		fields[f.Name] = true
	}
	w := wantOf(fields)
	w.Enterprises = true
	return dataloader.For(ctx).Preload(ctx, []string{uscc}, w)
}
