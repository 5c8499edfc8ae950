package meter

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/ratelimit"
)

func testConfig(maxConcurrent int) *Config {
	b := ratelimit.Budget{Points: 100, Per: time.Hour}
	return &Config{Limiter: ratelimit.NewShared(nil, ratelimit.Options{}), MaxConcurrent: maxConcurrent, Now: time.Now,
		Budgets: map[credit.Tier]ratelimit.Budget{credit.TierPublic: b}}
}

// TestConcurrencyLimit: the secondary limit refuses a request while the
// caller already has MaxConcurrent in flight, and frees the slot after.
func TestConcurrencyLimit(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	h := Middleware(testConfig(1), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("block") != "" {
			entered <- struct{}{}
			<-release
		}
		w.WriteHeader(http.StatusOK)
	}))
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/graphql?block=1", nil))
	}()
	<-entered
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphql", nil))
	if rec.Code != http.StatusTooManyRequests || !strings.Contains(rec.Body.String(), "THROTTLED") || !strings.Contains(rec.Body.String(), "at most 1 concurrent") {
		t.Errorf("second request in flight: %d %s", rec.Code, rec.Body)
	}
	close(release)
	wg.Wait()
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphql", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("after the first finished: %d", rec.Code)
	}
}

func TestClientAddr(t *testing.T) {
	c := &Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}
	tests := []struct {
		name, remote, xff, want string
	}{
		{"direct client", "203.0.113.7:5000", "", "203.0.113.7"},
		{"untrusted peer's header is ignored", "203.0.113.7:5000", "198.51.100.1", "203.0.113.7"},
		{"trusted proxy", "10.1.2.3:5000", "198.51.100.1", "198.51.100.1"},
		{"right-most untrusted hop", "10.1.2.3:5000", "1.1.1.1, 198.51.100.1, 10.9.9.9", "198.51.100.1"},
		{"garbage header", "10.1.2.3:5000", "not-an-ip", "10.1.2.3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = tt.remote
			if tt.xff != "" {
				r.Header.Set("X-Forwarded-For", tt.xff)
			}
			if got := c.ClientAddr(r); got != tt.want {
				t.Errorf("ClientAddr = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestActualCost(t *testing.T) {
	tests := []struct {
		name, data string
		want       int
	}{
		{"empty", ``, 1},
		{"one object", `{"enterprise":{"name":"x"}}`, 1},
		{"250 connections", `{"enterprises":{"nodes":[` + strings.Repeat(`{"penalties":{"nodes":[]}},`, 249) + `{"penalties":{"nodes":[]}}]}}`, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ActualCost([]byte(tt.data)); got != tt.want {
				t.Errorf("ActualCost = %d, want %d", got, tt.want)
			}
		})
	}
}
