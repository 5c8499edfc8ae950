package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/creditgraph/creditgraph/internal/ratelimit"
)

type costExt struct {
	RequestedQueryCost int
	ActualQueryCost    int
	ThrottleStatus     struct {
		MaximumAvailable, CurrentlyAvailable int
		RestoreRate                          float64
	}
}

func costOf(t *testing.T, r response) costExt {
	t.Helper()
	var body struct {
		Extensions struct{ Cost costExt }
	}
	if err := json.Unmarshal(r.raw, &body); err != nil {
		t.Fatal(err)
	}
	return body.Extensions.Cost
}

// queryHeaders is query, keeping the response headers.
func (h *harness) queryHeaders(t *testing.T, q string, headers ...string) (response, http.Header) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": q})
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/graphql", jsonBody(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := h.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	r := response{status: res.StatusCode}
	r.raw = readAll(res)
	_ = json.Unmarshal(r.raw, &r)
	return r, res.Header
}

func TestCostAndHeaders(t *testing.T) {
	h := newHarnessMeter(t, memoryStore(), testMeter(ratelimit.NewShared(nil, ratelimit.Options{}), 1000))
	const page = `{ enterprises(first: 100) { nodes { penalties(first: 100) { nodes { decisionNumber } } } } }`
	r, hdr := h.queryHeaders(t, page)
	c := costOf(t, r)
	if r.status != 200 || c.RequestedQueryCost != 1 || c.ActualQueryCost != 1 || c.ThrottleStatus.MaximumAvailable != 1000 {
		t.Errorf("cost = %+v (%d)", c, r.status)
	}
	for _, name := range []string{"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Used", "X-RateLimit-Reset"} {
		if hdr.Get(name) == "" {
			t.Errorf("missing header %s", name)
		}
	}
	if hdr.Get("RateLimit-Limit") != "1000" || hdr.Get("RateLimit-Remaining") != strconv.Itoa(c.ThrottleStatus.CurrentlyAvailable) {
		t.Errorf("headers %v disagree with extensions.cost %+v", hdr, c)
	}
	// A query asking for many nodes costs more than it uses; the rest is refunded.
	r, _ = h.queryHeaders(t, `{ a: enterprises(first: 100) { totalCount } b: typicalCases(first: 100) { totalCount } c: seriousDishonestyList(first: 100) { totalCount } }`)
	if c := costOf(t, r); c.RequestedQueryCost <= c.ActualQueryCost || c.ActualQueryCost < 1 {
		t.Errorf("refund: %+v", c)
	}
}

func TestThrottled(t *testing.T) {
	h := newHarnessMeter(t, memoryStore(), testMeter(ratelimit.NewShared(nil, ratelimit.Options{}), 3))
	for i := range 3 {
		if r, _ := h.queryHeaders(t, `{ viewer { tier } }`); r.status != 200 {
			t.Fatalf("request %d: %d %s", i, r.status, r.raw)
		}
	}
	r, hdr := h.queryHeaders(t, `{ viewer { tier } }`)
	if r.status != http.StatusTooManyRequests || r.code() != "THROTTLED" || hdr.Get("Retry-After") == "" || hdr.Get("RateLimit-Remaining") != "0" {
		t.Errorf("4th request: %d %v %s", r.status, hdr, r.raw)
	}
	// Another key has its own budget.
	if r, _ := h.queryHeaders(t, `{ viewer { tier } }`, bearer(partnerKey)...); r.status != 200 {
		t.Errorf("partner throttled by the anonymous budget: %d", r.status)
	}
}

func TestDryRun(t *testing.T) {
	h := newHarnessMeter(t, memoryStore(), testMeter(ratelimit.NewShared(nil, ratelimit.Options{}), 1000))
	var out struct {
		RateLimit struct {
			Limit, Cost, Remaining, Used, NodeCount int
			ResetAt                                 string
		}
		Enterprises *json.RawMessage
	}
	const q = `{ rateLimit(dryRun: true) { limit cost remaining used nodeCount resetAt } enterprises(first: 100) { nodes { penalties(first: 100) { totalCount } } } }`
	for range 2 {
		r, _ := h.queryHeaders(t, q)
		if err := json.Unmarshal(r.Data, &out); err != nil {
			t.Fatalf("%s", r.raw)
		}
	}
	if rl := out.RateLimit; rl.Limit != 1000 || rl.Remaining != 1000 || rl.Used != 0 || rl.Cost < 1 || rl.NodeCount != 10100 || out.Enterprises != nil {
		t.Errorf("dry run spent or ran: %+v, enterprises %v", rl, out.Enterprises)
	}
	var after struct{ RateLimit struct{ Remaining, Cost int } }
	r, _ := h.queryHeaders(t, `{ rateLimit { remaining cost } }`)
	_ = json.Unmarshal(r.Data, &after)
	if after.RateLimit.Remaining != 999 || after.RateLimit.Cost != 1 {
		t.Errorf("after a real query: %+v", after.RateLimit)
	}
}

// TestIngestCosts: bulk ingest pays per 64 KiB from the key's budget.
func TestIngestCosts(t *testing.T) {
	h := newHarnessMeter(t, memoryStore(), testMeter(ratelimit.NewShared(nil, ratelimit.Options{}), 2))
	line := `{"kind":"commitment","uscc":"93350600MA2XYK005G","commitment_id":"C-%d","commitment_kind":"voluntary","content":"守信经营","made_on":"2026-01-01","status":"in_force"}` + "\n"
	small := fmt.Sprintf(line, 1)
	if r := h.ingest(t, small, bearer(writerKey)...); r.status != 200 {
		t.Fatalf("first ingest: %d %s", r.status, r.raw)
	}
	var big strings.Builder
	for i := 0; big.Len() < 70<<10; i++ {
		fmt.Fprintf(&big, line, i)
	}
	r := h.ingest(t, big.String(), bearer(writerKey)...)
	if r.status != http.StatusTooManyRequests || r.code() != "THROTTLED" || !strings.Contains(r.Errors[0].Message, "costs 2 points") {
		t.Errorf("70 KiB ingest with 1 point left: %d %s", r.status, r.raw)
	}
}
