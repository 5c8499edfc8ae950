package postgres

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/gen"
	"github.com/creditgraph/creditgraph/internal/ingest"
	"github.com/creditgraph/creditgraph/internal/store"
)

// TestRiskSchedulesFromCoveringIndex: an export's read of a chunk's risk
// schedules is an index-only scan of feed_state_risk_idx once an import's
// Analyze has vacuumed feed_state, and gives what a scan of the table
// gives — every enterprise's schedule, on the refresh's day and on a later
// day the feed moved some categories on. (The plan is checked on the
// first day only: on the second, 120 rows leave the planner no real
// choice between the two indexes.)
func TestRiskSchedulesFromCoveringIndex(t *testing.T) {
	ctx := context.Background()
	url := NewTestDatabase(t)
	policy := credit.NewPolicy(credit.DefaultSettings())
	open := func(settings string) *Store {
		sep := "?"
		if strings.Contains(url, "?") {
			sep = "&"
		}
		s, err := New(ctx, Config{URL: url + sep + settings, Policy: policy})
		if err != nil {
			t.Fatalf("postgres.New: %v", err)
		}
		t.Cleanup(s.Close)
		return s
	}
	writer := open("")
	byIndex := open("enable_seqscan=off&enable_bitmapscan=off")
	byTable := open("enable_indexonlyscan=off&enable_bitmapscan=off&enable_indexscan=off")

	d0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var buf strings.Builder
	if err := gen.Write(&buf, gen.Options{Enterprises: 120, Seed: 41, Anchor: d0}); err != nil {
		t.Fatal(err)
	}
	var usccs []string
	for _, l := range strings.Split(buf.String(), "\n") {
		if rest, ok := strings.CutPrefix(l, `{"kind":"enterprise","uscc":"`); ok {
			usccs = append(usccs, rest[:18])
		}
	}
	im := &ingest.Importer{Store: writer, Now: func() time.Time { return d0.Add(9 * time.Hour) }}
	if sum, err := im.Import(ctx, strings.NewReader(buf.String())); err != nil || sum.Rejected != 0 {
		t.Fatalf("import: %v %+v", err, sum)
	}
	if err := writer.RefreshRiskCategories(ctx, d0.Add(10*time.Hour), 0, nil); err != nil {
		t.Fatal(err)
	}
	schedules := func(s *Store, day time.Time) map[string][]credit.RiskStep {
		var out map[string][]credit.RiskStep
		err := s.Snapshot(ctx, day, func(ctx context.Context, snap store.Snapshot) error {
			var err error
			out, err = snap.(store.RiskChecker).RiskSchedules(ctx, writer.riskModelID(), day, usccs)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for i, day := range []time.Time{d0, d0.AddDate(1, 0, 0)} {
		if _, err := writer.write.Exec(ctx, `VACUUM (ANALYZE) feed_state`); err != nil { // as an import's Analyze leaves it
			t.Fatal(err)
		}
		a, b := schedules(byIndex, day), schedules(byTable, day)
		if len(a) != len(usccs) || !reflect.DeepEqual(a, b) {
			t.Fatalf("%s: %d schedules from the index, %d from the table, %d enterprises; equal: %v",
				day.Format(time.DateOnly), len(a), len(b), len(usccs), reflect.DeepEqual(a, b))
		}
		if i > 0 {
			continue
		}
		for _, s := range []struct {
			name              string
			s                 *Store
			want, also, never string
		}{
			{"index", byIndex, "Index Only Scan using feed_state_risk_idx", "Heap Fetches: 0", "Seq Scan on feed_state"},
			{"table", byTable, "Seq Scan on feed_state", "Seq Scan on feed_state", "feed_state_risk_idx"},
		} {
			plan := explain(t, s.s, riskSchedulesSQL, []any{usccs, day, writer.riskModelID()})
			if !strings.Contains(plan, s.want) || !strings.Contains(plan, s.also) || strings.Contains(plan, s.never) {
				t.Errorf("%s store, %s: plan\n%s\nwant %q and %q, no %q", s.name, day.Format(time.DateOnly), plan, s.want, s.also, s.never)
			}
		}
	}
}
