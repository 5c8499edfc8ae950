package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/stdlib"
)

// BuildDeferredIndexes builds every index a bulk load dropped (see Bulk),
// each in a transaction of its own that also forgets its definition. It is
// a no-op when there are none; Migrate calls it, so that an index a
// stopped load left behind is built before the store is used.
func (s *Store) BuildDeferredIndexes(ctx context.Context) error {
	db := stdlib.OpenDBFromPool(s.write)
	defer db.Close()
	return wrap("build deferred indexes", buildDeferredIndexes(ctx, db))
}

// buildDeferredIndexes builds the indexes deferred_indexes lists. An index
// that exists already (another process built it) is only forgotten.
func buildDeferredIndexes(ctx context.Context, db *sql.DB) error {
	defs, err := deferredIndexes(ctx, db)
	if err != nil {
		return err
	}
	for _, ix := range defs {
		if err := ix.build(ctx, db); err != nil {
			return err
		}
	}
	return nil
}

// deferredIndex is a row of deferred_indexes.
type deferredIndex struct{ name, def string }

// deferredIndexes reads deferred_indexes, by name.
func deferredIndexes(ctx context.Context, db *sql.DB) ([]deferredIndex, error) {
	rows, err := db.QueryContext(ctx, `SELECT name, definition FROM deferred_indexes ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var defs []deferredIndex
	for rows.Next() {
		var ix deferredIndex
		if err := rows.Scan(&ix.name, &ix.def); err != nil {
			return nil, err
		}
		defs = append(defs, ix)
	}
	return defs, rows.Err()
}

// table is the table the index is on, from pg_get_indexdef's "… ON
// [ONLY] schema.table USING …".
func (ix deferredIndex) table() string {
	_, rest, _ := strings.Cut(ix.def, " ON ")
	rest = strings.TrimPrefix(rest, "ONLY ")
	rel, _, _ := strings.Cut(rest, " ")
	if i := strings.LastIndexByte(rel, '.'); i >= 0 {
		rel = rel[i+1:]
	}
	return rel
}

func (ix deferredIndex) build(ctx context.Context, db *sql.DB) error {
	if err := buildIndex(ctx, db, ix.name, ix.def); err != nil {
		return fmt.Errorf("index %s: %w", ix.name, err)
	}
	return nil
}

func buildIndex(ctx context.Context, db *sql.DB, name, def string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	// A sort in memory rather than in many runs on disk; the session's
	// own setting, the server's stays as it is.
	if _, err := tx.ExecContext(ctx, `SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, ifNotExists(def)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM deferred_indexes WHERE name = $1`, name); err != nil {
		return err
	}
	return tx.Commit()
}

// ifNotExists turns pg_get_indexdef's "CREATE [UNIQUE] INDEX name ON …"
// into "CREATE [UNIQUE] INDEX IF NOT EXISTS name ON …".
func ifNotExists(def string) string {
	for _, p := range []string{"CREATE UNIQUE INDEX ", "CREATE INDEX "} {
		if rest, ok := strings.CutPrefix(def, p); ok {
			return p + "IF NOT EXISTS " + rest
		}
	}
	return def
}
