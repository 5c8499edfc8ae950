package explorer_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/creditgraph/creditgraph/internal/explorer"
	"github.com/creditgraph/creditgraph/internal/explorer/browsertest"
)

// stubGraphQL answers every request with {"data":{"hello":"world"}} and
// remembers the headers it was sent.
type stubGraphQL struct {
	mu      sync.Mutex
	headers []http.Header
}

func (s *stubGraphQL) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.headers = append(s.headers, r.Header.Clone())
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/graphql-response+json")
	_, _ = w.Write([]byte(`{"data":{"hello":"world"}}`))
}

// last returns the headers of the latest request: the query's, since
// GraphiQL's introspection request comes first.
func (s *stubGraphQL) last() http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.headers) == 0 {
		return http.Header{}
	}
	return s.headers[len(s.headers)-1]
}

func serve(t *testing.T) (*httptest.Server, *stubGraphQL) {
	stub := &stubGraphQL{}
	mux := http.NewServeMux()
	mux.Handle("/", explorer.Handler(explorer.Options{}))
	mux.Handle("/graphql", stub)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, stub
}

func TestBrowserRunQuery(t *testing.T) {
	t.Parallel()
	srv, stub := serve(t)
	start := time.Now()
	// RunQuery itself fails the test on any request to a non-local host
	// and on any CSP violation.
	text := browsertest.RunQuery(t, srv.URL, "{ hello }")
	t.Logf("RunQuery took %v", time.Since(start))
	if !strings.Contains(text, `"hello": "world"`) {
		t.Errorf("response pane = %q, want the stub's hello world", text)
	}
	h := stub.last()
	if got := h.Get("Content-Type"); got != "application/json" {
		t.Errorf("the explorer sent Content-Type %q", got)
	}
	if got := h.Get("Accept"); got != "application/graphql-response+json, application/json" {
		t.Errorf("the explorer sent Accept %q", got)
	}
}

func TestBrowserHeadersAndDialogs(t *testing.T) {
	t.Parallel()
	srv, stub := serve(t)
	res := browsertest.Run(t, srv.URL, browsertest.Query{
		Text:    "query Hello { hello }",
		Headers: map[string]string{"Authorization": "Bearer cg_test_key"},
		// The settings dialog locks scrolling with an inline <style>,
		// which the CSP admits only through the page's nonce.
		After: []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`button[aria-label="Open settings dialog"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[role="dialog"]`)),
			chromedp.WaitReady(chromedp.CSS(`body[data-scroll-locked]`)),
		},
	})
	if !strings.Contains(res.Text, "world") {
		t.Errorf("response pane = %q", res.Text)
	}
	if got := stub.last().Get("Authorization"); got != "Bearer cg_test_key" {
		t.Errorf("the header editor's Authorization reached the server as %q", got)
	}
	if len(res.Offsite) > 0 {
		t.Errorf("requests left the machine: %q", res.Offsite)
	}
	if len(res.CSPViolations) > 0 {
		t.Errorf("CSP violations: %q", res.CSPViolations)
	}
	if len(res.Errors) > 0 {
		t.Errorf("page errors: %q", res.Errors)
	}
	for _, want := range []string{"/explorer/graphiql.", "/graphql"} {
		if !slices.ContainsFunc(res.Requests, func(u string) bool { return strings.Contains(u, want) }) {
			t.Errorf("no request for %s among %q", want, res.Requests)
		}
	}
}
