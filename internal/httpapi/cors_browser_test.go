package httpapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/creditgraph/creditgraph/internal/explorer/browsertest"
)

// TestCrossOriginBrowser: a web page on another origin, in headless
// Chromium, reads a profile with an API key (a preflighted request) and
// the budget headers of the answer.
func TestCrossOriginBrowser(t *testing.T) {
	browsertest.RequireChromium(t)
	h := newHarness(t, memoryStore())
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>a consumer app</title><p>checking a supplier…</p>`))
	}))
	defer page.Close()
	// The page is http://127.0.0.1:port, the API http://localhost:port:
	// two origins.
	pageURL, apiURL := page.URL, strings.Replace(h.srv.URL, "127.0.0.1", "localhost", 1)
	body, _ := json.Marshal(map[string]any{"query": profileQuery, "variables": map[string]string{"uscc": foodCo}})
	script := `(async () => {
  const res = await fetch(` + jsQuote(apiURL+"/graphql") + `, {
    method: "POST",
    headers: {"Content-Type": "application/json", "Authorization": "Bearer ` + partnerKey + `"},
    body: ` + jsQuote(string(body)) + `,
  });
  const h = name => res.headers.get(name);
  return JSON.stringify({status: res.status, body: await res.json(),
    limit: h("X-RateLimit-Limit"), remaining: h("X-RateLimit-Remaining"), reset: h("RateLimit-Reset"), cache: h("Creditgraph-Cache")});
})()`
	out := browsertest.Script(t, pageURL, script)
	var got struct {
		Status                         int
		Body                           struct{ Data profile }
		Limit, Remaining, Reset, Cache string
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	e := got.Body.Data.Enterprise
	if got.Status != 200 || e == nil || e.Name != "福州闽香食品有限公司" || e.Penalties.TotalCount != 2 {
		t.Errorf("the page read %s", out)
	}
	if got.Limit != "100000" || got.Remaining == "" || got.Reset == "" || got.Cache == "" {
		t.Errorf("the page could not read the budget and cache headers: %s", out)
	}
}

func jsQuote(s string) string { b, _ := json.Marshal(s); return string(b) }
