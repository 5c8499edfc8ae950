package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/feed"
	"github.com/creditgraph/creditgraph/internal/store"
)

var (
	_ store.Snapshotter   = (*Store)(nil)
	_ store.RiskChecker   = (*snapshot)(nil)
	_ store.VisibleOwners = (*snapshot)(nil)
)

// Snapshot brings the feed up to day, then runs fn in one REPEATABLE READ,
// READ ONLY transaction on the read pool: every statement fn makes sees the database as of the
// transaction's first statement, so an export made of many chunked
// statements is one consistent state. Each statement's rows are streamed
// by pgx, and the export reads in chunks, so memory stays bounded whatever
// the dataset's size. The transaction holds one connection until fn
// returns.
func (s *Store) Snapshot(ctx context.Context, day time.Time, fn func(ctx context.Context, snap store.Snapshot) error) error {
	if err := s.CatchUpFeed(ctx, day); err != nil { // the day's date-driven changes, committed first
		return err
	}
	tx, err := s.read.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return wrap("begin snapshot", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	snap := &snapshot{Store: &Store{write: s.write, read: s.read, q: tx, policy: s.policy, retention: s.retention, risk: s.risk, tokens: s.tokens}}
	// The first statement fixes the snapshot; the feed's position in it is
	// the cursor of exactly what the export holds.
	if snap.cursor, err = FeedCursorTx(ctx, tx); err != nil {
		return err
	}
	if err := fn(ctx, snap); err != nil {
		return err
	}
	return wrap("end snapshot", tx.Commit(ctx))
}

type snapshot struct {
	*Store
	cursor string
}

func (s *snapshot) FeedCursor() string { return s.cursor }

// ownersSQL walks the owners of each dataset's records in USCC order, on
// the tables' (uscc, …) indexes.
var ownersSQL = map[store.Dataset]string{
	store.DatasetEnterprises: `SELECT uscc FROM enterprises WHERE uscc > $1 ORDER BY uscc LIMIT $2`,
	store.DatasetPenalties:   `SELECT DISTINCT uscc FROM penalties WHERE uscc > $1 ORDER BY uscc LIMIT $2`,
	store.DatasetSeriousList: `SELECT DISTINCT uscc FROM listings WHERE uscc > $1 AND list = '` + string(credit.ListSerious) +
		`' ORDER BY uscc LIMIT $2`,
	store.DatasetAbnormalList: `SELECT DISTINCT uscc FROM listings WHERE uscc > $1 AND list = '` + string(credit.ListAbnormal) +
		`' ORDER BY uscc LIMIT $2`,
}

// Owners returns the next USCCs, ascending, owning a record of d's kind.
func (s *snapshot) Owners(ctx context.Context, d store.Dataset, after string, limit int) ([]string, error) {
	sql, ok := ownersSQL[d]
	if !ok {
		return nil, store.ErrUnknownDataset(d)
	}
	rows, err := s.q.Query(ctx, sql, after, limit)
	if err != nil {
		return nil, wrap("owners", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return out, wrap("owners", err)
}

// VisibleOwners walks, for a public tier's penalties, only the enterprises
// owning a penalty it sees on v.AsOf (penaltyVisible, the policy's
// disclosure in SQL): at 1,000,000 enterprises 60,542 of the 145,782 that
// own one, so a chunk reads 500 enterprises whose lines are written rather
// than 500 of which 290 are dropped (docs/BENCHMARKS.md §37). The other
// datasets and REGULATOR walk every owner (Owners).
func (s *snapshot) VisibleOwners(ctx context.Context, v credit.Visibility, d store.Dataset, after string, limit int) ([]string, error) {
	q := &query{}
	cond := ""
	if d == store.DatasetPenalties {
		cond = s.penaltyVisible(q, v)
	}
	if cond == "" {
		return s.Owners(ctx, d, after, limit)
	}
	q.add(`p.uscc > ` + q.arg(after))
	q.add(cond)
	rows, err := s.q.Query(ctx, `SELECT DISTINCT p.uscc FROM penalties p`+q.where()+` ORDER BY p.uscc LIMIT `+q.arg(limit), q.args...)
	if err != nil {
		return nil, wrap("visible owners", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return out, wrap("visible owners", err)
}

var candidatesSQL = map[store.Dataset]string{
	store.DatasetEnterprises:  `SELECT count(*) FROM enterprises`,
	store.DatasetPenalties:    `SELECT count(*) FROM penalties`,
	store.DatasetTypicalCases: `SELECT count(*) FROM typical_cases`,
	store.DatasetSeriousList:  `SELECT count(*) FROM listings WHERE list = '` + string(credit.ListSerious) + `'`,
	store.DatasetAbnormalList: `SELECT count(*) FROM listings WHERE list = '` + string(credit.ListAbnormal) + `'`,
}

// Candidates counts every record of d's kind.
func (s *snapshot) Candidates(ctx context.Context, d store.Dataset) (int, error) {
	sql, ok := candidatesSQL[d]
	if !ok {
		return 0, store.ErrUnknownDataset(d)
	}
	var n int
	err := s.q.QueryRow(ctx, sql).Scan(&n)
	return n, wrap("candidates", err)
}

// riskSchedulesSQL reads the schedules of the RISK_CATEGORY states of $1,
// if the feed is at $2 and derived them with the model $3: an index-only
// scan of feed_state_risk_idx (migration 00024).
const riskSchedulesSQL = `SELECT f.record_id, f.risk, f.next_check FROM feed_meta m
	JOIN feed_state f ON f.record_type = 'RISK_CATEGORY' AND f.record_id = ANY($1) AND f.risk IS NOT NULL
	WHERE m.day = $2 AND m.risk_model = $3`

// RiskSchedules reads the schedules the enterprises' RISK_CATEGORY feed
// states keep (feed_state.risk): the feed writers derive it
// (risk.Model.Schedule) with every write to an enterprise's records and on
// the day its category moves (feedWriter.advance), so in a snapshot whose
// feed is at day it holds from day on. A state whose schedule does not
// start with its own next_check (written by a binary older than migration
// 00023, which leaves the column as it was) is left out, as is every one
// unless the feed is at day and derived its categories with model.
func (s *snapshot) RiskSchedules(ctx context.Context, model string, day time.Time, usccs []string) (map[string][]credit.RiskStep, error) {
	rows, err := s.q.Query(ctx, riskSchedulesSQL, usccs, credit.DateOf(day), model)
	if err != nil {
		return nil, wrap("risk schedules", err)
	}
	defer rows.Close()
	out := make(map[string][]credit.RiskStep, len(usccs))
	for rows.Next() {
		var u, enc string
		var next *time.Time
		if err := rows.Scan(&u, &enc, &next); err != nil {
			return nil, wrap("risk schedules", err)
		}
		steps, ok := feed.DecodeRisk(enc, day)
		if !ok || (len(steps) > 1) != (next != nil) || next != nil && !steps[1].From.Equal(*next) {
			continue
		}
		out[u] = steps
	}
	return out, wrap("risk schedules", rows.Err())
}
