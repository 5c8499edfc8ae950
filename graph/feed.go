package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/creditgraph/creditgraph/dataloader"
	"github.com/creditgraph/creditgraph/graph/model"
	"github.com/creditgraph/creditgraph/internal/apierr"
	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/feed"
	"github.com/creditgraph/creditgraph/internal/store"
)

// The change feed and watchlists: argument checks, then the store's Feed.
// What a change is and who sees it are package feed's and the store's.

// Limits of one call.
const (
	// DefaultChangesFirst is a feed page's size when `first` is not given.
	DefaultChangesFirst = 100
	// MaxWatchCodes is how many codes one watch, unwatch or filter may name.
	MaxWatchCodes = 1000
)

func (r *Resolver) feed() (store.Feed, error) {
	if r.Feed == nil {
		return nil, fmt.Errorf("graph: no change feed configured: %w", store.ErrUnavailable)
	}
	return r.Feed, nil
}

// keyName is the caller's API key name, which owns its watchlist.
func keyName(ctx context.Context) (string, error) {
	c := auth.FromContext(ctx)
	if c.KeyName == "" {
		return "", apierr.New(apierr.Forbidden, "watchlists belong to an API key: call with one")
	}
	return c.KeyName, nil
}

// changeFilter checks a GraphQL filter and turns it into the store's.
func changeFilter(ctx context.Context, f *model.ChangeFilter) (store.ChangeFilter, error) {
	var out store.ChangeFilter
	if f == nil {
		return out, nil
	}
	if deref(f.Watchlist) {
		k, err := keyName(ctx)
		if err != nil {
			return out, err
		}
		out.Watchlist = k
	}
	if len(f.Usccs) > MaxWatchCodes {
		return out, apierr.BadInput("filter.usccs names %d codes; at most %d", len(f.Usccs), MaxWatchCodes)
	}
	for _, u := range f.Usccs {
		code, err := credit.ParseUSCC(u)
		if err != nil {
			return out, apierr.New(apierr.InvalidUSCC, "filter.usccs: %v", err)
		}
		out.USCCs = append(out.USCCs, code)
	}
	out.Types = f.RecordTypes
	region, err := regionPrefix(f.RegionCode)
	if err != nil {
		return out, err
	}
	out.RegionPrefix = region
	out.KeyArea = deref(f.KeyArea)
	return out, nil
}

// feedPage checks a feed page's arguments: `first` 1..100 (default 100),
// `after` or its deprecated alias `since` (not both, unless equal).
func feedPage(after, since *string, first *int) (store.Page, error) {
	n := DefaultChangesFirst
	if first != nil {
		if *first < 1 || *first > store.MaxFirst {
			return store.Page{}, apierr.BadInput("`first` must be between 1 and %d, got %d", store.MaxFirst, *first)
		}
		n = *first
	}
	p := store.Page{First: n, After: deref(after)}
	if s := deref(since); s != "" {
		if p.After != "" && p.After != s {
			return store.Page{}, apierr.BadInput("give `after` or its deprecated alias `since`, not both")
		}
		p.After = s
	}
	return p, nil
}

func (r *Resolver) changes(ctx context.Context, after, since *string, first *int, filter *model.ChangeFilter) (*model.ChangeConnection, error) {
	fd, err := r.feed()
	if err != nil {
		return nil, err
	}
	p, err := feedPage(after, since, first)
	if err != nil {
		return nil, err
	}
	f, err := changeFilter(ctx, filter)
	if err != nil {
		return nil, err
	}
	l := dataloader.For(ctx)
	page, err := fd.Changes(ctx, l.V, f, p)
	if err != nil {
		return nil, err
	}
	withRecords := nodeFields(ctx, "Change")["record"]
	nodes, err := r.changeNodes(ctx, l, page.Changes, withRecords)
	if err != nil {
		return nil, err
	}
	conn := &model.ChangeConnection{Nodes: nodes, Edges: make([]*model.ChangeEdge, len(nodes)),
		PageInfo: &model.PageInfo{HasNextPage: page.HasNext}}
	for i, n := range nodes {
		conn.Edges[i] = &model.ChangeEdge{Cursor: n.Cursor, Node: n}
	}
	if len(nodes) > 0 {
		conn.PageInfo.StartCursor = &nodes[0].Cursor
	}
	conn.PageInfo.EndCursor = &page.EndCursor // also on an empty page: poll with it
	return conn, nil
}

// changeNodes turns the store's changes into GraphQL nodes, with each
// record as l's caller sees it now when withRecords: one store call per
// record kind the page holds.
func (r *Resolver) changeNodes(ctx context.Context, l *dataloader.Loaders, cs []feed.Change, withRecords bool) ([]*model.Change, error) {
	cs = slices.DeleteFunc(slices.Clone(cs), func(c feed.Change) bool { return !feed.Visible(c.Key.Type, l.V.Tier) }) // the store drops them too
	out := make([]*model.Change, len(cs))
	for i, c := range cs {
		k := c.Public
		if !l.V.Public() {
			k = c.Regulator
		}
		n := &model.Change{Cursor: store.ChangeCursor(c.Seq), At: c.At.UTC(), RecordType: c.Key.Type, RecordID: c.Key.ID,
			Kind: model.ChangeKind(k.String())}
		if c.USCC != "" {
			n.Uscc = &c.USCC
		}
		if c.Reason != "" && !l.V.Public() {
			reason := c.Reason
			n.Reason = &reason
		}
		out[i] = n
	}
	if !withRecords {
		return out, nil
	}
	recs, err := r.records(ctx, l, cs)
	if err != nil {
		return nil, err
	}
	for i, n := range out {
		if n.Kind != model.ChangeKindDisappeared {
			n.Record = recs[i]
		}
	}
	return out, nil
}

// records returns each change's record as l's caller sees it now, nil
// where the caller no longer sees it: one store.RecordsByKey call for the
// page's records (the mechanism node(id:) uses), and the risk category,
// which is derived, from the enterprise's whole record.
func (r *Resolver) records(ctx context.Context, l *dataloader.Loaders, cs []feed.Change) ([]model.ChangeRecord, error) {
	var keys []store.RecordKey
	var at []int
	var risky []string
	for i, c := range cs {
		if c.Key.Type == feed.RiskCategory {
			risky = append(risky, c.USCC)
			continue
		}
		if kind, ok := recordKinds[c.Key.Type]; ok {
			keys = append(keys, store.RecordKey{Kind: kind, Key: c.Key.ID})
			at = append(at, i)
		}
	}
	out := make([]model.ChangeRecord, len(cs))
	if len(keys) > 0 {
		recs, err := r.Store.RecordsByKey(ctx, l.V, keys)
		if err != nil {
			return nil, err
		}
		for j, rec := range recs {
			if n := nodeOf(rec); n != nil {
				out[at[j]] = n.(model.ChangeRecord)
			}
			if rec != nil && rec.Enterprise != nil {
				l.Enterprise.Prime(rec.Enterprise.USCC, rec.Enterprise)
			}
		}
	}
	if len(risky) == 0 {
		return out, nil
	}
	if err := l.PreloadEnterprises(ctx, risky); err != nil {
		return nil, err
	}
	all := dataloader.Want{Enterprises: true, Licenses: true, Penalties: true, Inspections: true, Abnormal: true, Serious: true, Commitments: true}
	if err := l.Full().Preload(ctx, risky, all); err != nil { // the model reads the whole record, as a regulator
		return nil, err
	}
	for i, c := range cs {
		if c.Key.Type != feed.RiskCategory {
			continue
		}
		rec, err := r.riskRecord(ctx, l, c.USCC)
		if err != nil {
			return nil, err
		}
		out[i] = rec
	}
	return out, nil
}

// recordKinds maps a change's record type to the store's record kind.
var recordKinds = map[feed.RecordType]store.RecordKind{
	feed.Enterprise: store.KindEnterprise, feed.License: store.KindLicense, feed.Penalty: store.KindPenalty,
	feed.Inspection: store.KindInspection, feed.AbnormalListing: store.KindAbnormalListing,
	feed.SeriousListing: store.KindSeriousListing, feed.Commitment: store.KindCommitment, feed.TypicalCase: store.KindTypicalCase,
}

// riskRecord is the risk category of the enterprise uscc as l's caller
// sees it now: Enterprise.riskCategory's letter; nil when the enterprise
// is gone or the caller's tier is below the category's.
func (r *Resolver) riskRecord(ctx context.Context, l *dataloader.Loaders, uscc string) (model.ChangeRecord, error) {
	if !feed.Visible(feed.RiskCategory, l.V.Tier) {
		return nil, nil
	}
	e, err := l.Enterprise.Load(ctx, uscc)
	if err != nil || e == nil {
		return nil, err
	}
	a, err := (&enterpriseResolver{r}).assess(ctx, e)
	if err != nil {
		return nil, err
	}
	return &model.RiskCategoryRecord{Uscc: uscc, Category: a.Category, AsOf: l.V.AsOf}, nil
}

// watchCodes checks the codes of a watch or unwatch: each valid one in
// canonical form, each invalid one as an INVALID item.
func watchCodes(usccs []string) (items []*model.WatchItem, valid []string, at []int, err error) {
	if len(usccs) == 0 {
		return nil, nil, nil, apierr.BadInput("usccs is empty: name at least one code")
	}
	if len(usccs) > MaxWatchCodes {
		return nil, nil, nil, apierr.BadInput("usccs names %d codes; at most %d per call", len(usccs), MaxWatchCodes)
	}
	items = make([]*model.WatchItem, len(usccs))
	for i, u := range usccs {
		code, perr := credit.ParseUSCC(u)
		if perr != nil {
			msg := perr.Error()
			items[i] = &model.WatchItem{Uscc: u, Status: model.WatchStatusInvalid, Message: &msg}
			continue
		}
		items[i] = &model.WatchItem{Uscc: code}
		valid = append(valid, code)
		at = append(at, i)
	}
	return items, valid, at, nil
}

func (r *Resolver) watch(ctx context.Context, usccs []string, add bool) (*model.WatchResult, error) {
	fd, err := r.feed()
	if err != nil {
		return nil, err
	}
	k, err := keyName(ctx)
	if err != nil {
		return nil, err
	}
	items, valid, at, err := watchCodes(usccs)
	if err != nil {
		return nil, err
	}
	if len(valid) > 0 {
		var done []bool
		if add {
			done, err = fd.Watch(ctx, k, valid, r.WatchlistMax)
		} else {
			done, err = fd.Unwatch(ctx, k, valid)
		}
		if errors.Is(err, store.ErrWatchlistFull) {
			return nil, apierr.BadInput("the watchlist of key %q would pass WATCHLIST_MAX (%d): %s; nothing was added", k, r.WatchlistMax, strings.TrimPrefix(err.Error(), store.ErrWatchlistFull.Error()+": "))
		}
		if err != nil {
			return nil, err
		}
		for j, i := range at {
			items[i].Status = watchStatus(add, done[j])
		}
	}
	n, err := fd.WatchlistCount(ctx, k)
	if err != nil {
		return nil, err
	}
	return &model.WatchResult{Items: items, WatchedCount: n}, nil
}

func watchStatus(add, done bool) model.WatchStatus {
	switch {
	case add && done:
		return model.WatchStatusAdded
	case add:
		return model.WatchStatusAlreadyWatched
	case done:
		return model.WatchStatusRemoved
	}
	return model.WatchStatusNotWatched
}

func (r *Resolver) watchlist(ctx context.Context, first *int, after *string) (*model.WatchlistConnection, error) {
	fd, err := r.feed()
	if err != nil {
		return nil, err
	}
	k, err := keyName(ctx)
	if err != nil {
		return nil, err
	}
	p, err := storePage(first, after)
	if err != nil {
		return nil, err
	}
	c, err := fd.Watchlist(ctx, k, p)
	if err != nil {
		return nil, err
	}
	conn := &model.WatchlistConnection{PageInfo: pageInfo(c.Cursors, c.HasNext)}
	usccs := make([]string, len(c.Items))
	for i, e := range c.Items {
		usccs[i] = e.USCC
		n := &model.WatchedEnterprise{Uscc: e.USCC, Since: e.CreatedAt.UTC()}
		conn.Nodes = append(conn.Nodes, n)
		conn.Edges = append(conn.Edges, &model.WatchlistEdge{Cursor: c.Cursors[i], Node: n})
	}
	if nodeFields(ctx, "WatchedEnterprise")["enterprise"] {
		if err := dataloader.For(ctx).PreloadEnterprises(ctx, usccs); err != nil {
			return nil, err
		}
	}
	return conn, nil
}
