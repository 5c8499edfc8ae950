package graph

import (
	"context"
	"errors"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"golang.org/x/sync/errgroup"

	"github.com/creditgraph/creditgraph/dataloader"
	"github.com/creditgraph/creditgraph/graph/model"
	"github.com/creditgraph/creditgraph/internal/apierr"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/meter"
	"github.com/creditgraph/creditgraph/internal/screening"
	"github.com/creditgraph/creditgraph/internal/search"
	"github.com/creditgraph/creditgraph/internal/store"
)

// screeningInputs reads the batch from `inputs` or its contract alias
// `queries`: exactly one of them.
func screeningInputs(inputs []*model.ScreeningInput, queries []*model.ScreeningQuery) ([]screening.Input, error) {
	switch {
	case inputs != nil && queries != nil:
		return nil, apierr.BadInput("give the counterparties in `inputs` or in `queries` (its deprecated alias), not both")
	case inputs == nil && queries == nil:
		return nil, apierr.BadInput("give the counterparties to screen in `inputs`")
	}
	var out []screening.Input
	for _, in := range inputs {
		out = append(out, screening.Input{Ref: in.Ref, USCC: in.Uscc, Name: in.Name})
	}
	for _, q := range queries {
		out = append(out, screening.Input{Ref: q.Ref, USCC: q.Uscc, Name: q.Name})
	}
	if len(out) > screening.MaxInputs {
		return nil, apierr.BadInput("%s", screening.ErrTooMany{N: len(out)}.Error())
	}
	return out, nil
}

// screen runs a screening through the request's loaders, then primes them
// for what the query selects of the matched enterprises and candidates
// (their records, their risk category), one statement per kind for the
// whole batch.
func (r *queryResolver) screen(ctx context.Context, in []screening.Input) ([]*screening.Result, error) {
	meter.Floor(ctx, len(in)) // priced per input (cost.Model.ItemCost): not refunded
	l := dataloader.For(ctx)
	s := screening.Screener{Policy: r.Policy, Settings: r.Screening}
	res, err := s.Screen(ctx, loaderSource{l: l, r: r.Store}, l.V.AsOf, in)
	if err != nil {
		return nil, err
	}
	var usccs []string
	for i := range res {
		if e := res[i].Enterprise; e != nil {
			usccs = append(usccs, e.USCC)
		}
		for _, c := range res[i].Candidates {
			usccs = append(usccs, c.Enterprise.USCC)
		}
	}
	if err := primeScreening(ctx, usccs); err != nil {
		return nil, err
	}
	out := make([]*screening.Result, len(res))
	for i := range res {
		out[i] = &res[i]
	}
	return out, nil
}

// primeScreening fetches what the selection needs of the enterprises a
// screening names: their selected records, and the whole record behind
// riskCategory.
func primeScreening(ctx context.Context, usccs []string) error {
	if len(usccs) == 0 {
		return nil
	}
	op := graphql.GetOperationContext(ctx)
	fields, risk := map[string]bool{}, false
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		switch f.Name {
		case "riskCategory":
			risk = true
		case "enterprise":
			for _, ef := range graphql.CollectFields(op, f.Selections, []string{"Enterprise"}) {
				fields[ef.Name] = true
			}
		case "candidates":
			for _, cf := range graphql.CollectFields(op, f.Selections, nil) {
				if cf.Name == "enterprise" {
					for _, ef := range graphql.CollectFields(op, cf.Selections, []string{"Enterprise"}) {
						fields[ef.Name] = true
					}
				}
			}
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return primeEnterprises(gctx, fields, usccs) })
	if risk || fields["riskCategory"] || fields["riskAssessment"] {
		g.Go(func() error {
			return dataloader.For(gctx).Full().Preload(gctx, usccs, dataloader.Want{Licenses: true, Penalties: true,
				Inspections: true, Abnormal: true, Serious: true, Commitments: true})
		})
	}
	return g.Wait()
}

// loaderSource is screening's view of the store: the request's loaders,
// primed a whole batch at a time, at the caller's visibility.
type loaderSource struct {
	l *dataloader.Loaders
	r store.Reader
}

func (s loaderSource) Enterprises(ctx context.Context, usccs []string) ([]*credit.Enterprise, error) {
	if err := s.l.PreloadEnterprises(ctx, usccs); err != nil {
		return nil, err
	}
	return s.l.Enterprise.LoadAll(ctx, usccs)
}

func (s loaderSource) Records(ctx context.Context, usccs []string) ([]screening.Records, error) {
	err := s.l.Preload(ctx, usccs, dataloader.Want{Penalties: true, Inspections: true, Abnormal: true, Serious: true, Commitments: true})
	if err != nil {
		return nil, err
	}
	out := make([]screening.Records, len(usccs))
	for i, u := range usccs {
		rec := &out[i]
		if rec.Penalties, err = s.l.Penalties.Load(ctx, u); err != nil {
			return nil, err
		}
		if rec.Inspections, err = s.l.Inspections.Load(ctx, u); err != nil {
			return nil, err
		}
		if rec.Abnormal, err = s.l.Abnormal.Load(ctx, u); err != nil {
			return nil, err
		}
		if rec.Serious, err = s.l.Serious.Load(ctx, u); err != nil {
			return nil, err
		}
		if rec.Commitments, err = s.l.Commitments.Load(ctx, u); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Names ranks enterprises by name with package search, each name one
// store search at the caller's visibility, a few at a time.
func (s loaderSource) Names(ctx context.Context, names []string, limit int, minScore float64) ([][]screening.Hit, []error, error) {
	hits := make([][]screening.Hit, len(names))
	errs := make([]error, len(names))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(nameSearchesAtOnce)
	for i, n := range names {
		g.Go(func() error {
			found, err := store.FindByName(gctx, s.r, s.l.V, n, limit, minScore)
			if errors.Is(err, search.ErrQuery) {
				errs[i] = fmt.Errorf("%w: %w", screening.ErrBadName, err)
				return nil
			}
			if err != nil {
				return err
			}
			for k := range found {
				hits[i] = append(hits[i], screening.Hit{Enterprise: &found[k].Enterprise, Score: found[k].Score()})
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	return hits, errs, nil
}

// nameSearchesAtOnce bounds the concurrent name searches of one screening,
// so that a batch of 100 names does not take the whole connection pool.
const nameSearchesAtOnce = 4
