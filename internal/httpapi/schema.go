package httpapi

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"

	"github.com/creditgraph/creditgraph/graph"
	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/credit"
)

// schemaHandler serves GET /schema.graphql: the SDL of the caller's tier
// (graph.TierSDL), the same schema its introspection shows, for code
// generators and editors. It costs no points, like introspection's text
// would not: it is the same few kilobytes for everyone of a tier.
func schemaHandler() http.Handler {
	type doc struct{ body, etag string }
	full := graph.NewExecutableSchema(graph.Config{}).Schema()
	docs := map[credit.Tier]doc{}
	for _, t := range credit.Tiers {
		sdl := graph.TierSDL(full, t)
		sum := sha256.Sum256([]byte(sdl))
		docs[t] = doc{body: sdl, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := docs[auth.FromContext(r.Context()).Tier]
		h := w.Header()
		h.Set("Vary", "Authorization")
		h.Set("ETag", d.etag)
		h.Set("Cache-Control", "no-cache")
		if r.Header.Get("If-None-Match") == d.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h.Set("Content-Type", "text/plain; charset=utf-8")
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write([]byte(d.body))
	})
}
