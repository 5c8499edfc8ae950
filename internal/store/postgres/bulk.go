package postgres

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/feed"
	"github.com/creditgraph/creditgraph/internal/store"
)

// A bulk load is an import into a store with no records yet (the import
// command's default there, see server/import.go). It writes exactly what
// Apply writes — the same records, rejections, change feed and feed states,
// batch by batch, in the same order — and differs in how:
//
//   - the secondary indexes of the tables it fills are dropped when it
//     begins and built once when it ends (Finish), their definitions kept
//     in deferred_indexes meanwhile, so that a load that stops half way
//     leaves them to the next Migrate;
//   - so are the triggers that keep the derived tables (search postings,
//     inspection counts, listings' key areas, repeat offenders' windows):
//     Finish builds each table once from the loaded ones (derived.go);
//   - a batch's records are COPYed straight into their tables rather than
//     staged and upserted: each key is new (the primary key refuses it
//     otherwise, and the batch is then applied by Apply instead), so the
//     upsert has nothing to do but the reference check, made once per
//     batch in SQL, and the change feed computes every entry from the
//     batch (batchEntries) and COPYs every state as a new row;
//   - its transactions commit without waiting for the WAL flush
//     (synchronous_commit off): a crash may lose the last batches, which
//     the next import writes again, as after any stopped import.
type Bulk struct {
	*Store // Apply is the bulk load's; everything else the store's

	mu      sync.Mutex
	written int // records written so far
	analyse int // ANALYZE once written reaches it

	windows *string // the repeat offenders' windows' settings when it began
}

// firstAnalyse is when a bulk load first refreshes the planner's
// statistics; it does again each time the records written double. Each
// batch reads the tables it fills (references, risk categories, removals
// and repairs): plans made while a table was empty, which a connection
// keeps for its prepared statements until the table is analysed, scan it
// whole once it is not. At 1,000,000 enterprises the risk-category read of
// listings, planned on an empty table, took half of the load's time
// (docs/BENCHMARKS.md section 15).
const firstAnalyse = 20000

var _ store.BulkLoader = (*Store)(nil)

// keptIndexes are the secondary indexes a bulk load keeps: each batch
// reads the whole record of the enterprises it wrote to (their risk
// categories, for the change feed), and removals and repairs look up an
// enterprise's penalties and listings, through them.
var keptIndexes = []string{"licenses_uscc_idx", "penalties_uscc_idx", "inspections_uscc_idx", "listings_uscc_idx",
	"commitments_uscc_idx"}

// bulkTables are the tables whose secondary indexes a bulk load defers:
// those an import writes, and search_postings, which a trigger fills from
// enterprises (migration 00016).
var bulkTables = append(slices.Clone(importedTables), "search_postings")

// empty reports whether the store holds no record and no change.
func (s *Store) empty(ctx context.Context) (bool, error) {
	q := make([]string, len(importedTables))
	for i, t := range importedTables {
		q[i] = `EXISTS (SELECT 1 FROM ` + t + `)`
	}
	var some bool
	err := s.write.QueryRow(ctx, `SELECT `+strings.Join(q, " OR ")).Scan(&some)
	return !some, err
}

// BeginBulk starts a bulk load when the store holds no record and no
// change: it drops the secondary indexes of the tables an import fills,
// keeping their definitions in deferred_indexes, and the derived tables'
// triggers, keeping theirs in deferred_triggers. Apply the batches with
// the load's Apply, then call Finish, also after a failed import.
func (s *Store) BeginBulk(ctx context.Context) (store.BulkLoad, bool, error) {
	empty, err := s.empty(ctx)
	if err != nil || !empty {
		return nil, false, wrap("bulk load", err)
	}
	var windows *string
	err = pgx.BeginFunc(ctx, s.write, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT ic.relname, pg_get_indexdef(i.indexrelid)
			FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid
			WHERE tc.relname = ANY($1) AND tc.relnamespace = current_schema()::regnamespace
				AND NOT i.indisprimary AND NOT i.indisunique AND ic.relname <> ALL($2)
			ORDER BY ic.relname`, bulkTables, keptIndexes)
		if err != nil {
			return err
		}
		type index struct{ name, def string }
		defs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (index, error) {
			var ix index
			err := r.Scan(&ix.name, &ix.def)
			return ix, err
		})
		if err != nil {
			return err
		}
		for _, ix := range defs {
			if _, err := tx.Exec(ctx, `INSERT INTO deferred_indexes (name, definition) VALUES ($1, $2)
				ON CONFLICT (name) DO NOTHING`, ix.name, ix.def); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DROP INDEX `+pgx.Identifier{ix.name}.Sanitize()); err != nil {
				return err
			}
		}
		if err := deferTriggers(ctx, tx); err != nil {
			return err
		}
		// Reads count penalties while the windows are not kept; Finish
		// computes them and restores the settings (loadedWindows).
		if err := tx.QueryRow(ctx, `SELECT settings FROM penalty_windows_meta FOR UPDATE`).Scan(&windows); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE penalty_windows_meta SET settings = NULL`)
		return err
	})
	if err != nil {
		return nil, false, wrap("bulk load", err)
	}
	return &Bulk{Store: s, analyse: firstAnalyse, windows: windows}, true, nil
}

// Finish builds the derived tables and the indexes the load deferred, two
// at a time on two connections: an index build, and the derived tables'
// statements, keep one core busy each (GIN builds and INSERT … SELECT are
// never parallel). The derived tables' transaction holds the tables it
// fills until it commits, so while it runs the other connection builds the
// indexes of the others (it only reads enterprises, penalties and
// inspections, and its last statements, which create their triggers, wait
// for the index builds under way); then both build the rest, the largest
// tables' first.
func (bk *Bulk) Finish(ctx context.Context) error {
	db := stdlib.OpenDBFromPool(bk.write)
	defer db.Close()
	defs, err := bk.deferredBySize(ctx, db)
	if err != nil {
		return wrap("bulk load: indexes", err)
	}
	var mu sync.Mutex
	var free, locked []deferredIndex // free: on tables the derived builds leave alone
	for _, ix := range defs {
		if slices.Contains(derivedLocks, ix.table()) {
			locked = append(locked, ix)
		} else {
			free = append(free, ix)
		}
	}
	build := func(queue *[]deferredIndex) error {
		for {
			mu.Lock()
			if len(*queue) == 0 {
				mu.Unlock()
				return nil
			}
			ix := (*queue)[0]
			*queue = (*queue)[1:]
			mu.Unlock()
			if err := ix.build(ctx, db); err != nil {
				return err
			}
		}
	}
	derived := make(chan struct{})
	var derivedErr, err1, err2 error
	var wg sync.WaitGroup
	wg.Go(func() {
		derivedErr = bk.buildDerived(ctx)
		close(derived)
		if derivedErr == nil {
			if err1 = build(&free); err1 == nil {
				err1 = build(&locked)
			}
		}
	})
	wg.Go(func() {
		if err2 = build(&free); err2 == nil {
			if <-derived; derivedErr == nil {
				err2 = build(&locked)
			}
		}
	})
	wg.Wait()
	if derivedErr != nil {
		return wrap("bulk load: derived tables", derivedErr)
	}
	return wrap("build deferred indexes", errors.Join(err1, err2))
}

// derivedLocks are the tables the derived tables' transaction writes: an
// index build on one of them would wait for its commit.
var derivedLocks = []string{"search_postings", "inspection_counts", "listings", "penalty_windows", "penalty_windows_stale"}

// buildDerived builds the derived tables and creates their triggers again,
// in one transaction under the feed's lock (the windows are written under
// it).
func (bk *Bulk) buildDerived(ctx context.Context) error {
	return pgx.BeginFunc(ctx, bk.write, func(tx pgx.Tx) error {
		if _, err := bk.lockFeed(ctx, tx); err != nil {
			return err
		}
		return restoreDerived(ctx, tx, bk.copyPostings, bk.loadedWindows)
	})
}

// deferredBySize returns the deferred indexes, those of the largest tables
// first: the longest builds start first, and the two connections end
// together.
func (bk *Bulk) deferredBySize(ctx context.Context, db *sql.DB) ([]deferredIndex, error) {
	defs, err := deferredIndexes(ctx, db)
	if err != nil || len(defs) == 0 {
		return defs, err
	}
	rows, err := bk.write.Query(ctx, `SELECT relname, pg_relation_size(oid) FROM pg_class
		WHERE relname = ANY($1) AND relkind = 'r' AND relnamespace = current_schema()::regnamespace`, bulkTables)
	if err != nil {
		return nil, err
	}
	size := map[string]int64{}
	var name string
	var n int64
	if _, err := pgx.ForEachRow(rows, []any{&name, &n}, func() error { size[name] = n; return nil }); err != nil {
		return nil, err
	}
	slices.SortStableFunc(defs, func(x, y deferredIndex) int { return cmp.Compare(size[y.table()], size[x.table()]) })
	return defs, nil
}

// Apply writes a batch as Store.Apply does (see Bulk). A batch one of
// whose keys is stored already is applied by Store.Apply.
func (bk *Bulk) Apply(ctx context.Context, b *store.Batch) ([]store.Rejection, error) {
	if b == nil {
		return nil, nil
	}
	b.Displaced = nil // every record it writes is new: none moves
	if b.Len() == 0 {
		return nil, nil
	}
	rej, err := bk.apply(ctx, b)
	var pe *pgconn.PgError
	if (errors.As(err, &pe) && pe.Code == "23505" || retryable(err)) && ctx.Err() == nil {
		return bk.Store.Apply(ctx, b)
	}
	if err != nil {
		return nil, wrap("apply", err)
	}
	if err := bk.analyseAsItGrows(ctx, b.Len()-len(rej)); err != nil {
		return nil, err
	}
	slices.SortStableFunc(rej, func(x, y store.Rejection) int { return cmp.Compare(x.Line, y.Line) })
	return rej, nil
}

// analyseAsItGrows counts n more records written and analyses the tables
// the load fills each time the count doubles (see firstAnalyse).
func (bk *Bulk) analyseAsItGrows(ctx context.Context, n int) error {
	bk.mu.Lock()
	bk.written += n
	due := bk.written >= bk.analyse
	if due {
		bk.analyse = 2 * bk.written
	}
	bk.mu.Unlock()
	if !due {
		return nil
	}
	// Statistics only, of the columns the load's statements look rows up
	// by, from a tenth of the default sample: the plans of lookups by key
	// need the tables' sizes and about how many rows a key finds, not
	// histograms. The import's Analyze at the end does every column with
	// the default sample, and vacuums.
	err := pgx.BeginFunc(ctx, bk.write, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `SET LOCAL default_statistics_target = 10; ANALYZE `+analysedAsItGrows)
		return err
	})
	return wrap("analyze", err)
}

// analysedAsItGrows are the columns a bulk load's statements find rows by
// (references, removals and repairs, risk categories and feed states read
// back): their statistics are all the load's plans need. The other
// columns' statistics (free text, arrays, the search columns) cost most
// of an ANALYZE and are left to the import's Analyze at the end.
const analysedAsItGrows = `enterprises (uscc), licenses (license_number, uscc), penalties (decision_number, uscc, violation_type),
	inspections (inspection_id, uscc), listings (list, decision_number, uscc), commitments (commitment_id, uscc),
	typical_cases (case_id), feed_state (record_type, record_id, next_check)`

func (bk *Bulk) apply(ctx context.Context, b *store.Batch) ([]store.Rejection, error) {
	tx, err := bk.write.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	if _, err := tx.Exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
		return nil, err
	}
	a := &applier{s: bk.Store, tx: tx}
	plan, err := a.planRecords(ctx, b)
	if err != nil {
		return nil, err
	}
	// The feed's entries of the new records are computed while
	// PostgreSQL takes the COPYs, on an applier of their own: every
	// owner is known already, so it reads nothing.
	day := credit.DateOf(b.Now)
	if b.Now.IsZero() {
		day = credit.DateOf(time.Now())
	}
	spec := &applier{s: a.s, rejected: slices.Clone(a.rejected), fresh: maps.Clone(a.fresh)}
	var ahead map[feed.Key]feed.Entry
	var aheadErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		ahead, aheadErr = spec.batchEntries(ctx, b, day, plan.owners)
	}()
	defer func() { <-done }()
	a.ahead = func(d time.Time) (map[feed.Key]feed.Entry, bool) {
		<-done
		if aheadErr != nil || !d.Equal(day) { // the feed reached a later day: compute again
			return nil, false
		}
		a.fresh = spec.fresh
		return ahead, true
	}
	if err := a.copyRecords(ctx, plan); err != nil {
		return nil, err
	}
	return a.finish(ctx, b)
}

// recordsPlan is what a bulk batch COPYs: per kind (in kinds' order) the
// rows to write, and the stored enterprises its records name.
type recordsPlan struct {
	rows   [][][]any
	owners map[string]*credit.Enterprise
}

// planRecords decides what the batch's records COPY: per key the last line
// whose enterprise is stored or in the batch (the row the upsert's
// DISTINCT ON would write), in key order; the others are rejected as the
// upsert rejects them. Every key to be written is fresh.
func (a *applier) planRecords(ctx context.Context, b *store.Batch) (*recordsPlan, error) {
	rows := make([][][]any, len(kinds))
	inBatch := make(map[string]bool, len(b.Enterprises))
	for _, l := range b.Enterprises {
		inBatch[l.V.USCC] = true
	}
	var refs []string
	seen := map[string]bool{}
	for ki, k := range kinds {
		rows[ki] = make([][]any, k.rows(b))
		for i := range rows[ki] {
			r := k.row(b, i)
			rows[ki][i] = r
			if ref, ok := refOf(k, r); ok && !seen[ref] && !inBatch[ref] {
				seen[ref] = true
				refs = append(refs, ref)
			}
		}
	}
	owners, err := a.storedEnterprises(ctx, refs)
	if err != nil {
		return nil, err
	}
	plan := &recordsPlan{rows: make([][][]any, len(kinds)), owners: owners}
	for ki, k := range kinds {
		last := map[string][]any{}
		for _, r := range rows[ki] {
			if ref, ok := refOf(k, r); ok && !inBatch[ref] && owners[ref] == nil {
				a.reject(r[0].(int), store.CodeUnknownReference,
					"%s refers to enterprise %s, which is neither stored nor in this import", k.record, ref)
				continue
			}
			key := rowKey(k, r)
			if prev, ok := last[key]; !ok || prev[0].(int) < r[0].(int) {
				last[key] = r
			}
		}
		for _, key := range slices.Sorted(maps.Keys(last)) {
			r := last[key]
			plan.rows[ki] = append(plan.rows[ki], r[1:])
			var x, y string
			x = r[k.keyAt[0]].(string)
			if len(k.keyAt) == 2 {
				y = r[k.keyAt[1]].(string)
			}
			a.inserted(k.feedKey(x, y))
		}
	}
	return plan, nil
}

// copyRecords COPYs what planRecords decided, enterprises first.
func (a *applier) copyRecords(ctx context.Context, plan *recordsPlan) error {
	for ki, k := range kinds {
		if len(plan.rows[ki]) == 0 {
			continue
		}
		if err := copyText(ctx, a.tx, k.table, k.copyColumns[1:], k.copyTypes, plan.rows[ki]); err != nil {
			return err
		}
	}
	return nil
}

// refOf returns the enterprise a row refers to, if any.
func refOf(k *kind, r []any) (string, bool) {
	if k.ref == "" {
		return "", false
	}
	switch v := r[k.refAt].(type) {
	case string:
		return v, true
	case *string:
		if v != nil {
			return *v, true
		}
	}
	return "", false
}

func rowKey(k *kind, r []any) string {
	if len(k.keyAt) == 1 {
		return r[k.keyAt[0]].(string)
	}
	return r[k.keyAt[0]].(string) + "\x00" + r[k.keyAt[1]].(string)
}

// storedEnterprises reads the stored enterprises among usccs, by USCC.
func (a *applier) storedEnterprises(ctx context.Context, usccs []string) (map[string]*credit.Enterprise, error) {
	out := make(map[string]*credit.Enterprise, len(usccs))
	if len(usccs) == 0 {
		return out, nil
	}
	if err := a.readOwners(ctx, usccs, out); err != nil {
		return nil, fmt.Errorf("references: %w", err)
	}
	return out, nil
}
