package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/creditgraph/creditgraph/internal/config"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/demo"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/creditgraph/creditgraph/internal/store/memory"
	"github.com/creditgraph/creditgraph/internal/store/postgres"
)

// openStore opens PostgreSQL (migrated) when DATABASE_URL is set, else the
// embedded store; withDemo loads the bundled demo dataset into the latter.
func openStore(ctx context.Context, cfg config.Config, log *slog.Logger, withDemo bool) (store.Store, error) {
	policy := credit.NewPolicy(cfg.Disclosure)
	if cfg.DatabaseURL == "" {
		st := memory.New(policy)
		st.SetRetention(cfg.ChangesRetention)
		if !withDemo {
			return st, nil
		}
		rc := demo.OpenAt(cfg.Clock()()) // shifted so that it looks as on its anchor day
		defer rc.Close()
		sum, err := newImporter(cfg, st, log).Import(ctx, rc)
		if err != nil {
			return nil, fmt.Errorf("load demo dataset: %w", err)
		}
		if sum.Rejected > 0 {
			return nil, fmt.Errorf("demo dataset: %d records rejected, first: %+v", sum.Rejected, sum.Errors[0])
		}
		log.Info("embedded store with the demo dataset", "records", sum.Accepted)
		return st, nil
	}
	if err := postgres.Migrate(ctx, cfg.DatabaseURL); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	st, err := postgres.New(ctx, postgres.Config{
		URL: cfg.DatabaseURL, ReadURL: cfg.DatabaseReadURL, Policy: policy, MaxConns: int32(cfg.DBMaxConns),
		Retention: cfg.ChangesRetention,
	})
	if err != nil {
		return nil, err
	}
	log.Info("PostgreSQL store", "read_replica", cfg.DatabaseReadURL != "")
	return st, nil
}

func migrate(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	if cfg.DatabaseURL == "" {
		return errors.New("migrate needs DATABASE_URL")
	}
	if err := postgres.Migrate(ctx, cfg.DatabaseURL); err != nil {
		return err
	}
	log.Info("migrations applied")
	return nil
}

// riskRefresher is a store whose change feed's risk categories may lag its
// risk model (PostgreSQL: a database whose feed predates them, or a changed
// model).
type riskRefresher interface {
	RiskCategoriesCurrent(ctx context.Context) (bool, error)
	RefreshRiskCategories(ctx context.Context, now time.Time, chunk int, progress func(done int)) error
}

// refreshRiskCategories brings the feed's RISK_CATEGORY entries up to the
// risk model when they lag it: one APPEARED (or CHANGED) per enterprise,
// written like an import, in chunks. Nothing to do on a current feed.
func refreshRiskCategories(ctx context.Context, st store.Store, cfg config.Config, log *slog.Logger) error {
	r, ok := st.(riskRefresher)
	if !ok {
		return nil
	}
	current, err := r.RiskCategoriesCurrent(ctx)
	if err != nil || current {
		return err
	}
	log.Info("change feed: bringing every enterprise's risk category up to the risk model")
	started, next := time.Now(), 100_000
	err = r.RefreshRiskCategories(ctx, cfg.Clock()(), 1000, func(done int) {
		if done >= next {
			log.Info("change feed: risk categories refreshed", "enterprises", done)
			next += 100_000
		}
	})
	if err != nil {
		return fmt.Errorf("refresh the change feed's risk categories: %w", err)
	}
	log.Info("change feed: risk categories current", "took", time.Since(started).Round(time.Millisecond))
	return nil
}

// windowsRefresher is a store whose repeat offenders' windows may lag its
// disclosure settings (PostgreSQL: a database migrated to them, or changed
// periods or thresholds).
type windowsRefresher interface {
	RepeatWindowsCurrent(ctx context.Context) (bool, error)
	RefreshRepeatWindows(ctx context.Context) error
}

// refreshRepeatWindows computes the repeat offenders' windows again when
// they were computed with other settings (or never): until then the store
// counts penalties for repeatOffenders, exactly and slower.
func refreshRepeatWindows(ctx context.Context, st store.Store, log *slog.Logger) error {
	r, ok := st.(windowsRefresher)
	if !ok {
		return nil
	}
	current, err := r.RepeatWindowsCurrent(ctx)
	if err != nil || current {
		return err
	}
	log.Info("repeat offenders: computing the windows for these disclosure settings")
	started := time.Now()
	if err := r.RefreshRepeatWindows(ctx); err != nil {
		return fmt.Errorf("repeat offenders' windows: %w", err)
	}
	log.Info("repeat offenders: windows current", "took", time.Since(started).Round(time.Millisecond))
	return nil
}
