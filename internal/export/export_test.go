package export

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/gen"
	"github.com/creditgraph/creditgraph/internal/ingest"
	"github.com/creditgraph/creditgraph/internal/risk"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/creditgraph/creditgraph/internal/store/memory"
	"github.com/creditgraph/creditgraph/internal/store/postgres"
)

// failAfter is a writer that fails once n bytes have been written.
type failAfter struct{ n int }

var errBroken = errors.New("broken pipe")

func (w *failAfter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, errBroken
	}
	return len(p), nil
}

// TestWriteStopsReadingWhenTheWriterFails: the chunks are read ahead by a
// goroutine of their own (writeGroups); when the file cannot be written,
// Write returns the writer's error, and leaves no goroutine behind. The dataset spans
// several chunks, so the reader is ahead of the writer when it fails.
func TestWriteStopsReadingWhenTheWriterFails(t *testing.T) {
	ctx := context.Background()
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	p := credit.NewPolicy(credit.DefaultSettings())
	st := memory.New(p)
	var buf strings.Builder
	if err := gen.Write(&buf, gen.Options{Enterprises: 4 * chunk, Seed: 5, Anchor: day}); err != nil {
		t.Fatal(err)
	}
	im := &ingest.Importer{Store: st, Now: func() time.Time { return day }}
	if _, err := im.Import(ctx, strings.NewReader(buf.String())); err != nil {
		t.Fatal(err)
	}
	m, err := risk.NewModel(risk.DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	for _, tier := range []credit.Tier{credit.TierPartner, credit.TierRegulator} {
		v := credit.Visibility{Tier: tier, AsOf: day}
		var n int
		err := st.Snapshot(ctx, day, func(ctx context.Context, snap store.Snapshot) error {
			var err error
			n, err = Write(ctx, &failAfter{n: 200 << 10}, snap, p, m, v, store.DatasetEnterprises, NDJSON)
			return err
		})
		if !errors.Is(err, errBroken) {
			t.Fatalf("%s: Write gave %v after %d records, want the writer's error", tier, err, n)
		}
		if n == 0 || n >= 4*chunk {
			t.Errorf("%s: %d records written before the writer failed", tier, n)
		}
	}
	for i := 0; i < 100 && runtime.NumGoroutine() > before; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > before {
		t.Errorf("%d goroutines after the exports, %d before", g, before)
	}
}

// hideRiskChecks is a snapshot that is no store.RiskChecker: its export
// derives every schedule from the whole record. It reads records in one
// statement as the snapshot does (a transaction runs one at a time).
type hideRiskChecks struct{ store.Snapshot }

func (h hideRiskChecks) RecordsByUSCC(ctx context.Context, v credit.Visibility, usccs []string, k store.Kinds) (store.Records, error) {
	return h.Snapshot.(store.RecordsReader).RecordsByUSCC(ctx, v, usccs, k)
}

// countRiskChecks passes the snapshot's stored schedules on, counting
// those that move later and those that do not, and counts the reads of
// whole records (at REGULATOR) the export makes beside them.
type countRiskChecks struct {
	hideRiskChecks
	later, none, whole *int
}

func (c countRiskChecks) RiskSchedules(ctx context.Context, model string, day time.Time, usccs []string) (map[string][]credit.RiskStep, error) {
	stored, err := c.Snapshot.(store.RiskChecker).RiskSchedules(ctx, model, day, usccs)
	for _, steps := range stored {
		if len(steps) > 1 {
			*c.later++
		} else {
			*c.none++
		}
	}
	return stored, err
}

func (c countRiskChecks) RecordsByUSCC(ctx context.Context, v credit.Visibility, usccs []string, k store.Kinds) (store.Records, error) {
	if v.Tier == credit.TierRegulator {
		*c.whole += len(usccs)
	}
	return c.hideRiskChecks.RecordsByUSCC(ctx, v, usccs, k)
}

// TestRiskChecksGiveTheDerivedSchedules: a PARTNER export from a snapshot
// that keeps the change feed's risk schedules (PostgreSQL) writes the
// schedules the model derives from each whole record, byte for byte, on
// the day of an import and on days up to three years on, when penalties,
// listings and windows have moved many categories with no write — and
// reads no whole record to do it.
func TestRiskChecksGiveTheDerivedSchedules(t *testing.T) {
	ctx := context.Background()
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	p := credit.NewPolicy(credit.DefaultSettings())
	st := postgres.NewTestStore(t, p)
	var buf strings.Builder
	if err := gen.Write(&buf, gen.Options{Enterprises: 700, Seed: 9, Anchor: day}); err != nil {
		t.Fatal(err)
	}
	im := &ingest.Importer{Store: st, Now: func() time.Time { return day.Add(9 * time.Hour) }}
	if _, err := im.Import(ctx, strings.NewReader(buf.String())); err != nil {
		t.Fatal(err)
	}
	m, err := risk.NewModel(risk.DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	// What serve does at start: the feed's categories are the model's.
	if err := st.RefreshRiskCategories(ctx, day.Add(10*time.Hour), 0, nil); err != nil {
		t.Fatal(err)
	}
	for _, on := range []time.Time{day, day.AddDate(0, 0, 45), day.AddDate(0, 7, 0), day.AddDate(1, 2, 3), day.AddDate(3, 0, 0)} {
		for _, d := range []store.Dataset{store.DatasetEnterprises, store.DatasetPenalties} {
			v := credit.Visibility{Tier: credit.TierPartner, AsOf: on}
			var checked, derived strings.Builder
			var later, none, whole int
			err := st.Snapshot(ctx, on, func(ctx context.Context, snap store.Snapshot) error {
				if _, ok := snap.(store.RiskChecker); !ok {
					t.Fatal("the PostgreSQL snapshot is no store.RiskChecker")
				}
				counted := countRiskChecks{hideRiskChecks{snap}, &later, &none, &whole}
				if _, err := Write(ctx, &checked, counted, p, m, v, d, NDJSON); err != nil {
					return err
				}
				_, err := Write(ctx, &derived, hideRiskChecks{snap}, p, m, v, d, NDJSON)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if checked.String() != derived.String() {
				a, b := strings.Split(checked.String(), "\n"), strings.Split(derived.String(), "\n")
				for i := range min(len(a), len(b)) {
					if a[i] != b[i] {
						t.Fatalf("%s %s: line %d\nwith the feed's schedules %s\nderived                  %s", on.Format(time.DateOnly), d, i+1, a[i], b[i])
					}
				}
				t.Fatalf("%s %s: %d lines with the feed's schedules, %d derived", on.Format(time.DateOnly), d, len(a), len(b))
			}
			lines := strings.Count(checked.String(), `"kind":"enterprise"`)
			if n := strings.Count(checked.String(), `"risk_categories":[{`); n != lines || lines == 0 || later == 0 || none == 0 || later+none < lines {
				t.Fatalf("%s %s: %d of %d enterprise lines carry a schedule; the feed kept %d that move later, %d that do not",
					on.Format(time.DateOnly), d, n, lines, later, none)
			}
			if whole != 0 {
				t.Errorf("%s %s: the export read %d whole records beside the feed's schedules", on.Format(time.DateOnly), d, whole)
			}
			t.Logf("%s %s: the feed kept %d schedules that move later, %d that do not", on.Format(time.DateOnly), d, later, none)
		}
	}
}

// countOwners is a snapshot that is no store.VisibleOwners (nor
// store.RiskChecker): its export walks every owner. It counts the owners
// walked.
type countOwners struct {
	hideRiskChecks
	n *int
}

func (c countOwners) Owners(ctx context.Context, d store.Dataset, after string, limit int) ([]string, error) {
	out, err := c.Snapshot.Owners(ctx, d, after, limit)
	*c.n += len(out)
	return out, err
}

// visibleOwners passes the snapshot's store.VisibleOwners on, counting the
// owners walked.
type visibleOwners struct {
	countOwners
}

func (c visibleOwners) VisibleOwners(ctx context.Context, v credit.Visibility, d store.Dataset, after string, limit int) ([]string, error) {
	out, err := c.Snapshot.(store.VisibleOwners).VisibleOwners(ctx, v, d, after, limit)
	*c.n += len(out)
	return out, err
}

// TestVisibleOwnersGiveTheSameFiles: a public tier's penalties export that
// walks only the enterprises owning a penalty the tier sees (PostgreSQL's
// store.VisibleOwners) writes the same file, byte for byte, as one that
// walks every owner, in both formats and on days up to three years on
// (penalties reaching their publication date, leaving their period, being
// repaired), and walks fewer enterprises.
func TestVisibleOwnersGiveTheSameFiles(t *testing.T) {
	ctx := context.Background()
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	p := credit.NewPolicy(credit.DefaultSettings())
	st := postgres.NewTestStore(t, p)
	var buf strings.Builder
	if err := gen.Write(&buf, gen.Options{Enterprises: 1500, Seed: 11, Anchor: day}); err != nil {
		t.Fatal(err)
	}
	im := &ingest.Importer{Store: st, Now: func() time.Time { return day.Add(9 * time.Hour) }}
	if _, err := im.Import(ctx, strings.NewReader(buf.String())); err != nil {
		t.Fatal(err)
	}
	m, err := risk.NewModel(risk.DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	for _, on := range []time.Time{day.AddDate(-2, 0, 0), day, day.AddDate(0, 3, 1), day.AddDate(1, 0, 0), day.AddDate(3, 0, 0)} {
		for _, tier := range []credit.Tier{credit.TierPublic, credit.TierPartner, credit.TierRegulator} {
			for _, f := range []Format{NDJSON, CSV} {
				v := credit.Visibility{Tier: tier, AsOf: on}
				var visible, every strings.Builder
				var walkedVisible, walkedEvery int
				err := st.Snapshot(ctx, on, func(ctx context.Context, snap store.Snapshot) error {
					if _, ok := snap.(store.VisibleOwners); !ok {
						t.Fatal("the PostgreSQL snapshot is no store.VisibleOwners")
					}
					if _, err := Write(ctx, &visible, visibleOwners{countOwners{hideRiskChecks{snap}, &walkedVisible}}, p, m, v,
						store.DatasetPenalties, f); err != nil {
						return err
					}
					_, err := Write(ctx, &every, countOwners{hideRiskChecks{snap}, &walkedEvery}, p, m, v, store.DatasetPenalties, f)
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				label := on.Format(time.DateOnly) + " " + tier.String() + " " + string(f)
				if visible.String() != every.String() {
					a, b := strings.Split(visible.String(), "\n"), strings.Split(every.String(), "\n")
					for i := range min(len(a), len(b)) {
						if a[i] != b[i] {
							t.Fatalf("%s: line %d\nvisible owners %s\nevery owner    %s", label, i+1, a[i], b[i])
						}
					}
					t.Fatalf("%s: %d lines walking the visible owners, %d walking every owner", label, len(a), len(b))
				}
				lines := strings.Count(every.String(), "\n")
				switch {
				case lines < 2:
					t.Fatalf("%s: %d lines", label, lines)
				case tier < credit.TierRegulator && walkedVisible >= walkedEvery,
					tier == credit.TierRegulator && walkedVisible != walkedEvery:
					t.Errorf("%s: walked %d owners for the visible ones, %d in all", label, walkedVisible, walkedEvery)
				}
			}
		}
	}
}
