package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/ratelimit"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/creditgraph/creditgraph/internal/store/memory"
)

// countingKeys counts the key lookups that reach the store.
type countingKeys struct {
	*memory.Store
	lookups atomic.Int64
}

func (c *countingKeys) KeyByHash(ctx context.Context, hash string) (store.Key, error) {
	c.lookups.Add(1)
	return c.Store.KeyByHash(ctx, hash)
}

// TestAuthorizationHeader: the Bearer scheme is case-insensitive; two
// Authorization headers, even an empty one first, are refused, never served
// as PUBLIC; an empty header is a malformed key.
func TestAuthorizationHeader(t *testing.T) {
	h := newHarness(t, memoryStore())
	q := `{"query":"{ viewer { tier } }"}`
	for _, scheme := range []string{"bearer", "BEARER", "Bearer", "bEaReR"} {
		r := h.send(t, "POST", "/graphql", q, "Content-Type", jsonCT, "Authorization", scheme+" "+partnerKey)
		if r.status != 200 || !strings.Contains(string(r.Data), "PARTNER") {
			t.Errorf("scheme %q: %d %s", scheme, r.status, r.raw)
		}
	}
	r := h.send(t, "POST", "/graphql", q, "Content-Type", jsonCT, "Authorization", "", "Authorization", "Bearer "+partnerKey)
	if r.status != http.StatusBadRequest || r.code() != "BAD_REQUEST" || !strings.Contains(r.Errors[0].Message, "2 Authorization headers") {
		t.Errorf("empty then valid header: %d %s", r.status, r.raw)
	}
	r = h.send(t, "POST", "/graphql", q, "Content-Type", jsonCT, "Authorization", "Bearer "+partnerKey, "Authorization", "Bearer "+regulatorKey)
	if r.status != http.StatusBadRequest {
		t.Errorf("two keys: %d %s", r.status, r.raw)
	}
	r = h.send(t, "POST", "/graphql", q, "Content-Type", jsonCT, "Authorization", "")
	if r.status != http.StatusUnauthorized || r.code() != "UNAUTHENTICATED" {
		t.Errorf("empty header: %d %s", r.status, r.raw)
	}
}

// TestFailedAuthenticationsAreThrottled: random keys from one address are
// answered 401 until the address's failure budget is spent, then 429 with
// Retry-After before any store lookup; a repeated unknown key is
// remembered; a valid key still works; every refusal is counted.
func TestFailedAuthenticationsAreThrottled(t *testing.T) {
	st := &countingKeys{Store: memory.New(credit.NewPolicy(credit.DefaultSettings()))}
	secret, _ := auth.NewSecret()
	if err := st.CreateKey(context.Background(), store.Key{Name: "acme", Tier: credit.TierPartner, Scope: "read", Hash: auth.HashSecret(secret)}); err != nil {
		t.Fatal(err)
	}
	const budget = 5
	var h *harness
	h = newHarnessWith(t, st, func(d *Deps) {
		d.Keys = auth.NewKeyring(testKeys(), st, auth.KeyringOptions{TTL: time.Minute, UnknownTTL: time.Minute, Now: d.Clock})
		d.AuthThrottle = &AuthThrottle{
			Limiter: ratelimit.NewShared(testRedis(t), ratelimit.Options{Prefix: testRedisPrefix(t) + "af:", Timeout: time.Second}),
			Budget:  ratelimit.Budget{Points: budget, Per: time.Hour}, // no point comes back during the test
		}
	})
	q := `{"query":"{ viewer { tier } }"}`
	ask := func(key string) response {
		return h.send(t, "POST", "/graphql", q, "Content-Type", jsonCT, "Authorization", "Bearer "+key)
	}
	// The valid store key, once: looked up, then remembered.
	if r := ask(secret); r.status != 200 {
		t.Fatalf("valid key: %d %s", r.status, r.raw)
	}
	before := st.lookups.Load()
	unknown, _ := auth.NewSecret()
	for i := range 3 {
		if r := ask(unknown); r.status != http.StatusUnauthorized || r.code() != "UNAUTHENTICATED" {
			t.Fatalf("unknown key, try %d: %d %s", i, r.status, r.raw)
		}
	}
	if n := st.lookups.Load() - before; n != 1 {
		t.Errorf("an unknown key repeated 3 times cost %d store lookups, want 1", n)
	}
	var statuses []int
	for range 2 * budget {
		k, _ := auth.NewSecret()
		r := ask(k)
		statuses = append(statuses, r.status)
		if r.status == http.StatusTooManyRequests {
			if r.code() != "THROTTLED" || r.header.Get("Retry-After") == "" {
				t.Errorf("429 without THROTTLED and Retry-After: %v %s", r.header, r.raw)
			}
		}
	}
	want := []int{401, 401, 429, 429, 429, 429, 429, 429, 429, 429} // 3 failures were spent above
	if fmt.Sprint(statuses) != fmt.Sprint(want) {
		t.Errorf("statuses of 10 random keys = %v, want %v", statuses, want)
	}
	if n := st.lookups.Load() - before; n != 3 {
		t.Errorf("store lookups = %d, want 3: none once the address is throttled", n)
	}
	if r := ask(secret); r.status != 200 {
		t.Errorf("a remembered valid key from a throttled address: %d %s", r.status, r.raw)
	}
	if r := ask(partnerKey); r.status != 200 {
		t.Errorf("a file key from a throttled address: %d %s", r.status, r.raw)
	}
	rec := httptest.NewRecorder()
	Operations(h.reg).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for reason, n := range map[string]int{"unknown": 5, "throttled": 8} {
		line := `creditgraph_auth_failures_total{reason="` + reason + `"} ` + strconv.Itoa(n)
		if !strings.Contains(rec.Body.String(), line) {
			t.Errorf("metrics lack %q:\n%s", line, rec.Body)
		}
	}
}
