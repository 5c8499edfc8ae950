package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Repeat offenders' windows (migration 00013): per enterprise and
// audience, the spans of days over which the default query's figures stay
// the same (store.RepeatWindows). They are kept exact by every write and
// read only when penalty_windows_meta names this store's settings:
//
//   - every statement that writes penalties notes their enterprises in
//     penalty_windows_stale (triggers), and the write's transaction
//     recomputes their windows before it commits (applier.repeatWindows),
//     under the feed's lock like the rest of the write;
//   - a store whose settings differ (a changed PENALTY_LONG_PERIOD, say)
//     reads no window: the guard is in the reading statement itself, so it
//     falls back to counting penalties, exactly as before the windows. A
//     write by such a store clears the meta, since it cannot keep windows
//     of other settings, and every store counts until one rebuilds them
//     (RefreshRepeatWindows, run by serve and import at start-up when
//     RepeatWindowsCurrent says they lag).

// windowsID names what the windows depend on: the penalty disclosure
// settings and the default window.
func (s *Store) windowsID() string {
	st := s.policy.S
	b, err := json.Marshal([]any{st.PenaltyShortPeriod, st.PenaltyLongPeriod, st.LowerFineIndividual.String(),
		st.LowerFineOrganisation.String(), store.RepeatYears})
	if err != nil { // periods are plain numbers
		panic("postgres: repeat windows settings: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return "1/" + hex.EncodeToString(sum[:8])
}

// windowsGuard is the condition a statement reading penalty_windows adds:
// they were computed with this store's settings.
func (s *Store) windowsGuard(q *query) string {
	return `EXISTS (SELECT FROM penalty_windows_meta WHERE settings = ` + q.arg(s.windowsID()) + `)`
}

// RepeatWindowsCurrent reports whether the windows were computed with this
// store's settings.
func (s *Store) RepeatWindowsCurrent(ctx context.Context) (bool, error) {
	var id *string
	if err := s.write.QueryRow(ctx, `SELECT settings FROM penalty_windows_meta`).Scan(&id); err != nil {
		return false, wrap("repeat windows", err)
	}
	return id != nil && *id == s.windowsID(), nil
}

// RefreshRepeatWindows computes every enterprise's windows again with this
// store's settings, in one transaction under the feed's lock (writes wait
// for it: 200,000 penalties at 1,000,000 enterprises), and records the
// settings in penalty_windows_meta.
func (s *Store) RefreshRepeatWindows(ctx context.Context) error {
	err := pgx.BeginFunc(ctx, s.write, func(tx pgx.Tx) error {
		if _, err := s.lockFeed(ctx, tx); err != nil {
			return err
		}
		return s.writeAllWindows(ctx, tx)
	})
	return wrap("refresh repeat windows", err)
}

// writeAllWindows computes every enterprise's windows again, replacing
// all, and records this store's settings in penalty_windows_meta.
func (s *Store) writeAllWindows(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, `TRUNCATE penalty_windows, penalty_windows_stale`); err != nil {
		return err
	}
	after := ""
	for {
		rows, err := tx.Query(ctx, `SELECT DISTINCT uscc FROM penalties WHERE uscc > $1 ORDER BY uscc LIMIT 20000`, after)
		if err != nil {
			return err
		}
		usccs, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		if len(usccs) == 0 {
			break
		}
		if err := s.writeWindows(ctx, tx, usccs, false); err != nil {
			return err
		}
		after = usccs[len(usccs)-1]
	}
	_, err := tx.Exec(ctx, `UPDATE penalty_windows_meta SET settings = $1`, s.windowsID())
	return err
}

// repeatWindows brings the windows of the enterprises this transaction
// wrote penalties of up to date, before it commits. A database whose
// windows were never computed gets them here when every penalty it holds
// is this transaction's (a new database's first write); otherwise it
// waits for RefreshRepeatWindows.
func (a *applier) repeatWindows(ctx context.Context) error {
	rows, err := a.tx.Query(ctx, `DELETE FROM penalty_windows_stale RETURNING uscc`)
	if err != nil {
		return fmt.Errorf("repeat windows: %w", err)
	}
	usccs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(usccs) == 0 {
		return wrapf("repeat windows", err)
	}
	id := a.s.windowsID()
	var meta *string
	var onlyOurs bool
	if err := a.tx.QueryRow(ctx, `SELECT settings, NOT EXISTS (SELECT FROM penalties WHERE uscc <> ALL($1))
		FROM penalty_windows_meta`, usccs).Scan(&meta, &onlyOurs); err != nil {
		return fmt.Errorf("repeat windows: %w", err)
	}
	switch {
	case meta != nil && *meta == id:
		return wrapf("repeat windows", a.s.writeWindows(ctx, a.tx, usccs, true))
	case meta == nil && onlyOurs:
		if err := a.s.writeWindows(ctx, a.tx, usccs, true); err != nil {
			return fmt.Errorf("repeat windows: %w", err)
		}
		_, err := a.tx.Exec(ctx, `UPDATE penalty_windows_meta SET settings = $1`, id)
		return wrapf("repeat windows", err)
	case meta != nil:
		// Computed with other settings: this write cannot keep them.
		_, err := a.tx.Exec(ctx, `UPDATE penalty_windows_meta SET settings = NULL`)
		return wrapf("repeat windows", err)
	}
	return nil
}

func wrapf(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", op, err)
}

// writeWindows computes the windows of usccs from their stored penalties
// and writes them, replacing theirs when replace is set.
func (s *Store) writeWindows(ctx context.Context, tx pgx.Tx, usccs []string, replace bool) error {
	if replace {
		if _, err := tx.Exec(ctx, `DELETE FROM penalty_windows WHERE uscc = ANY($1)`, usccs); err != nil {
			return err
		}
	}
	rows, err := tx.Query(ctx, `SELECT uscc, decided_on, published_on, procedure, penalty_types, fine_amount,
			restriction_until, revoked, repaired_on
		FROM penalties WHERE uscc = ANY($1) ORDER BY uscc`, usccs)
	if err != nil {
		return err
	}
	var out [][]any
	var pens []credit.Penalty
	flush := func() {
		if len(pens) == 0 {
			return
		}
		for _, w := range store.RepeatWindows(s.policy, pens[0].USCC, pens) {
			out = append(out, []any{w.USCC, w.Public, w.From, w.Until, w.Count, numericArg(&w.TotalFines), w.Latest})
		}
		pens = pens[:0]
	}
	for rows.Next() {
		var p credit.Penalty
		var types []string
		var fine pgtype.Numeric
		if err := rows.Scan(&p.USCC, &p.DecidedOn, &p.PublishedOn, &p.Procedure, &types, &fine, &p.RestrictionUntil,
			&p.Revoked, &p.RepairedOn); err != nil {
			rows.Close()
			return err
		}
		if len(pens) > 0 && pens[0].USCC != p.USCC {
			flush()
		}
		p.PenaltyTypes, p.FineAmount = penaltyTypesOf(types), decimalOf(fine)
		pens = append(pens, p)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	flush()
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"penalty_windows"},
		[]string{"uscc", "public", "valid_from", "valid_until", "n", "fines", "latest"}, pgx.CopyFromRows(out))
	return err
}
