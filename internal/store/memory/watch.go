package memory

import (
	"context"
	"fmt"
	"time"

	"github.com/creditgraph/creditgraph/internal/store"
)

// watchlists are kept under amu, like keys: written on the request path.

// Watch adds usccs to keyName's watchlist, all or none when it would
// overflow max.
func (s *Store) Watch(ctx context.Context, keyName string, usccs []string, max int) ([]bool, error) {
	s.amu.Lock()
	defer s.amu.Unlock()
	w := s.watch[keyName]
	added := make([]bool, len(usccs))
	fresh := map[string]bool{}
	for i, u := range usccs {
		if _, ok := w[u]; !ok && !fresh[u] {
			added[i], fresh[u] = true, true
		}
	}
	if len(w)+len(fresh) > max {
		return nil, fmt.Errorf("%w: %d codes watched, %d more asked, at most %d", store.ErrWatchlistFull, len(w), len(fresh), max)
	}
	if w == nil {
		w = map[string]time.Time{}
		s.watch[keyName] = w
	}
	now := s.now().UTC()
	for u := range fresh {
		w[u] = now
	}
	return added, ctx.Err()
}

// Unwatch removes usccs from keyName's watchlist.
func (s *Store) Unwatch(ctx context.Context, keyName string, usccs []string) ([]bool, error) {
	s.amu.Lock()
	defer s.amu.Unlock()
	w := s.watch[keyName]
	out := make([]bool, len(usccs))
	for i, u := range usccs {
		if _, ok := w[u]; ok {
			out[i] = true
			delete(w, u)
		}
	}
	return out, ctx.Err()
}

// Watchlist pages through keyName's watchlist by USCC.
func (s *Store) Watchlist(ctx context.Context, keyName string, p store.Page) (store.Connection[store.WatchEntry], error) {
	o := order[store.WatchEntry]{kind: store.CursorWatchlist, nkeys: 1,
		key: func(e store.WatchEntry) []string { return []string{e.USCC} }, cmp: ascending}
	fp := store.Fingerprint(keyName)
	after, err := o.after(p, fp)
	if err != nil {
		return store.Connection[store.WatchEntry]{}, err
	}
	s.amu.Lock()
	rows := make([]store.WatchEntry, 0, len(s.watch[keyName]))
	for u, at := range s.watch[keyName] {
		rows = append(rows, store.WatchEntry{USCC: u, CreatedAt: at})
	}
	s.amu.Unlock()
	return o.page(rows, after, fp, p.Limit()), ctx.Err()
}

// WatchlistCount is how many codes keyName watches.
func (s *Store) WatchlistCount(ctx context.Context, keyName string) (int, error) {
	s.amu.Lock()
	defer s.amu.Unlock()
	return len(s.watch[keyName]), ctx.Err()
}

// watchedSet is keyName's watchlist as a set; nil for no key.
func (s *Store) watchedSet(keyName string) (map[string]bool, error) {
	if keyName == "" {
		return nil, nil
	}
	s.amu.Lock()
	defer s.amu.Unlock()
	out := make(map[string]bool, len(s.watch[keyName]))
	for u := range s.watch[keyName] {
		out[u] = true
	}
	return out, nil
}
