package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/creditgraph/creditgraph/internal/config"
	"github.com/creditgraph/creditgraph/internal/demo"
	"github.com/creditgraph/creditgraph/internal/feedstream"
	"github.com/creditgraph/creditgraph/internal/ingest"
	"github.com/creditgraph/creditgraph/internal/store"
)

// importFiles streams each file into the store and prints one JSON summary
// of all of them. Exit 0: all accepted; 1: some rejected; 2: fatal.
// importFlags are import's flags.
func importFlags() *flag.FlagSet {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.Bool("demo", false, "import the bundled demo dataset (300 enterprises), its dates moved to today as serve does, before any FILE")
	fs.String("bulk", "auto", "auto: into a PostgreSQL store with no records yet, load in bulk (indexes built at the end; the same result, faster); off: never")
	return fs
}

func importFiles(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := importFlags()
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	withDemo := fs.Lookup("demo").Value.String() == "true"
	tuneGC() // an import allocates per record too: a fifth of its CPU went to the collector
	bulk := fs.Lookup("bulk").Value.String()
	if bulk != "auto" && bulk != "off" {
		return fmt.Errorf("import: --bulk is auto or off, not %q", bulk)
	}
	files := fs.Args()
	if len(files) == 0 && !withDemo {
		return errors.New("import: name at least one FILE (\"-\" for stdin), or --demo")
	}
	if cfg.DatabaseURL == "" {
		log.Warn("DATABASE_URL is not set: records are validated against an empty embedded store and not kept")
	}
	st, err := openStore(ctx, cfg, log, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := refreshRiskCategories(ctx, st, cfg, log); err != nil { // before the import's own changes
		return err
	}
	if err := refreshRepeatWindows(ctx, st, log); err != nil {
		return err
	}
	// Answers cached by running servers must not outlive what this import
	// writes: it invalidates them through the same Redis.
	rdb, err := openRedis(ctx, cfg, log)
	if err != nil {
		return err
	}
	if rdb != nil {
		defer rdb.Close()
	}
	rc, err := newCache(cfg, rdb, nil, log)
	if err != nil {
		return err
	}
	target := st
	var load store.BulkLoad
	if bl, ok := st.(store.BulkLoader); ok && bulk == "auto" {
		if load, ok, err = bl.BeginBulk(ctx); err != nil {
			return err
		} else if ok {
			target = load
			log.Info("import: the store holds no record yet: loading in bulk, indexes built at the end")
		}
	}
	// Subscriptions open on running servers wake through the same Redis.
	im := newImporter(cfg, invalidating(cfg, feedstream.Notifying(target, newFeedHub(cfg, rdb, log)), rc, log), log)
	var srcs []ingest.Source
	if withDemo {
		srcs = append(srcs, ingest.Source{Name: "demo", Open: func() (io.ReadCloser, error) { return demo.OpenAt(cfg.Clock()()), nil }})
	}
	srcs = append(srcs, ingest.FileSources(stdin, files...)...)
	start := time.Now()
	total, importErr := im.ImportSources(ctx, srcs...)
	log.Info("import: records read and written", "accepted", total.Accepted, "rejected", total.Rejected, "took", time.Since(start).Round(time.Millisecond))
	if load != nil {
		start := time.Now()
		if err := load.Finish(context.WithoutCancel(ctx)); err != nil && importErr == nil {
			importErr = err
		}
		log.Info("import: bulk load finished: indexes built", "took", time.Since(start).Round(time.Millisecond))
	}
	// Fresh statistics, so that the first queries after an import get good
	// plans (the planner otherwise guesses from none, or from an empty table).
	if an, ok := st.(store.Analyzer); ok && total.Accepted > 0 {
		start := time.Now()
		if err := an.Analyze(context.WithoutCancel(ctx)); err != nil && importErr == nil {
			importErr = err
		}
		log.Info("import: tables analysed", "took", time.Since(start).Round(time.Millisecond))
	}
	// The summary is printed even when the import stopped: it says what
	// was written before (exit 2, with "fatal" saying why).
	if err := json.NewEncoder(stdout).Encode(total); err != nil {
		return err
	}
	if rc != nil {
		// Invalidations Redis missed (slow or down) are this process's
		// alone: send them before exiting, or say that they are lost.
		fctx, cancel := context.WithTimeout(ctx, importFlushTimeout)
		defer cancel()
		if err := rc.Flush(fctx); err != nil {
			return fmt.Errorf("import: the records are written, but Redis did not take the cache invalidation (%v): "+
				"running servers may answer without them for up to CACHE_TTL (%s)", err, cfg.CacheTTL)
		}
	}
	if importErr != nil {
		return &exitError{code: 2, err: fmt.Errorf("import: %w", importErr)}
	}
	if code := total.ExitCode(); code != 0 {
		return &exitError{code: code}
	}
	return nil
}

// importFlushTimeout bounds the import command's last attempt to send Redis
// the invalidations it could not send during the import.
const importFlushTimeout = 10 * time.Second

// newImporter is the one importer configuration every import path shares.
func newImporter(cfg config.Config, st store.Store, log *slog.Logger) *ingest.Importer {
	return &ingest.Importer{Store: st, BatchSize: cfg.ImportBatchSize, MaxErrors: cfg.ImportMaxErrors,
		MaxLineBytes: cfg.MaxLineBytes, Log: log, Now: cfg.Clock(), PublicationLead: cfg.PublicationLead}
}
