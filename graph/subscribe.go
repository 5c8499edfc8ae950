package graph

import (
	"context"
	"errors"

	"github.com/creditgraph/creditgraph/dataloader"
	"github.com/creditgraph/creditgraph/graph/model"
	"github.com/creditgraph/creditgraph/internal/apierr"
	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/feedstream"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Streams is what a change subscription needs besides the store
// (feedstream.Hub): a slot per key, and wake-ups.
type Streams interface {
	Open(key string) (release func(), err error)
	Armed() <-chan struct{}
	Wait(ctx context.Context, armed <-chan struct{}) bool
}

// subscribe replays the feed from after, then follows it: each time the
// feed may have grown (a wake-up or the poll interval) it reads the pages
// after the last change sent. Each page is read as of the clock's date then,
// so date-driven changes arrive on their day, and with fresh loaders, so a
// record is as the caller sees it when it is sent. The first page is read
// before the stream opens: a bad or expired cursor is an error, not an
// empty stream.
func (r *Resolver) subscribe(ctx context.Context, after *string, filter *model.ChangeFilter) (<-chan *model.Change, error) {
	fd, err := r.feed()
	if err != nil {
		return nil, err
	}
	if r.Streams == nil || r.Clock == nil {
		return nil, apierr.New(apierr.Unavailable, "change subscriptions are not configured on this server")
	}
	p, err := feedPage(after, nil, nil)
	if err != nil {
		return nil, err
	}
	f, err := changeFilter(ctx, filter)
	if err != nil {
		return nil, err
	}
	c := auth.FromContext(ctx)
	release, err := r.Streams.Open(c.KeyName)
	if errors.Is(err, feedstream.ErrTooManyStreams) {
		return nil, apierr.New(apierr.TooManyStreams, "%v: close one first", err)
	}
	if err != nil {
		return nil, err
	}
	armed := r.Streams.Armed()
	v := credit.VisibilityAt(c.Tier, r.Clock())
	first, err := fd.Changes(ctx, v, f, p)
	if err != nil {
		release()
		return nil, err
	}
	out := make(chan *model.Change)
	go func() {
		defer release()
		defer close(out)
		page := first
		for {
			l := dataloader.New(r.Store, v)
			nodes, err := r.changeNodes(ctx, l, page.Changes, true)
			if err != nil {
				r.Log.WarnContext(ctx, "change stream: read failed; the stream ends (resume with the last cursor)", "err", err)
				return
			}
			for _, n := range nodes {
				// Nested fields resolve through the request's loaders:
				// cleared, they read the store as it is now.
				dataloader.For(ctx).Reset()
				select {
				case out <- n:
				case <-ctx.Done():
					return
				}
			}
			if !page.HasNext {
				if !r.Streams.Wait(ctx, armed) {
					return
				}
				armed = r.Streams.Armed()
			}
			v = credit.VisibilityAt(c.Tier, r.Clock())
			if page, err = fd.Changes(ctx, v, f, store.Page{First: p.First, After: page.EndCursor}); err != nil {
				r.Log.WarnContext(ctx, "change stream: read failed; the stream ends (resume with the last cursor)", "err", err)
				return
			}
		}
	}()
	return out, nil
}
