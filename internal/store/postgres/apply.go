package postgres

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/creditgraph/creditgraph/internal/feed"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Apply writes a batch in one transaction, in the order every backend
// shares: enterprises, then the other records, then removals, then repairs.
// Records are COPYed into temporary staging tables and upserted from there
// with one INSERT … SELECT … ON CONFLICT per kind, in key order (so that
// concurrent batches lock rows in the same order). A record naming an
// enterprise that is neither stored nor in the batch is rejected with
// store.CodeUnknownReference; within a batch, the last line of a natural key
// wins. Removals and repairs are few: each is checked by the policy with
// facts gathered in SQL. A transaction that loses a deadlock is run again.
// Rejections come back ordered by line.
//
// b.Displaced comes from the same upserts: each also returns the previous
// owners of the rows it moved, read from the statement's snapshot, so no
// statement is added. The transaction runs at READ COMMITTED: should
// another transaction write the same record under a third enterprise and
// commit after this statement's snapshot was taken but before it locks the
// row, the third enterprise is not reported (the snapshot's owner, if any,
// is). Only two imports writing the same record under different
// enterprises at the same moment get there; PostgreSQL 18's RETURNING OLD
// would close it.
func (s *Store) Apply(ctx context.Context, b *store.Batch) ([]store.Rejection, error) {
	if b == nil {
		return nil, nil
	}
	b.Displaced = nil
	if b.Len() == 0 {
		return nil, nil
	}
	for attempt := 1; ; attempt++ {
		b.Displaced = nil // what a failed attempt reported was rolled back
		rej, err := s.apply(ctx, b)
		if err == nil {
			slices.SortStableFunc(rej, func(x, y store.Rejection) int { return cmp.Compare(x.Line, y.Line) })
			return rej, nil
		}
		if !retryable(err) || attempt == 3 || ctx.Err() != nil {
			return nil, wrap("apply", err)
		}
	}
}

func (s *Store) apply(ctx context.Context, b *store.Batch) ([]store.Rejection, error) {
	tx, err := s.write.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	a := &applier{s: s, tx: tx}
	if err := a.records(ctx, b); err != nil {
		return nil, err
	}
	// Set before the commit: should the commit fail, it may still have
	// happened, and the caller must hear who lost records.
	b.Displaced = a.displacedList()
	return a.finish(ctx, b)
}

// applier is one run of Apply's transaction.
type applier struct {
	s         *Store // for its policy only: every statement goes through tx
	tx        pgx.Tx
	rejected  []store.Rejection
	displaced map[string]struct{} // enterprises that lost a record to another
	// fresh are the records this batch inserted (none was stored under
	// their key before): the change feed computes their entries from the
	// batch (see batchEntries).
	fresh map[feed.Key]struct{}
	// ahead, when set, returns the entries of the fresh records as of a
	// day if they were computed ahead for it (a bulk load computes them
	// while the records are COPYed), with a.fresh pruned as batchEntries
	// prunes it.
	ahead func(day time.Time) (map[feed.Key]feed.Entry, bool)
}

func (a *applier) precomputed(day time.Time) (map[feed.Key]feed.Entry, bool) {
	if a.ahead == nil {
		return nil, false
	}
	return a.ahead(day)
}

func (a *applier) inserted(k feed.Key) {
	if a.fresh == nil {
		a.fresh = map[feed.Key]struct{}{}
	}
	a.fresh[k] = struct{}{}
}

// displacedList returns the displaced enterprises sorted, nil for none.
func (a *applier) displacedList() []string {
	if len(a.displaced) == 0 {
		return nil
	}
	out := make([]string, 0, len(a.displaced))
	for u := range a.displaced {
		out = append(out, u)
	}
	slices.Sort(out)
	return out
}

func (a *applier) reject(line int, code, format string, args ...any) {
	a.rejected = append(a.rejected, store.Rejection{Line: line, Code: code, Message: fmt.Sprintf(format, args...)})
}

// records stages and upserts every kind but removals and repairs: one COPY
// fills each kind's staging table, and one pipelined batch upserts them all
// and reports the unknown enterprises and the displaced ones.
//
// The staging tables are session temporary tables emptied at commit (ON
// COMMIT DELETE ROWS), created the first time a connection applies a
// batch: creating and dropping six tables per batch (ON COMMIT DROP) took a
// fifth of a 5,000-record batch's time and churns the system catalogs.
func (a *applier) records(ctx context.Context, b *store.Batch) error {
	var staged []*kind
	var ddl strings.Builder
	for _, k := range kinds {
		if k.rows(b) > 0 {
			staged = append(staged, k)
			ddl.WriteString(k.createStage)
		}
	}
	if len(staged) == 0 {
		return nil
	}
	if _, err := a.tx.Exec(ctx, ddl.String()); err != nil {
		return fmt.Errorf("create staging tables: %w", err)
	}
	for _, k := range staged {
		n := k.rows(b)
		if _, err := a.tx.CopyFrom(ctx, pgx.Identifier{k.stage}, k.copyColumns,
			pgx.CopyFromSlice(n, func(i int) ([]any, error) { return k.row(b, i), nil })); err != nil {
			return fmt.Errorf("copy %s: %w", k.table, err)
		}
	}
	batch := &pgx.Batch{}
	for _, k := range staged {
		// Temporary tables are never analysed by autovacuum: without
		// statistics the planner guesses a large staging table and joins it
		// to enterprises by a sequential scan, which makes an import
		// quadratic in the number of enterprises. A few thousand sampled
		// rows cost a millisecond.
		batch.Queue(`ANALYZE ` + k.stage)
	}
	for _, k := range staged { // enterprises first: the others' references see them
		batch.Queue(k.upsert).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var what string
				var line int
				var x string
				var y *string
				if err := rows.Scan(&what, &line, &x, &y); err != nil {
					return err
				}
				switch what {
				case "i":
					a.inserted(k.feedKey(x, deref(y)))
				case "d":
					if a.displaced == nil {
						a.displaced = map[string]struct{}{}
					}
					a.displaced[x] = struct{}{}
				default:
					a.reject(line, store.CodeUnknownReference,
						"%s refers to enterprise %s, which is neither stored nor in this import", k.record, x)
				}
			}
			return rows.Err()
		})
	}
	if err := a.tx.SendBatch(ctx, batch).Close(); err != nil {
		return fmt.Errorf("upsert: %w", err)
	}
	return nil
}

// finish ends a batch's transaction after its records are written, in the
// order every write path shares: removals, repairs, the feed, the repeat
// offenders' windows (under the feed's lock), the commit.
func (a *applier) finish(ctx context.Context, b *store.Batch) ([]store.Rejection, error) {
	if err := a.removals(ctx, b.Removals); err != nil {
		return nil, err
	}
	if err := a.repairs(ctx, b.Repairs); err != nil {
		return nil, err
	}
	if err := a.feed(ctx, b); err != nil {
		return nil, err
	}
	if err := a.repeatWindows(ctx); err != nil {
		return nil, err
	}
	if err := a.tx.Commit(ctx); err != nil {
		return nil, err
	}
	return a.rejected, nil
}
