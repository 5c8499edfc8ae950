package postgres

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Derived tables during a bulk load (migration 00018). search_postings,
// inspection_counts, listings' enterprise_key_areas and the repeat
// offenders' windows are kept by triggers on the tables an import fills;
// fired for every COPY of a bulk load they cost as much as the load itself
// (docs/BENCHMARKS.md section 25b). A bulk load drops them when it begins,
// keeping their definitions in deferred_triggers, and Finish builds each
// derived table once from the loaded tables, set-based, and creates the
// triggers again, in one transaction: the store is left as the triggers
// would have left it (TestBulkLoadSameAsApply). A load that stops half way
// leaves its definitions behind, and the next Migrate does the same, but
// for the windows, which depend on the disclosure settings Migrate does not
// know: it clears them, and the next serve or import computes them
// (RefreshRepeatWindows) while every read counts penalties instead.

// derivedTriggers are the triggers a bulk load defers. A trigger on the
// imported tables that is not here stays and fires per batch
// (TestDerivedTriggersAreKnown names any such).
var derivedTriggers = []string{
	"search_postings_insert", "search_postings_update", "search_postings_delete", // search_postings (00016)
	"penalties_windows_insert", "penalties_windows_update", "penalties_windows_delete", // penalty_windows_stale (00013)
	"inspections_counts_insert", "inspections_counts_update", "inspections_counts_delete", // inspection_counts (00014)
	"listings_key_areas", "enterprises_key_areas", // listings.enterprise_key_areas (00015)
}

// derivedTriggerTables are the tables derivedTriggers are on.
var derivedTriggerTables = []string{"enterprises", "penalties", "inspections", "listings"}

// postingsRows are search_postings' rows, from the loaded enterprises.
const postingsRows = `SELECT t.token, t.cls, e.status <> 'operating', e.uscc
		FROM enterprises e, search_posting_tokens(e.name_norm, e.former_norm) t`

// derivedBuilds fill the derived tables but search_postings from the
// loaded ones, as the migrations that added them did (restoreDerived
// empties them first).
var derivedBuilds = []string{
	`INSERT INTO inspection_counts
		SELECT substr(uscc, 3, 6), date_trunc('month', inspected_on)::date, coalesce(key_area, ''), result, count(*)
		FROM inspections GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
	`UPDATE listings l SET enterprise_key_areas = e.key_areas FROM enterprises e
		WHERE e.uscc = l.uscc AND l.enterprise_key_areas IS DISTINCT FROM e.key_areas`,
}

// insertPostings fills search_postings with one INSERT … SELECT.
func insertPostings(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `INSERT INTO search_postings (token, cls, closed, uscc) `+postingsRows)
	return err
}

// deferTriggers drops derivedTriggers, keeping each definition in
// deferred_triggers in the same transaction.
func deferTriggers(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid)
		FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
		WHERE NOT t.tgisinternal AND t.tgname = ANY($1) AND c.relnamespace = current_schema()::regnamespace
		ORDER BY t.tgname`, derivedTriggers)
	if err != nil {
		return err
	}
	type trigger struct{ name, table, def string }
	defs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (trigger, error) {
		var tr trigger
		err := r.Scan(&tr.name, &tr.table, &tr.def)
		return tr, err
	})
	if err != nil {
		return err
	}
	for _, tr := range defs {
		if _, err := tx.Exec(ctx, `INSERT INTO deferred_triggers (name, definition) VALUES ($1, $2)
			ON CONFLICT (name) DO NOTHING`, tr.name, tr.def); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DROP TRIGGER `+pgx.Identifier{tr.name}.Sanitize()+` ON `+
			pgx.Identifier{tr.table}.Sanitize()); err != nil {
			return err
		}
	}
	return nil
}

// restoreDerived creates the deferred triggers again and builds the tables
// they keep; it does nothing when none is deferred. postings fills the
// emptied search_postings (postingsRows). windows computes the
// repeat offenders' windows with a store's settings; without it (Migrate)
// they are cleared and marked as computed with none.
func restoreDerived(ctx context.Context, tx pgx.Tx, postings, windows func(context.Context, pgx.Tx) error) error {
	// FOR UPDATE: a second process restoring at the same time waits, then
	// finds the rows gone and does nothing.
	rows, err := tx.Query(ctx, `SELECT definition FROM deferred_triggers ORDER BY name FOR UPDATE`)
	if err != nil {
		return err
	}
	defs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(defs) == 0 {
		return err
	}
	// Writers wait from here to the commit, as they would for the
	// triggers' own locks, so the tables built read every write; SHARE
	// lets index builds on other connections go on meanwhile (Bulk.Finish),
	// and the triggers, whose creation waits for those, come last.
	if _, err := tx.Exec(ctx, `LOCK TABLE `+strings.Join(derivedTriggerTables, ", ")+` IN SHARE MODE`); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM deferred_triggers; TRUNCATE search_postings, inspection_counts`); err != nil {
		return err
	}
	if err := postings(ctx, tx); err != nil {
		return err
	}
	for _, q := range derivedBuilds {
		if _, err := tx.Exec(ctx, q); err != nil {
			return err
		}
	}
	if windows != nil {
		err = windows(ctx, tx)
	} else {
		_, err = tx.Exec(ctx, `TRUNCATE penalty_windows, penalty_windows_stale;
			UPDATE penalty_windows_meta SET settings = NULL`)
	}
	if err != nil {
		return err
	}
	for _, def := range defs {
		if _, err := tx.Exec(ctx, orReplace(def)); err != nil {
			return err
		}
	}
	return nil
}

// restoreDerivedAt is restoreDerived for Migrate, in a transaction of its
// own on a connection of its own.
func restoreDerivedAt(ctx context.Context, url string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error { return restoreDerived(ctx, tx, insertPostings, nil) })
}

// orReplace turns pg_get_triggerdef's "CREATE TRIGGER …" into "CREATE OR
// REPLACE TRIGGER …": another process may have created it meanwhile.
func orReplace(def string) string {
	if rest, ok := strings.CutPrefix(def, "CREATE TRIGGER "); ok {
		return "CREATE OR REPLACE TRIGGER " + rest
	}
	return def
}

// loadedWindows computes the windows of every enterprise after a bulk
// load, leaving what the load's writes would have left through
// applier.repeatWindows from the settings recorded when it began: when
// penalties were loaded, the windows computed and the settings recorded if
// they were this store's or none's, the settings cleared if another's.
func (bk *Bulk) loadedWindows(ctx context.Context, tx pgx.Tx) error {
	var any bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM penalties)`).Scan(&any); err != nil {
		return err
	}
	switch {
	case !any:
		_, err := tx.Exec(ctx, `UPDATE penalty_windows_meta SET settings = $1`, bk.windows)
		return err
	case bk.windows != nil && *bk.windows != bk.windowsID():
		return nil // cleared when the load began
	}
	return bk.writeAllWindows(ctx, tx)
}

// copyPostings fills search_postings for a bulk load's Finish: a second
// connection computes the rows (COPY (postingsRows) TO STDOUT) while tx
// COPYs them in, so the tokens are computed on one core and written on
// the other, and the rows go in by COPY's multi-row inserts rather than
// one heap insert and WAL record each (INSERT … SELECT; 134 s of a 217 s
// Finish at 1,000,000 enterprises, docs/BENCHMARKS.md section 32). The
// second connection's snapshot sees what tx's does: tx holds the
// enterprises in SHARE mode (restoreDerived), so no write to them commits
// between the two.
func (bk *Bulk) copyPostings(ctx context.Context, tx pgx.Tx) error {
	conn, err := bk.write.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	r, w := io.Pipe()
	out := make(chan error, 1)
	go func() {
		// CopyTo writes each row (one CopyData message) on its own, and
		// CopyFrom sends what one Read returns: unbuffered, every posting
		// cost a write to the server's socket (9 s of the importer's system
		// CPU at 200,000 enterprises, docs/BENCHMARKS.md section 36).
		bw := bufio.NewWriterSize(w, 64<<10)
		_, err := conn.Conn().PgConn().CopyTo(ctx, bw, `COPY (`+postingsRows+`) TO STDOUT`)
		if err == nil {
			err = bw.Flush()
		}
		w.CloseWithError(err) // nil: the reader sees EOF
		out <- err
	}()
	// FREEZE: restoreDerived emptied the table in this transaction, so
	// the rows go in frozen and their pages all-visible, and the import's
	// VACUUM at the end (Analyze) has nothing left to do to them.
	_, err = tx.Conn().PgConn().CopyFrom(ctx, r, `COPY search_postings (token, cls, closed, uscc) FROM STDIN (FREEZE)`)
	r.CloseWithError(errors.New("search postings: COPY FROM ended")) // a writer still blocked returns
	if errOut := <-out; err == nil {
		err = errOut
	}
	return err
}
