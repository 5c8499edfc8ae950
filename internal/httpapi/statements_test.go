package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/gen"
	"github.com/creditgraph/creditgraph/internal/ingest"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/creditgraph/creditgraph/internal/store/postgres"
	"github.com/jackc/pgx/v5"
)

// countingTracer counts the SQL statements a pool runs, keeping their
// first words so a failure says which ran.
type countingTracer struct {
	n     atomic.Int64 // statements
	trips atomic.Int64 // round trips: one per statement run alone, one per batch
	mu    sync.Mutex
	sql   []string
}

func (c *countingTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	c.trips.Add(1)
	c.mu.Lock()
	c.sql = append(c.sql, strings.Join(strings.Fields(d.SQL), " ")[:min(120, len(strings.Join(strings.Fields(d.SQL), " ")))])
	c.mu.Unlock()
	return ctx
}

// A pipelined batch (store.RecordsReader) counts each of its statements,
// and one round trip for the whole batch.
func (c *countingTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.trips.Add(1)
	return ctx
}

func (c *countingTracer) TraceBatchQuery(ctx context.Context, conn *pgx.Conn, d pgx.TraceBatchQueryData) {
	c.n.Add(1)
	c.mu.Lock()
	c.sql = append(c.sql, "batch: "+strings.Join(strings.Fields(d.SQL), " ")[:min(120, len(strings.Join(strings.Fields(d.SQL), " ")))])
	c.mu.Unlock()
}

func (c *countingTracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

func (c *countingTracer) reset() {
	c.n.Store(0)
	c.trips.Store(0)
	c.mu.Lock()
	c.sql = nil
	c.mu.Unlock()
}
func (c *countingTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

const pageQuery = `query($n: Int) { enterprises(first: $n) { nodes {
  uscc name
  licenses(first: 100) { totalCount nodes { licenseNumber } }
  penalties(first: 100) { totalCount nodes { decisionNumber disclosureEndsOn } }
  inspections(first: 100) { totalCount nodes { inspectionId } }
  abnormalOperations { decisionNumber enterprise { name } }
  seriousDishonesty { decisionNumber enterprise { name } }
  commitments { commitmentId }
  creditSummary { penaltyCount onSeriousDishonestyList }
} } }`

// TestPageCostsConstantStatements proves the dataloaders: a page of 100
// enterprises with every nested record kind runs as many SQL statements as
// a page of 1, not 100 times as many.
func TestPageCostsConstantStatements(t *testing.T) {
	tr := &countingTracer{}
	st := postgres.NewTestStoreConfig(t, postgres.Config{Policy: credit.NewPolicy(credit.DefaultSettings()), Tracer: tr})
	var buf bytes.Buffer
	if err := gen.Write(&buf, gen.Options{Enterprises: 150, Seed: 3, Anchor: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if sum, err := (&ingest.Importer{Store: st}).Import(context.Background(), &buf); err != nil || sum.Rejected != 0 {
		t.Fatalf("import: %v %+v", err, sum)
	}
	h := newHarness(t, st)
	counts := map[int]int64{}
	for _, n := range []int{1, 10, 100} {
		tr.reset()
		var out struct {
			Enterprises struct{ Nodes []struct{ USCC string } }
		}
		h.query(t, pageQuery, map[string]any{"n": n}).data(t, &out)
		if len(out.Enterprises.Nodes) != n {
			t.Fatalf("page of %d returned %d", n, len(out.Enterprises.Nodes))
		}
		counts[n] = tr.n.Load()
		if counts[n] > 7 {
			t.Logf("page of %d ran:\n%s", n, strings.Join(tr.sql, "\n"))
		}
	}
	t.Logf("statements per page size: %v", counts)
	// One page query plus one statement per loader (enterprise, licences,
	// penalties, inspections, two lists, commitments).
	const most = 8
	for n, c := range counts {
		if c > most {
			t.Errorf("page of %d ran %d statements, want at most %d", n, c, most)
		}
	}
	if counts[100] != counts[10] {
		t.Errorf("statements grow with page size: %s", fmt.Sprint(counts))
	}

	// A profile (the benchmark's query: an enterprise and six record kinds)
	// is one statement in one round trip: the enterprise and its kinds in
	// one UNION ALL, with the response cache off (as compare.sh measures
	// it) and on (a miss; the entity cache off, its default).
	var page struct {
		Enterprises struct{ Nodes []struct{ USCC string } }
	}
	h.query(t, `{ enterprises(first: 3) { nodes { uscc } } }`, nil).data(t, &page)
	for i, cached := range []bool{false, true} {
		hp := newHarnessWith(t, st, func(d *Deps) {
			d.CacheOptions.EntityMaxBatch = 0
			if !cached {
				d.Cache = nil
			}
		})
		tr.reset()
		var prof struct {
			Enterprise struct{ Name string }
		}
		hp.query(t, compareProfileQuery, map[string]any{"u": page.Enterprises.Nodes[i].USCC}).data(t, &prof)
		if prof.Enterprise.Name == "" {
			t.Fatalf("profile without the enterprise")
		}
		if n, trips := tr.n.Load(), tr.trips.Load(); n != 1 || trips != 1 {
			t.Errorf("cache %v: profile ran %d statements in %d round trips, want 1 in 1:\n%s", cached, n, trips,
				strings.Join(tr.sql, "\n"))
		}
	}
}

// compareProfileQuery is ../shared/bench/profile.creditgraph.graphql.
const compareProfileQuery = `query P($u: ID!) { enterprise(uscc: $u) { uscc name status regionCode legalRepresentative address
  licenses(first: 5) { totalCount nodes { licenseNumber name validTo } }
  penalties(first: 10) { totalCount nodes { decisionNumber violationType fineAmount publishedOn } }
  inspections(first: 5) { nodes { kind inspectedOn result } }
  abnormalOperations { decisionNumber reason listedOn } seriousDishonesty { decisionNumber reason listedOn }
  commitments { kind content } } }`

// rendezvousStore makes the enterprise fetch wait until the penalties
// fetch has started: a profile that fetched them one after the other
// (enterprise first, then its records) would stall until the timeout.
type rendezvousStore struct {
	store.Store
	penalties chan struct{}
	once      sync.Once
}

func (s *rendezvousStore) EnterprisesByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([]*credit.Enterprise, error) {
	select {
	case <-s.penalties:
	case <-time.After(5 * time.Second):
		return nil, fmt.Errorf("the enterprise was fetched before its penalties were asked for")
	}
	return s.Store.EnterprisesByUSCC(ctx, v, usccs)
}

func (s *rendezvousStore) PenaltiesByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.Penalty, error) {
	s.once.Do(func() { close(s.penalties) })
	return s.Store.PenaltiesByUSCC(ctx, v, usccs)
}

// TestProfileFetchesInOneRound proves that Query.enterprise fetches the
// enterprise and the record kinds its selection needs at the same time,
// not one loader window after another (which doubled profile latency).
func TestProfileFetchesInOneRound(t *testing.T) {
	st := &rendezvousStore{Store: memoryStore(), penalties: make(chan struct{})}
	h := newHarness(t, st)
	var out struct {
		Enterprise struct {
			Name      string
			Penalties struct{ TotalCount int }
		}
	}
	h.query(t, `query($u: ID!) { enterprise(uscc: $u) { name penalties { totalCount } } }`,
		map[string]any{"u": foodCo}).data(t, &out)
	if out.Enterprise.Name == "" || out.Enterprise.Penalties.TotalCount == 0 {
		t.Fatalf("profile incomplete: %+v", out)
	}
}

// TestScreeningCostsConstantStatements: screening 100 codes, with their
// flags and risk categories, runs as many statements as screening one —
// the enterprises and six record kinds, each read once for the whole batch
// (the flags see the policy's view of the rows the risk category reads
// whole), in one round trip.
func TestScreeningCostsConstantStatements(t *testing.T) {
	tr := &countingTracer{}
	st := postgres.NewTestStoreConfig(t, postgres.Config{Policy: credit.NewPolicy(credit.DefaultSettings()), Tracer: tr})
	var buf bytes.Buffer
	if err := gen.Write(&buf, gen.Options{Enterprises: 150, Seed: 3, Anchor: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if sum, err := (&ingest.Importer{Store: st}).Import(context.Background(), &buf); err != nil || sum.Rejected != 0 {
		t.Fatalf("import: %v %+v", err, sum)
	}
	// The entity cache off, its default: with it, per-enterprise reads of
	// a few enterprises go through it kind by kind.
	h := newHarnessWith(t, st, func(d *Deps) { d.CacheOptions.EntityMaxBatch = 0 })
	var page struct {
		Enterprises struct{ Nodes []struct{ Uscc string } }
	}
	h.query(t, `{ enterprises(first: 100) { nodes { uscc } } }`, nil).data(t, &page)
	counts := map[int]int64{}
	for _, n := range []int{1, 10, 100} {
		in := make([]map[string]any, n)
		for i := range in {
			in[i] = map[string]any{"ref": fmt.Sprint(i), "uscc": page.Enterprises.Nodes[i].Uscc}
		}
		tr.reset()
		var out struct{ ScreenCounterparties []screened }
		h.query(t, screeningQuery, map[string]any{"in": in}, bearer(partnerKey)...).data(t, &out)
		if len(out.ScreenCounterparties) != n || out.ScreenCounterparties[n-1].Status != "MATCHED" {
			t.Fatalf("screening %d: %+v", n, out.ScreenCounterparties)
		}
		counts[n] = tr.n.Load()
		if trips := tr.trips.Load(); trips > 1 {
			t.Errorf("screening %d codes took %d round trips, want one:\n%s", n, trips, strings.Join(tr.sql, "\n"))
		}
	}
	t.Logf("statements per batch size: %v", counts)
	const most = 7 // the enterprises and six record kinds, read once for the flags and the risk category
	for n, c := range counts {
		if c > most {
			t.Errorf("screening %d codes ran %d statements, want at most %d:\n%s", n, c, most, strings.Join(tr.sql, "\n"))
		}
	}
	if counts[100] != counts[10] {
		t.Errorf("statements grow with the batch: %v", counts)
	}
}
