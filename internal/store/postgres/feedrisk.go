package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/creditgraph/creditgraph/internal/feed"
)

// riskModelID names the risk model the feed's RISK_CATEGORY states are
// computed with (risk.Model.ID).
func (s *Store) riskModelID() string { return s.risk.ID() }

// RiskCategoriesCurrent reports whether the feed's RISK_CATEGORY states
// were computed with this store's risk model (feed_meta.risk_model).
func (s *Store) RiskCategoriesCurrent(ctx context.Context) (bool, error) {
	var id *string
	if err := s.write.QueryRow(ctx, `SELECT risk_model FROM feed_meta`).Scan(&id); err != nil {
		return false, wrap("feed risk model", err)
	}
	return id != nil && *id == s.riskModelID(), nil
}

// RefreshRiskCategories recomputes the RISK_CATEGORY entry of every
// enterprise as of now's day (changes stamped now), in USCC order, chunk enterprises per transaction,
// each under the feed's lock like a write: an enterprise whose letter the
// feed did not hold yet (a database whose feed predates risk categories)
// gets an APPEARED change, one whose letter moved (a changed model) a
// CHANGED, the rest nothing. It then records the model in feed_meta, so
// RiskCategoriesCurrent is true. It is idempotent, and safe beside
// writers and readers: every chunk is one gap-free feed write. progress,
// when set, hears the enterprises done so far.
func (s *Store) RefreshRiskCategories(ctx context.Context, now time.Time, chunk int, progress func(done int)) error {
	if chunk <= 0 {
		chunk = 1000
	}
	after, done := "", 0
	for {
		rows, err := s.write.Query(ctx, `SELECT uscc FROM enterprises WHERE uscc > $1 ORDER BY uscc LIMIT $2`, after, chunk)
		if err != nil {
			return wrap("refresh risk categories", err)
		}
		usccs, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return wrap("refresh risk categories", err)
		}
		if len(usccs) == 0 {
			break
		}
		keys := make([]feed.Key, len(usccs))
		for i, u := range usccs {
			keys[i] = feed.Key{Type: feed.RiskCategory, ID: u}
		}
		err = pgx.BeginFunc(ctx, s.write, func(tx pgx.Tx) error {
			w, err := s.lockFeed(ctx, tx)
			if err != nil {
				return err
			}
			d := w.day(now)
			if err := w.advance(ctx, d); err != nil { // the day's date-driven changes come first, as before a write
				return err
			}
			if err := w.record(ctx, keys, d, now.UTC(), d); err != nil {
				return err
			}
			return writeMeta(ctx, tx, w.m)
		})
		if err != nil {
			return wrap("refresh risk categories", err)
		}
		after, done = usccs[len(usccs)-1], done+len(usccs)
		if progress != nil {
			progress(done)
		}
	}
	if _, err := s.write.Exec(ctx, `UPDATE feed_meta SET risk_model = $1`, s.riskModelID()); err != nil {
		return wrap("refresh risk categories", fmt.Errorf("record the model: %w", err))
	}
	return nil
}
