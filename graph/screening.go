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

// screen runs a screening through the request's loaders. Every enterprise
// it names — matched by code or name, or a candidate — is read once, whole
// (one statement, every kind, for the whole batch of inputs): the rows
// serve the flags, through the policy's view for the caller, the risk
// category, from the whole record, and whatever else the query selects of
// the enterprise.
func (r *queryResolver) screen(ctx context.Context, in []screening.Input) ([]*screening.Result, error) {
	meter.Floor(ctx, len(in)) // priced per input (cost.Model.ItemCost): not refunded
	l := dataloader.For(ctx)
	src := &loaderSource{l: l, r: r.Store, p: r.Policy, want: screeningWant(ctx), read: map[string]bool{}}
	s := screening.Screener{Policy: r.Policy, Settings: r.Screening}
	res, err := s.Screen(ctx, src, l.V.AsOf, in)
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
	if err := src.preload(ctx, usccs); err != nil { // the candidates: the rest are read
		return nil, err
	}
	out := make([]*screening.Result, len(res))
	for i := range res {
		out[i] = &res[i]
	}
	return out, nil
}

// screeningWant is what one read of a screened enterprise takes: the
// enterprise, the records its flags explain, and what the query selects of
// it — the licences too for a risk category (the whole record) or a
// selected licence list or credit summary.
func screeningWant(ctx context.Context) dataloader.Want {
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
	w := wantOf(fields)
	w.Enterprises, w.Penalties, w.Inspections, w.Abnormal, w.Serious, w.Commitments = true, true, true, true, true, true
	w.Licenses = w.Licenses || risk || fields["riskCategory"] || fields["riskAssessment"]
	return w
}

// loaderSource is screening's view of the store: the request's loaders,
// primed a whole batch at a time, at the caller's visibility.
type loaderSource struct {
	l    *dataloader.Loaders
	r    store.Reader
	p    credit.Policy
	want dataloader.Want
	read map[string]bool // the enterprises preload read (one request: no lock needed, Screen reads in turn)
}

// preload reads, whole, the enterprises of usccs it has not read yet, and
// primes the caller's loaders (the policy's view) and Full()'s with them.
func (s *loaderSource) preload(ctx context.Context, usccs []string) error {
	var todo []string
	for _, u := range usccs {
		if !s.read[u] {
			s.read[u] = true
			todo = append(todo, u)
		}
	}
	return s.l.PreloadWhole(ctx, s.p, todo, s.want)
}

func (s *loaderSource) Enterprises(ctx context.Context, usccs []string) ([]*credit.Enterprise, error) {
	if err := s.preload(ctx, usccs); err != nil {
		return nil, err
	}
	return s.l.Enterprise.LoadAll(ctx, usccs)
}

func (s *loaderSource) Records(ctx context.Context, usccs []string) ([]screening.Records, error) {
	if err := s.preload(ctx, usccs); err != nil {
		return nil, err
	}
	out := make([]screening.Records, len(usccs))
	var err error
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
func (s *loaderSource) Names(ctx context.Context, names []string, limit int, minScore float64) ([][]screening.Hit, []error, error) {
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
