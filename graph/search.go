package graph

import (
	"context"
	"errors"

	"github.com/creditgraph/creditgraph/dataloader"
	"github.com/creditgraph/creditgraph/graph/model"
	"github.com/creditgraph/creditgraph/internal/apierr"
	"github.com/creditgraph/creditgraph/internal/search"
)

// searchEnterprises answers Query.searchEnterprises: the query is parsed
// and ranked by package search, the store pages the hits.
func (r *queryResolver) searchEnterprises(ctx context.Context, text string, filter *model.EnterpriseFilter, first *int, after *string) (*model.EnterpriseSearchConnection, error) {
	q, err := search.Parse(text)
	if errors.Is(err, search.ErrQuery) {
		return nil, apierr.BadInput("searchEnterprises `query` %q: %v", text, err)
	}
	if err != nil {
		return nil, err
	}
	f, err := enterpriseFilter(filter)
	if err != nil {
		return nil, err
	}
	p, err := storePage(first, after)
	if err != nil {
		return nil, err
	}
	v := dataloader.For(ctx).V
	conn, err := r.Store.SearchEnterprises(ctx, v, q, f, p)
	if err != nil {
		return nil, err
	}
	usccs := make([]string, len(conn.Items))
	for i := range conn.Items {
		usccs[i] = conn.Items[i].Enterprise.USCC
		dataloader.For(ctx).Enterprise.Prime(usccs[i], &conn.Items[i].Enterprise)
	}
	if err := primeEnterprises(ctx, nodeFields(ctx, "Enterprise"), usccs); err != nil {
		return nil, err
	}
	c := &model.EnterpriseSearchConnection{
		PageInfo: pageInfo(conn.Cursors, conn.HasNext),
		Count:    func(ctx context.Context) (int, error) { return r.Store.CountSearchEnterprises(ctx, v, q, f) },
	}
	for i := range conn.Items {
		h := &conn.Items[i]
		c.Nodes = append(c.Nodes, &h.Enterprise)
		c.Edges = append(c.Edges, &model.EnterpriseSearchEdge{Cursor: conn.Cursors[i], Node: &h.Enterprise,
			Score: h.Score(), MatchKind: h.Tier, MatchedName: h.Name, MatchedFormerName: h.Former})
	}
	return c, nil
}
