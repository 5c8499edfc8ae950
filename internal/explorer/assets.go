package explorer

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// The bundle is built by web/build.sh and committed, so `go build` needs no
// npm. Naming each file makes a missing one a compile error.
//
//go:embed dist/graphiql.js dist/graphiql.css dist/favicon.svg
var distFS embed.FS

//go:embed index.html.tmpl
var templateFS embed.FS

// asset is one embedded file, served at a path that includes its content
// hash so browsers may cache it forever.
type asset struct {
	path        string // e.g. /explorer/graphiql.0123456789ab.js
	contentType string
	etag        string // quoted hash; "-gzip" suffix for the gzip form
	body        []byte
	gzipped     []byte // nil when compressing does not pay
}

type assetSet struct {
	js, css, favicon *asset
	byPath           map[string]*asset
}

// bundledAssets hashes and compresses the embedded files once per process;
// they never change, so every Handler shares the result.
var bundledAssets = sync.OnceValue(func() *assetSet {
	s := &assetSet{
		js:      newAsset("graphiql.js", "text/javascript; charset=utf-8"),
		css:     newAsset("graphiql.css", "text/css; charset=utf-8"),
		favicon: newAsset("favicon.svg", "image/svg+xml"),
	}
	s.byPath = map[string]*asset{}
	for _, a := range []*asset{s.js, s.css, s.favicon} {
		s.byPath[a.path] = a
	}
	return s
})

func newAsset(name, contentType string) *asset {
	body, err := distFS.ReadFile("dist/" + name)
	if err != nil {
		panic("explorer: embedded asset missing: " + err.Error()) // embed guarantees it
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:6])
	ext := path.Ext(name)
	a := &asset{
		path:        AssetPrefix + strings.TrimSuffix(name, ext) + "." + hash + ext,
		contentType: contentType,
		etag:        `"` + hash + `"`,
		body:        body,
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // level is valid
	_, _ = zw.Write(body)                                    // writes to memory cannot fail
	_ = zw.Close()
	if buf.Len() < len(body)*9/10 {
		a.gzipped = buf.Bytes()
	}
	return a
}

func (a *asset) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	body, etag := a.body, a.etag
	if a.gzipped != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Values("Accept-Encoding")) {
			h.Set("Content-Encoding", "gzip")
			body, etag = a.gzipped, strings.TrimSuffix(a.etag, `"`)+`-gzip"`
		}
	}
	h.Set("ETag", etag)
	// ServeContent answers If-None-Match, HEAD and Range requests.
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reports whether Accept-Encoding allows gzip: listed (or
// covered by *) with a non-zero quality, and not refused explicitly.
func acceptsGzip(values []string) bool {
	gzip, star := -1, -1 // -1 absent, 0 refused, 1 accepted
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(part, ";")
			ok := 1
			if q, found := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q="); found && isZeroQ(q) {
				ok = 0
			}
			switch strings.ToLower(strings.TrimSpace(coding)) {
			case "gzip", "x-gzip":
				gzip = ok
			case "*":
				star = ok
			}
		}
	}
	if gzip >= 0 {
		return gzip == 1
	}
	return star == 1
}

// isZeroQ reports whether a qvalue ("0", "0.0", "0.000") is zero.
func isZeroQ(q string) bool {
	return strings.HasPrefix(q, "0") && strings.Trim(q, "0.") == ""
}
