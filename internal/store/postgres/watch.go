package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/creditgraph/creditgraph/internal/store"
)

// Watch adds usccs to keyName's watchlist, all or none when it would
// overflow max. A transaction-level advisory lock on the key's name
// serialises the count and the insert of one key's concurrent watches.
func (s *Store) Watch(ctx context.Context, keyName string, usccs []string, max int) ([]bool, error) {
	var added []bool
	err := pgx.BeginFunc(ctx, s.write, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('watchlist:' || $1, 0))`, keyName); err != nil {
			return err
		}
		var have int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM watchlists WHERE key_name = $1`, keyName).Scan(&have); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT uscc FROM watchlists WHERE key_name = $1 AND uscc = ANY($2)`, keyName, usccs)
		if err != nil {
			return err
		}
		there, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		known := map[string]bool{}
		for _, u := range there {
			known[u] = true
		}
		added = make([]bool, len(usccs))
		var fresh []string
		for i, u := range usccs {
			if !known[u] {
				added[i], known[u] = true, true
				fresh = append(fresh, u)
			}
		}
		if have+len(fresh) > max {
			return fmt.Errorf("%w: %d codes watched, %d more asked, at most %d", store.ErrWatchlistFull, have, len(fresh), max)
		}
		_, err = tx.Exec(ctx, `INSERT INTO watchlists (key_name, uscc) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, keyName, fresh)
		return err
	})
	if err != nil {
		return nil, wrap("watch", err)
	}
	return added, nil
}

// Unwatch removes usccs from keyName's watchlist.
func (s *Store) Unwatch(ctx context.Context, keyName string, usccs []string) ([]bool, error) {
	rows, err := s.write.Query(ctx, `DELETE FROM watchlists WHERE key_name = $1 AND uscc = ANY($2) RETURNING uscc`, keyName, usccs)
	if err != nil {
		return nil, wrap("unwatch", err)
	}
	gone, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, wrap("unwatch", err)
	}
	was := map[string]bool{}
	for _, u := range gone {
		was[u] = true
	}
	out := make([]bool, len(usccs))
	for i, u := range usccs {
		out[i] = was[u]
		was[u] = false // a code named twice was removed once
	}
	return out, nil
}

// Watchlist pages through keyName's watchlist by USCC.
func (s *Store) Watchlist(ctx context.Context, keyName string, p store.Page) (store.Connection[store.WatchEntry], error) {
	fp := store.Fingerprint(keyName)
	after := ""
	if p.After != "" {
		k, err := store.DecodeCursor(p.After, store.CursorWatchlist, fp, 1)
		if err != nil {
			return store.Connection[store.WatchEntry]{}, err
		}
		after = k[0]
	}
	limit := p.Limit()
	rows, err := s.write.Query(ctx, `SELECT uscc, created_at FROM watchlists WHERE key_name = $1 AND uscc > $2
		ORDER BY uscc LIMIT $3`, keyName, after, limit+1)
	if err != nil {
		return store.Connection[store.WatchEntry]{}, wrap("watchlist", err)
	}
	es, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.WatchEntry, error) {
		var e store.WatchEntry
		err := r.Scan(&e.USCC, &e.CreatedAt)
		return e, err
	})
	if err != nil {
		return store.Connection[store.WatchEntry]{}, wrap("watchlist", err)
	}
	c := store.Connection[store.WatchEntry]{HasNext: len(es) > limit}
	c.Items = es[:min(limit, len(es))]
	for _, e := range c.Items {
		c.Cursors = append(c.Cursors, store.EncodeCursor(store.CursorWatchlist, fp, e.USCC))
	}
	return c, nil
}

// WatchlistCount is how many codes keyName watches.
func (s *Store) WatchlistCount(ctx context.Context, keyName string) (int, error) {
	var n int
	if err := s.write.QueryRow(ctx, `SELECT count(*) FROM watchlists WHERE key_name = $1`, keyName).Scan(&n); err != nil {
		return 0, wrap("watchlist count", err)
	}
	return n, nil
}
