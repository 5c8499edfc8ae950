package httpapi

import (
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkEdge measures the edge's own middleware around a trivial route
// (GET /healthz on the embedded store): logging and metrics, security
// headers, CORS, the body limit, authentication, the timeout and the mux.
// With an Origin header the CORS headers are written too.
//
//	go test -run '^$' -bench Edge -benchmem ./internal/httpapi
func BenchmarkEdge(b *testing.B) {
	h := New(Deps{Store: memoryStore(), Log: discardLog(),
		Options: Options{MaxBodyBytes: 1 << 20, RequestTimeout: 10 * time.Second}})
	for _, origin := range []string{"", "https://app.example.org"} {
		name := "same-origin"
		if origin != "" {
			name = "cross-origin"
		}
		b.Run(name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/healthz", nil)
			if origin != "" {
				req.Header.Set("Origin", origin)
			}
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}
