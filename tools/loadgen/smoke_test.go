package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/demo"
	"github.com/creditgraph/creditgraph/internal/httpapi"
	"github.com/creditgraph/creditgraph/internal/ingest"
	"github.com/creditgraph/creditgraph/internal/store/memory"
)

// TestSmokeAgainstTheGateway keeps the harness working against the real
// gateway (the embedded store with the demo dataset, the whole edge): a
// short interleaved run of the profile query beside a bare server, as
// docs/BENCHMARKS.md runs it. It asserts what was sent and answered, never
// how fast: timing belongs to the benchmarks, not to CI.
func TestSmokeAgainstTheGateway(t *testing.T) {
	today := time.Now().UTC()
	clock := func() time.Time { return today }
	policy := credit.NewPolicy(credit.DefaultSettings())
	st := memory.New(policy)
	t.Cleanup(st.Close)
	sum, err := (&ingest.Importer{Store: st}).Import(context.Background(), demo.OpenAt(today))
	if err != nil || sum.Rejected != 0 {
		t.Fatalf("load the demo: %v %+v", err, sum)
	}
	gw := httptest.NewServer(httpapi.New(httpapi.Deps{Store: st, Policy: policy, Clock: clock,
		Log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		Options: httpapi.Options{MaxBodyBytes: 1 << 20, RequestTimeout: 10 * time.Second}}))
	defer gw.Close()
	usccs := []string{demo.ShowcaseFoodProducer, demo.ShowcaseSeriousList, demo.ShowcaseRepaired}

	// The bare arm serves the gateway's own answer, as loadgen's
	// -baseline-server does with a captured one.
	bodies, err := newBodySource(ProfileQuery, "uscc", usccs)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(gw.URL+"/graphql", "application/json", bytes.NewReader(bodies.body(0)))
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("gateway answered %d: %s", resp.StatusCode, answer)
	}
	bare := httptest.NewServer(bareHandler(answer))
	defer bare.Close()

	tg, _ := newTarget("graphql", gw.URL+"/graphql", "")
	tb, _ := newTarget("bare", bare.URL+"/graphql", "")
	p := &plan{targets: []target{tg, tb}, clients: 2, requests: 60, warmup: 6, duration: time.Minute,
		timeout: 10 * time.Second, bodies: bodies, usccs: len(usccs)}
	rep, err := p.run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.failed() {
		t.Errorf("the run failed: %+v", rep.Targets)
	}
	for _, tr := range rep.Targets {
		if tr.Count != 60 {
			t.Errorf("%s: %d requests recorded, want 60", tr.Name, tr.Count)
		}
	}
	if rep.Ratio == nil {
		t.Errorf("no ratio to the baseline")
	}
}
