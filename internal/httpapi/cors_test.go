package httpapi

import (
	"net/http"
	"strings"
	"testing"
)

// TestCORS: a page on another origin may call the API — the preflight is
// answered and cacheable, Authorization and Content-Type are allowed, the
// budget, cache, ETag and Retry-After headers are readable, and credentials
// are never allowed; with a list of origins, only those get the headers.
func TestCORS(t *testing.T) {
	preflight := []string{"Origin", "https://app.example.org", "Access-Control-Request-Method", "POST",
		"Access-Control-Request-Headers", "authorization, content-type"}
	t.Run("any origin", func(t *testing.T) {
		h := newHarness(t, memoryStore())
		r := h.send(t, "OPTIONS", "/graphql", "", preflight...)
		hd := r.header
		if r.status != http.StatusNoContent || hd.Get("Access-Control-Allow-Origin") != "*" || hd.Get("Access-Control-Max-Age") != "7200" ||
			!strings.Contains(strings.ToLower(hd.Get("Access-Control-Allow-Headers")), "authorization") ||
			!strings.Contains(hd.Get("Access-Control-Allow-Methods"), "POST") || hd.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("preflight: %d %v", r.status, hd)
		}
		r = h.send(t, "POST", "/graphql", `{"query":"{ viewer { tier } }"}`, "Content-Type", jsonCT, "Origin", "https://app.example.org")
		exposed := strings.ToLower(r.header.Get("Access-Control-Expose-Headers"))
		for _, name := range []string{"ratelimit-remaining", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after", "etag", "creditgraph-cache"} {
			if !strings.Contains(exposed, name) {
				t.Errorf("%s is not exposed: %q", name, exposed)
			}
		}
		if r.status != 200 || r.header.Get("Access-Control-Allow-Origin") != "*" || r.header.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("actual request: %d %v", r.status, r.header)
		}
		// An error answer must be readable too.
		r = h.send(t, "POST", "/graphql", `{"query":"{ viewer { tier } }"}`, "Content-Type", jsonCT, "Origin", "https://app.example.org", "Authorization", "Bearer cg_x")
		if r.status != http.StatusUnauthorized || r.header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("401 without CORS headers: %d %v", r.status, r.header)
		}
	})
	t.Run("listed origins", func(t *testing.T) {
		h := newHarnessWith(t, memoryStore(), func(d *Deps) {
			d.Options.CORS = CORSOptions{AllowedOrigins: []string{"https://app.example.org"}, MaxAge: 600e9}
		})
		r := h.send(t, "OPTIONS", "/graphql", "", preflight...)
		if r.header.Get("Access-Control-Allow-Origin") != "https://app.example.org" || r.header.Get("Access-Control-Max-Age") != "600" {
			t.Errorf("listed origin's preflight: %v", r.header)
		}
		r = h.send(t, "POST", "/graphql", `{"query":"{ viewer { tier } }"}`, "Content-Type", jsonCT, "Origin", "https://evil.example")
		if r.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("unlisted origin allowed: %v", r.header)
		}
	})
}
