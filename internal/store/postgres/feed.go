package postgres

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/feed"
	"github.com/creditgraph/creditgraph/internal/store"
)

var _ store.Feed = (*Store)(nil)

// feedLock is the transaction-level advisory lock every feed writer takes
// before it reads feed_meta and holds to its commit: Apply's transactions
// (last, after their records are written) and the catch-up of a new day.
// PostgreSQL makes a commit visible before it releases the transaction's
// locks, so the next writer's seq follows one every reader can already
// see, and a snapshot that sees a change sees every change before it.
const feedLock int64 = 0x6366_6565_6400_0001

// DefaultRetention is how long the feed keeps changes unless told.
var DefaultRetention = credit.Period{Days: 90}

// feedMeta is feed_meta's one row.
type feedMeta struct {
	seq, pruned int64
	day         time.Time // zero: never advanced
}

func readMeta(ctx context.Context, q pgx.Tx) (feedMeta, error) {
	var m feedMeta
	var day *time.Time
	err := q.QueryRow(ctx, `SELECT seq, day, pruned FROM feed_meta`).Scan(&m.seq, &day, &m.pruned)
	if day != nil {
		m.day = *day
	}
	return m, err
}

func writeMeta(ctx context.Context, q pgx.Tx, m feedMeta) error {
	var day any
	if !m.day.IsZero() {
		day = m.day
	}
	_, err := q.Exec(ctx, `UPDATE feed_meta SET seq = $1, day = $2, pruned = $3`, m.seq, day, m.pruned)
	return err
}

// feedWriter appends to the feed inside one transaction holding feedLock.
type feedWriter struct {
	s  *Store
	tx pgx.Tx
	m  feedMeta
}

// lockFeed takes feedLock in tx and reads the feed's position.
func (s *Store) lockFeed(ctx context.Context, tx pgx.Tx) (*feedWriter, error) {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, feedLock); err != nil {
		return nil, fmt.Errorf("feed lock: %w", err)
	}
	m, err := readMeta(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("feed meta: %w", err)
	}
	return &feedWriter{s: s, tx: tx, m: m}, nil
}

// day is the day a write at now is recorded for: never before a day the
// feed already reached.
func (w *feedWriter) day(now time.Time) time.Time {
	d := credit.DateOf(now)
	if d.Before(w.m.day) {
		return w.m.day
	}
	return d
}

// advance appends the changes dates cause through day, one day at a time,
// each stamped with its day's start, then prunes past the retention.
func (w *feedWriter) advance(ctx context.Context, day time.Time) error {
	if !w.m.day.IsZero() && !day.After(w.m.day) {
		return nil
	}
	for {
		var d *time.Time
		if err := w.tx.QueryRow(ctx, `SELECT min(next_check) FROM feed_state WHERE next_check <= $1`, day).Scan(&d); err != nil {
			return fmt.Errorf("feed due: %w", err)
		}
		if d == nil {
			break
		}
		rows, err := w.tx.Query(ctx, `SELECT record_type, record_id FROM feed_state WHERE next_check = $1 ORDER BY record_type, record_id`, *d)
		if err != nil {
			return fmt.Errorf("feed due: %w", err)
		}
		keys, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (feed.Key, error) {
			var k feed.Key
			err := r.Scan(&k.Type, &k.ID)
			return k, err
		})
		if err != nil {
			return fmt.Errorf("feed due: %w", err)
		}
		if err := w.record(ctx, keys, *d, *d, day); err != nil {
			return err
		}
	}
	w.m.day = day
	return w.prune(ctx)
}

// prune deletes the changes recorded before the retention. Recorded days
// never decrease along seq, so the first change to keep bounds a range
// delete.
func (w *feedWriter) prune(ctx context.Context) error {
	cut := w.s.retention.Before(w.m.day)
	var keep *int64
	if err := w.tx.QueryRow(ctx, `SELECT min(seq) FROM (SELECT seq FROM feed_changes WHERE recorded >= $1 ORDER BY seq LIMIT 1) k`, cut).Scan(&keep); err != nil {
		return fmt.Errorf("feed prune: %w", err)
	}
	bound := w.m.seq + 1
	if keep != nil {
		bound = *keep
	}
	if bound-1 <= w.m.pruned {
		return nil
	}
	if _, err := w.tx.Exec(ctx, `DELETE FROM feed_changes WHERE seq < $1`, bound); err != nil {
		return fmt.Errorf("feed prune: %w", err)
	}
	w.m.pruned = bound - 1
	return nil
}

// record recomputes keys as of day, appends a change stamped at and
// recorded on the feed's day recorded for each whose view moved, and
// stores their new states.
func (w *feedWriter) record(ctx context.Context, keys []feed.Key, day, at, recorded time.Time) error {
	entries, err := w.s.entries(ctx, w.tx, keys, day)
	if err != nil {
		return err
	}
	return w.recordEntries(ctx, keys, entries, nil, day, at, recorded)
}

// recordWrite records what batch b may have changed (store.Touched), with
// the risk category of every enterprise whose records it wrote or moved
// away: their owners are known once the records are read. known holds
// entries already computed for keys that had no record, and so no state,
// before (the batch's inserted records, see batchEntries): they are not
// read back.
func (w *feedWriter) recordWrite(ctx context.Context, b *store.Batch, day, at time.Time, known map[feed.Key]feed.Entry) error {
	keys := store.Touched(b)
	rest := keys
	if len(known) > 0 {
		rest = make([]feed.Key, 0, max(0, len(keys)-len(known)))
		for _, k := range keys {
			if _, ok := known[k]; !ok {
				rest = append(rest, k)
			}
		}
	}
	entries, err := w.s.entries(ctx, w.tx, rest, day)
	if err != nil {
		return err
	}
	if entries == nil {
		entries = make(map[feed.Key]feed.Entry, len(known))
	}
	maps.Copy(entries, known)
	for _, u := range b.Displaced {
		keys = append(keys, feed.Key{Type: feed.RiskCategory, ID: u})
	}
	keys = feed.WithRisk(keys, func(k feed.Key) string { return entries[k].USCC })
	var more []feed.Key
	for _, k := range keys {
		if _, ok := entries[k]; !ok && k.Type == feed.RiskCategory {
			more = append(more, k)
		}
	}
	risks, err := w.s.entries(ctx, w.tx, more, day)
	if err != nil {
		return err
	}
	maps.Copy(entries, risks)
	return w.recordEntries(ctx, keys, entries, known, day, at, day)
}

// recordEntries appends the changes of keys, whose entries as of day are
// entries (a key absent: its record is not stored). The keys in known had
// no record before: their states are not looked up (a feed_state row
// exists only for a stored record; records are never deleted) and are
// COPYed in as new rows.
func (w *feedWriter) recordEntries(ctx context.Context, keys []feed.Key, entries, known map[feed.Key]feed.Entry,
	day, at, recorded time.Time) error {
	if len(keys) == 0 {
		return nil
	}
	rest := keys
	if len(known) > 0 {
		rest = make([]feed.Key, 0, max(0, len(keys)-len(known)))
		for _, k := range keys {
			if _, ok := known[k]; !ok {
				rest = append(rest, k)
			}
		}
	}
	old, err := w.states(ctx, rest)
	if err != nil {
		return err
	}
	var changes [][]any
	var put, add, drop [][]any
	for _, k := range keys {
		_, isNew := known[k]
		e, ok := entries[k]
		if !ok {
			e = feed.Entry{Key: k}
		}
		o := old[k]
		if c, moved := feed.Diff(o, e, day, at); moved {
			w.m.seq++
			var reason any
			if c.Reason != "" {
				reason = string(c.Reason)
			}
			changes = append(changes, []any{w.m.seq, day, recorded, at.UTC(), string(k.Type), k.ID, nullable(c.USCC), nullable(c.Region),
				keyAreasArg(c.KeyAreas), int16(c.Public), int16(c.Regulator), reason})
		}
		switch {
		case !e.Public.Seen() && !e.Regulator.Seen():
			if o != (feed.State{}) {
				drop = append(drop, []any{string(k.Type), k.ID})
			}
		case isNew:
			add = append(add, stateRow(k, e.State))
		case e.State != o:
			put = append(put, stateRow(k, e.State))
		}
	}
	if len(changes) > 0 {
		if err := copyText(ctx, w.tx, "feed_changes", changeColumns, changeTypes, changes); err != nil {
			return fmt.Errorf("feed append: %w", err)
		}
	}
	if len(add) > 0 {
		if err := copyText(ctx, w.tx, "feed_state", stateColumns, stateTypes, add); err != nil {
			return fmt.Errorf("feed state: %w", err)
		}
	}
	return w.putStates(ctx, put, drop)
}

var (
	stateColumns  = []string{"record_type", "record_id", "public_hash", "regulator_hash", "next_check", "risk"}
	stateTypes    = []string{"text", "text", "bytea", "bytea", "date", "text"}
	changeColumns = []string{"seq", "day", "recorded", "at", "record_type", "record_id",
		"uscc", "region_code", "key_areas", "public_kind", "regulator_kind", "reason"}
	changeTypes = []string{"bigint", "date", "date", "timestamptz", "text", "text",
		"text", "text", "text[]", "smallint", "smallint", "text"}
)

func stateRow(k feed.Key, st feed.State) []any {
	return []any{string(k.Type), k.ID, hashArg(st.Public), hashArg(st.Regulator), dateOrNil(st.Next), nullable(st.Risk)}
}

func (w *feedWriter) putStates(ctx context.Context, put, drop [][]any) error {
	if len(put) > 0 {
		cols := make([][]any, len(stateColumns))
		for _, r := range put {
			for i := range cols {
				cols[i] = append(cols[i], r[i])
			}
		}
		if _, err := w.tx.Exec(ctx, `INSERT INTO feed_state (record_type, record_id, public_hash, regulator_hash, next_check, risk)
			SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::bytea[], $5::date[], $6::text[])
			ON CONFLICT (record_type, record_id) DO UPDATE SET public_hash = excluded.public_hash,
				regulator_hash = excluded.regulator_hash, next_check = excluded.next_check, risk = excluded.risk`,
			cols[0], cols[1], cols[2], cols[3], cols[4], cols[5]); err != nil {
			return fmt.Errorf("feed state: %w", err)
		}
	}
	if len(drop) > 0 {
		types, ids := make([]any, len(drop)), make([]any, len(drop))
		for i, r := range drop {
			types[i], ids[i] = r[0], r[1]
		}
		if _, err := w.tx.Exec(ctx, `DELETE FROM feed_state WHERE (record_type, record_id) IN
			(SELECT * FROM unnest($1::text[], $2::text[]))`, types, ids); err != nil {
			return fmt.Errorf("feed state: %w", err)
		}
	}
	return nil
}

// states returns the stored state of keys; a key never stored is absent.
func (w *feedWriter) states(ctx context.Context, keys []feed.Key) (map[feed.Key]feed.State, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	types, ids := make([]string, len(keys)), make([]string, len(keys))
	for i, k := range keys {
		types[i], ids[i] = string(k.Type), k.ID
	}
	rows, err := w.tx.Query(ctx, `SELECT record_type, record_id, public_hash, regulator_hash, next_check, coalesce(risk, '') FROM feed_state
		WHERE (record_type, record_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`, types, ids)
	if err != nil {
		return nil, fmt.Errorf("feed state: %w", err)
	}
	defer rows.Close()
	out := make(map[feed.Key]feed.State, len(keys))
	for rows.Next() {
		var k feed.Key
		var pub, reg []byte
		var next *time.Time
		var st feed.State
		if err := rows.Scan(&k.Type, &k.ID, &pub, &reg, &next, &st.Risk); err != nil {
			return nil, fmt.Errorf("feed state: %w", err)
		}
		copy(st.Public[:], pub)
		copy(st.Regulator[:], reg)
		if next != nil {
			st.Next = *next
		}
		out[k] = st
	}
	return out, rows.Err()
}

func hashArg(h feed.Hash) any {
	if !h.Seen() {
		return nil
	}
	return h[:]
}

func dateOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// feedOf finishes Apply's transaction: under feedLock, the day's
// date-driven changes first, then the batch's.
func (a *applier) feed(ctx context.Context, b *store.Batch) error {
	w, err := a.s.lockFeed(ctx, a.tx)
	if err != nil {
		return err
	}
	now := b.Now
	if now.IsZero() {
		now = time.Now()
	}
	day := w.day(now)
	if err := w.advance(ctx, day); err != nil {
		return err
	}
	known, ok := a.precomputed(day)
	if !ok {
		if known, err = a.batchEntries(ctx, b, day, nil); err != nil {
			return err
		}
	}
	if err := w.recordWrite(ctx, b, day, now, known); err != nil {
		return err
	}
	return writeMeta(ctx, a.tx, w.m)
}

// CatchUpFeed appends the changes dates cause through day, if the feed has
// not reached it yet, in a transaction of its own.
func (s *Store) CatchUpFeed(ctx context.Context, day time.Time) error {
	var reached *time.Time
	if err := s.write.QueryRow(ctx, `SELECT day FROM feed_meta`).Scan(&reached); err != nil {
		return wrap("feed", err)
	}
	if reached != nil && !day.After(*reached) {
		return nil
	}
	err := pgx.BeginFunc(ctx, s.write, func(tx pgx.Tx) error {
		w, err := s.lockFeed(ctx, tx)
		if err != nil {
			return err
		}
		if err := w.advance(ctx, day); err != nil {
			return err
		}
		return writeMeta(ctx, tx, w.m)
	})
	return wrap("feed catch-up", err)
}

// FeedCursor returns the cursor of the newest change as of day.
func (s *Store) FeedCursor(ctx context.Context, day time.Time) (string, error) {
	if err := s.CatchUpFeed(ctx, day); err != nil {
		return "", err
	}
	var seq int64
	if err := s.write.QueryRow(ctx, `SELECT seq FROM feed_meta`).Scan(&seq); err != nil {
		return "", wrap("feed cursor", err)
	}
	return store.ChangeCursor(seq), nil
}

// FeedCursorTx returns the feed cursor that matches tx's snapshot, for an
// export that must hand its reader a cursor to follow with
// changes(after: …) without skipping or repeating a change:
//
//	if err := s.CatchUpFeed(ctx, day); err != nil { … }   // the day's date-driven changes, committed first
//	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
//	cursor, err := postgres.FeedCursorTx(ctx, tx)          // the first statement of tx: it takes the snapshot
//	… read every row of the export in tx …
//
// Every feed writer appends its changes and bumps feed_meta in the same
// transaction as its records, under feedLock, so the snapshot sees a
// change exactly when it sees the records written with it: what the
// export read is the feed up to cursor, and changes(after: cursor) is
// everything after. On REPEATABLE READ the call may come anywhere in tx
// (the snapshot is the transaction's); it must come after CatchUpFeed for
// the export's day, or the day's date-driven changes would follow the
// cursor though the export already shows them.
func FeedCursorTx(ctx context.Context, tx pgx.Tx) (string, error) {
	var seq int64
	if err := tx.QueryRow(ctx, `SELECT seq FROM feed_meta`).Scan(&seq); err != nil {
		return "", wrap("feed cursor", err)
	}
	return store.ChangeCursor(seq), nil
}

// Changes returns a page of the feed as v's audience sees it.
func (s *Store) Changes(ctx context.Context, v credit.Visibility, f store.ChangeFilter, p store.Page) (store.ChangePage, error) {
	after, err := store.ParseChangeCursor(p.After)
	if err != nil {
		return store.ChangePage{}, err
	}
	var head, pruned int64
	var reached *time.Time
	if err := s.write.QueryRow(ctx, `SELECT seq, day, pruned FROM feed_meta`).Scan(&head, &reached, &pruned); err != nil {
		return store.ChangePage{}, wrap("changes", err)
	}
	if reached == nil || v.AsOf.After(*reached) { // the first read of a new day
		if err := s.CatchUpFeed(ctx, v.AsOf); err != nil {
			return store.ChangePage{}, err
		}
		if err := s.write.QueryRow(ctx, `SELECT seq, pruned FROM feed_meta`).Scan(&head, &pruned); err != nil {
			return store.ChangePage{}, wrap("changes", err)
		}
	}
	if err := store.CheckRetention(p.After, after, pruned); err != nil {
		return store.ChangePage{}, err
	}
	if after > head {
		return store.ChangePage{}, fmt.Errorf("%w: the feed has no change %d (was it restored from a backup? export again and follow the feed from the export's cursor)", store.ErrBadCursor, after)
	}
	sql, args := changesStatement(v, f, after, p.Limit())
	rows, err := s.read.Query(ctx, sql, args...)
	if err != nil {
		return store.ChangePage{}, wrap("changes", err)
	}
	defer rows.Close()
	limit := p.Limit()
	out := store.ChangePage{EndCursor: store.ChangeCursor(after)}
	for rows.Next() {
		c, err := scanChange(rows, v)
		if err != nil {
			return store.ChangePage{}, wrap("changes", err)
		}
		if len(out.Changes) == limit {
			out.HasNext = true
			break
		}
		out.Changes = append(out.Changes, c)
		out.EndCursor = store.ChangeCursor(c.Seq)
	}
	if err := rows.Err(); err != nil {
		return store.ChangePage{}, wrap("changes", err)
	}
	return out, nil
}

// changesStatement is the one statement that reads a page of limit changes
// after seq after as v sees them under f (one more, to tell whether a page
// follows). Unfiltered, it is a range of feed_changes' primary key. Filtered
// to some enterprises (a watchlist, a list of codes), PostgreSQL answers it
// from feed_changes_owner_idx alone (migration 00019: every column the page
// returns or tests is in the index): an index-only scan of each
// enterprise's range after the cursor, then a top-N sort of those few
// entries in feed order. An enterprise's changes lie next to each other in
// that index, on one leaf page as a rule, where in the table they lie on as
// many heap pages as it has changes (the feed appends by batch, not by
// enterprise): docs/BENCHMARKS.md §28 measures the difference at 1,000,000
// enterprises.
func changesStatement(v credit.Visibility, f store.ChangeFilter, after int64, limit int) (string, []any) {
	kindCol := "public_kind"
	if !v.Public() {
		kindCol = "regulator_kind"
	}
	q := &query{}
	q.add(`seq > ` + q.arg(after))
	q.add(kindCol + ` <> 0`)
	q.add(`day <= ` + q.arg(v.AsOf)) // a caller whose date is behind the feed's sees none of the later days yet
	if !feed.Visible(feed.RiskCategory, v.Tier) {
		q.add(`record_type <> '` + string(feed.RiskCategory) + `'`)
	}
	if f.Watchlist != "" {
		q.add(`uscc IN (SELECT uscc FROM watchlists WHERE key_name = ` + q.arg(f.Watchlist) + `)`)
	}
	if len(f.USCCs) > 0 {
		q.add(`uscc = ANY(` + q.arg(f.USCCs) + `)`)
	}
	if len(f.Types) > 0 {
		ts := make([]string, len(f.Types))
		for i, t := range f.Types {
			ts[i] = string(t)
		}
		q.add(`record_type = ANY(` + q.arg(ts) + `)`)
	}
	if f.RegionPrefix != "" {
		q.add(`region_code LIKE ` + q.arg(likePrefix(f.RegionPrefix)))
	}
	if f.KeyArea != "" {
		q.add(q.arg(string(f.KeyArea)) + ` = ANY(key_areas)`)
	}
	return `SELECT seq, day, at, record_type, record_id, coalesce(uscc, ''), coalesce(region_code, ''),
		key_areas, ` + kindCol + `, coalesce(reason, '') FROM feed_changes` + q.where() + ` ORDER BY seq LIMIT ` + q.arg(limit+1), q.args
}

// setAudienceKind files the kind a statement read for audience v, and drops
// the reason below REGULATOR (whether a record was repaired or withdrawn is
// REGULATOR-only): every path that reads changes goes through it.
func setAudienceKind(c *feed.Change, v credit.Visibility, k int16) {
	if v.Public() {
		c.Public = feed.Kind(k)
		c.Reason = ""
	} else {
		c.Regulator = feed.Kind(k)
	}
}

// scanChange scans a row of changesStatement: the change, the audience's kind and the reason.
func scanChange(row pgx.Row, v credit.Visibility) (feed.Change, error) {
	var c feed.Change
	var areas []string
	var k int16
	if err := row.Scan(&c.Seq, &c.Day, &c.At, &c.Key.Type, &c.Key.ID, &c.USCC, &c.Region, &areas, &k, &c.Reason); err != nil {
		return c, err
	}
	c.KeyAreas = keyAreasOf(areas)
	setAudienceKind(&c, v, k)
	return c, nil
}
