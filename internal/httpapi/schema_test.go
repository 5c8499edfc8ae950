package httpapi

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// TestSchemaDownload: GET /schema.graphql is the caller's tier's SDL, the
// very file in docs/schema/; an ETag answers 304; a bad key is 401.
func TestSchemaDownload(t *testing.T) {
	h := newHarness(t, memoryStore())
	for _, c := range leakCallers {
		req, _ := http.NewRequest(http.MethodGet, h.srv.URL+"/schema.graphql", nil)
		for i := 0; i+1 < len(c.headers); i += 2 {
			req.Header.Set(c.headers[i], c.headers[i+1])
		}
		res, err := h.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		want, err := os.ReadFile(filepath.Join("..", "..", "docs", "schema", strings.ToLower(c.tier.String())+".graphql"))
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != 200 || string(body) != string(want) {
			t.Errorf("%s: GET /schema.graphql: %d, %d bytes; want docs/schema/%s.graphql (%d bytes)", c.name, res.StatusCode, len(body), strings.ToLower(c.tier.String()), len(want))
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
			t.Errorf("%s: Content-Type %q", c.name, ct)
		}
		if c.tier < credit.TierRegulator && (strings.Contains(string(body), "@disclosure") || strings.Contains(string(body), "phone")) {
			t.Errorf("%s: the SDL shows what the tier may not see", c.name)
		}
		req.Header.Set("If-None-Match", res.Header.Get("ETag"))
		res2, err := h.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res2.Body.Close()
		if res2.StatusCode != http.StatusNotModified {
			t.Errorf("%s: If-None-Match with the ETag: %d, want 304", c.name, res2.StatusCode)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, h.srv.URL+"/schema.graphql", nil)
	req.Header.Set("Authorization", "Bearer cg_nosuchkeynosuchkeynosuchkey0000")
	if r := h.do(t, req); r.status != http.StatusUnauthorized || r.code() != "UNAUTHENTICATED" {
		t.Errorf("a bad key: %d %s", r.status, r.raw)
	}
	req, _ = http.NewRequest(http.MethodPost, h.srv.URL+"/schema.graphql", nil)
	if r := h.do(t, req); r.status != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d %s", r.status, r.raw)
	}
}
