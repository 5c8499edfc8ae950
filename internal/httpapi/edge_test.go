package httpapi

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// send makes a request with a raw body and headers (name, value pairs) and
// returns the decoded answer; the body need not be JSON.
func (h *harness) send(t *testing.T, method, path, body string, headers ...string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, h.srv.URL+path, rd)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	r, _ := h.roundTrip(t, req)
	return r
}

const jsonCT = "application/json"

// TestTransportRefusals: every request that is not one readable GraphQL
// request is refused with its status and code, a message naming what was
// wrong, and neither the body echoed nor a Go type named.
func TestTransportRefusals(t *testing.T) {
	h := newHarness(t, memoryStore())
	const marker = "ECHO-MARKER-42"
	deep := `{"query":"{ viewer { tier } }","variables":{"v":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}}`
	tests := []struct {
		name, method, body string
		headers            []string
		status             int
		code, msg          string
	}{
		{"batch", "POST", `[{"query":"{ viewer { tier } }"},{"query":"{ viewer { tier } }","x":"` + marker + `"}]`, []string{"Content-Type", jsonCT}, 400, "BATCHING_NOT_SUPPORTED", "batched"},
		{"malformed JSON", "POST", `{"query":"{ viewer { tier } }", "` + marker, []string{"Content-Type", jsonCT}, 400, "BAD_REQUEST", "not valid JSON"},
		{"deeply nested", "POST", deep, []string{"Content-Type", jsonCT}, 400, "BAD_REQUEST", "not valid JSON"},
		{"not an object", "POST", `"` + marker + `"`, []string{"Content-Type", jsonCT}, 400, "BAD_REQUEST", "JSON object"},
		{"query not a string", "POST", `{"query":42}`, []string{"Content-Type", jsonCT}, 400, "BAD_REQUEST", "`query` must be a string"},
		{"variables an array", "POST", `{"query":"{ viewer { tier } }","variables":["` + marker + `"]}`, []string{"Content-Type", jsonCT}, 400, "BAD_REQUEST", "`variables` must be an object"},
		{"no query", "POST", `{"variables":{}}`, []string{"Content-Type", jsonCT}, 400, "BAD_REQUEST", "no `query`"},
		{"empty body", "POST", "", []string{"Content-Type", jsonCT}, 400, "BAD_REQUEST", "body is empty"},
		{"trailing data", "POST", `{"query":"{ viewer { tier } }"} {"query":"` + marker + `"}`, []string{"Content-Type", jsonCT}, 400, "BAD_REQUEST", "after its JSON object"},
		{"no content type", "POST", `{"query":"{ viewer { tier } }"}`, nil, 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type"},
		{"form body", "POST", `query=` + marker, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "UNSUPPORTED_MEDIA_TYPE", "application/x-www-form-urlencoded"},
		{"latin-1", "POST", `{"query":"{ viewer { tier } }"}`, []string{"Content-Type", "application/json; charset=iso-8859-1"}, 415, "UNSUPPORTED_MEDIA_TYPE", "UTF-8"},
		{"PUT", "PUT", `{"query":"{ viewer { tier } }"}`, []string{"Content-Type", jsonCT}, 405, "METHOD_NOT_ALLOWED", "PUT"},
		{"DELETE", "DELETE", "", nil, 405, "METHOD_NOT_ALLOWED", "DELETE"},
		{"PATCH", "PATCH", "", nil, 405, "METHOD_NOT_ALLOWED", "PATCH"},
		{"Accept text/html", "POST", `{"query":"{ viewer { tier } }"}`, []string{"Content-Type", jsonCT, "Accept", "text/html"}, 406, "NOT_ACCEPTABLE", "Accept"},
		{"GET without query", "GET", "", nil, 400, "BAD_REQUEST", "no `query`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.send(t, tt.method, "/graphql", tt.body, tt.headers...)
			if r.status != tt.status || r.code() != tt.code || !strings.Contains(r.raw2(), tt.msg) {
				t.Fatalf("%d %s; want %d %s mentioning %q", r.status, r.raw, tt.status, tt.code, tt.msg)
			}
			for _, bad := range []string{marker, "Go value", "graphql.RawParams", "json: cannot"} {
				if strings.Contains(string(r.raw), bad) {
					t.Errorf("the answer carries %q: %s", bad, r.raw)
				}
			}
			if r.status == 405 && r.header.Get("Allow") != "GET, POST, OPTIONS" {
				t.Errorf("405 without Allow: %v", r.header)
			}
			if bytes.Contains(r.raw, []byte(`"data"`)) {
				t.Errorf("a refused request has a data entry: %s", r.raw)
			}
		})
	}
	t.Run("GET with bad variables", func(t *testing.T) {
		r := h.send(t, "GET", "/graphql?query=%7Bviewer%7Btier%7D%7D&variables=%5B1", "")
		if r.status != 400 || r.code() != "BAD_REQUEST" || !strings.Contains(r.raw2(), "`variables`") {
			t.Errorf("%d %s", r.status, r.raw)
		}
	})
}

// raw2 is the answer's body with its JSON string escapes undone, for
// matching messages that quote.
func (r response) raw2() string {
	if len(r.Errors) > 0 {
		return r.Errors[0].Message
	}
	return string(r.raw)
}

// TestRequestErrorStatusByMediaType: the GraphQL-over-HTTP rules for parse,
// validation and coercion failures — 200 under application/json, 400 under
// application/graphql-response+json, never a data entry.
func TestRequestErrorStatusByMediaType(t *testing.T) {
	h := newHarness(t, memoryStore())
	bodies := map[string]string{
		"parse":      `{"query":"{ viewer { "}`,
		"validation": `{"query":"{ nope }"}`,
		"coercion":   `{"query":"query($u: ID!) { enterprise(uscc: $u) { name } }","variables":{"u":{"x":1}}}`,
	}
	for name, body := range bodies {
		for accept, want := range map[string]int{"application/json": 200, "application/graphql-response+json": 400} {
			t.Run(name+" "+accept, func(t *testing.T) {
				r := h.send(t, "POST", "/graphql", body, "Content-Type", jsonCT, "Accept", accept)
				if r.status != want || r.code() == "" || bytes.Contains(r.raw, []byte(`"data"`)) || r.header.Get("Content-Type") != accept {
					t.Errorf("%d %s %s; want %d, a code, no data", r.status, r.header.Get("Content-Type"), r.raw, want)
				}
			})
		}
	}
}

// TestDeferIsNotServed: @defer and @stream are in no tier's schema, and a
// query using one fails validation naming it (it used to answer a non-null
// field with null and no error); directives describing tiers are declared
// only for REGULATOR.
func TestDeferIsNotServed(t *testing.T) {
	h := newHarness(t, memoryStore())
	r := h.query(t, `{ enterprise(uscc: "`+foodCo+`") { name ... @defer { creditSummary { penaltyCount } } } }`, nil)
	if r.code() != "GRAPHQL_VALIDATION_FAILED" || !strings.Contains(r.Errors[0].Message, "@defer") || r.Data != nil {
		t.Errorf("@defer: %d %s", r.status, r.raw)
	}
	keys := map[string][]string{"PUBLIC": nil, "PARTNER": bearer(partnerKey), "REGULATOR": bearer(regulatorKey)}
	for tier, hdr := range keys {
		var out struct {
			Schema struct{ Directives []struct{ Name string } } `json:"__schema"`
		}
		h.query(t, `{ __schema { directives { name } } }`, nil, hdr...).data(t, &out)
		var names []string
		for _, d := range out.Schema.Directives {
			names = append(names, d.Name)
		}
		for _, d := range []string{"defer", "stream"} {
			if slices.Contains(names, d) {
				t.Errorf("%s introspection declares @%s: %v", tier, d, names)
			}
		}
		if got := slices.Contains(names, "disclosure"); got != (tier == "REGULATOR") {
			t.Errorf("%s introspection declares @disclosure = %v: %v", tier, got, names)
		}
	}
}

// TestRefusedQueryReportsTheRealBudget: a query refused before it is
// charged costs nothing and reports the budget as it is, not zeros.
func TestRefusedQueryReportsTheRealBudget(t *testing.T) {
	h := newHarness(t, memoryStore())
	h.query(t, `{ viewer { tier } }`, nil) // spend a point
	r, hdr := h.queryHeaders(t, "{"+aliases(31)+" }")
	c := costOf(t, r)
	if r.code() != "MAX_ALIASES_EXCEEDED" || c.ActualQueryCost != 0 || c.ThrottleStatus.MaximumAvailable != 100_000 ||
		c.ThrottleStatus.CurrentlyAvailable != 99_999 || c.ThrottleStatus.RestoreRate == 0 || hdr.Get("RateLimit-Remaining") != "99999" {
		t.Errorf("refused query: cost %+v, RateLimit-Remaining %q: %s", c, hdr.Get("RateLimit-Remaining"), r.raw)
	}
}

// TestVaryAndSecurityHeaders: a GraphQL answer names every request header
// it depends on, and every answer carries the security headers.
func TestVaryAndSecurityHeaders(t *testing.T) {
	h := newHarness(t, memoryStore())
	for _, tc := range []struct{ name, method, path, body string }{
		{"POST /graphql", "POST", "/graphql", `{"query":"{ viewer { tier } }"}`},
		{"GET /graphql", "GET", "/graphql?query=%7Bviewer%7Btier%7D%7D", ""},
		{"refused", "PUT", "/graphql", ""},
		{"explorer", "GET", "/", ""},
		{"healthz", "GET", "/healthz", ""},
		{"unknown path", "GET", "/nope", ""},
		{"unknown asset", "GET", "/explorer/nope.js", ""},
		{"explorer POST", "POST", "/", ""},
		{"healthz DELETE", "DELETE", "/healthz", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := h.send(t, tc.method, tc.path, tc.body, "Content-Type", jsonCT)
			want := map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}
			for k, v := range want {
				if r.header.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, r.header.Get(k), v)
				}
			}
			if !strings.Contains(r.header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Errorf("CSP %q", r.header.Get("Content-Security-Policy"))
			}
			if strings.HasPrefix(tc.path, "/graphql") {
				vary := strings.Join(r.header.Values("Vary"), ",")
				for _, name := range []string{"Accept", "Authorization", "Origin"} {
					if !strings.Contains(vary, name) {
						t.Errorf("Vary %q does not name %s", vary, name)
					}
				}
			}
			if r.status >= 400 && r.code() == "" {
				t.Errorf("%d without extensions.code: %s", r.status, r.raw)
			}
		})
	}
}

// TestMetricsArePrivate: /metrics is not on the public handler; the
// operators' handler serves it.
func TestMetricsArePrivate(t *testing.T) {
	h := newHarness(t, memoryStore())
	if r := h.send(t, "GET", "/metrics", ""); r.status != http.StatusNotFound || r.code() != "NOT_FOUND" {
		t.Errorf("public GET /metrics: %d %s", r.status, r.raw)
	}
	h.query(t, `{ viewer { tier } }`, nil, "Authorization", "Bearer cg_nonsense")
	rec := httptest.NewRecorder()
	Operations(h.reg).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `creditgraph_auth_failures_total{reason="malformed"} 1`) {
		t.Errorf("operators' /metrics: %d\n%s", rec.Code, rec.Body)
	}
}
