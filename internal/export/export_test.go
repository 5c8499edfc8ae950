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
