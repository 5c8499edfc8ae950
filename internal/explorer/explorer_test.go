package explorer_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/creditgraph/creditgraph/internal/explorer"
)

var assetURL = regexp.MustCompile(`/explorer/[a-z]+\.[0-9a-f]{12}\.(js|css|svg)`)

func get(t *testing.T, h http.Handler, method, target string, header map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestIndex(t *testing.T) {
	h := explorer.Handler(explorer.Options{})
	res := get(t, h, http.MethodGet, "/", nil)
	page := body(t, res)

	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /: status %d", res.StatusCode)
	}
	for k, want := range map[string]string{
		"Content-Type":           "text/html; charset=utf-8",
		"Cache-Control":          "no-cache",
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Referrer-Policy":        "no-referrer",
	} {
		if got := res.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}

	csp := res.Header.Get("Content-Security-Policy")
	nonce := regexp.MustCompile(`'nonce-([A-Za-z0-9_-]{22})'`).FindStringSubmatch(csp)
	if nonce == nil {
		t.Fatalf("CSP %q has no style nonce", csp)
	}
	for _, d := range []string{
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self' 'nonce-" + nonce[1] + "'",
		"img-src 'self' data:",
		"font-src 'self' data:",
		"connect-src 'self'",
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'",
	} {
		if !strings.Contains(csp, d+";") && !strings.HasSuffix(csp, d) {
			t.Errorf("CSP %q lacks %q", csp, d)
		}
	}
	if strings.Contains(csp, "unsafe") || strings.Contains(csp, "http") {
		t.Errorf("CSP %q allows unsafe or remote sources", csp)
	}
	if !strings.Contains(page, `nonce="`+nonce[1]+`"`) {
		t.Errorf("the script tag does not carry the CSP nonce %s", nonce[1])
	}

	for _, want := range []string{
		"<title>Creditgraph explorer</title>",
		`data-endpoint="/graphql"`,
		`enterprise(uscc: &#34;91350100MA00000X0J&#34;)`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	if n := len(assetURL.FindAllString(page, -1)); n != 3 {
		t.Errorf("index.html links %d hashed assets, want 3 (js, css, favicon)", n)
	}
	if strings.Contains(page, "//") && regexp.MustCompile(`(src|href)="(https?:)?//`).MatchString(page) {
		t.Error("index.html refers to another host")
	}

	again := get(t, h, http.MethodGet, "/", nil)
	if again.Header.Get("Content-Security-Policy") == csp {
		t.Error("two responses share a CSP nonce")
	}
}

func TestIndexOptions(t *testing.T) {
	h := explorer.Handler(explorer.Options{
		Title:        "Fujian <credit>",
		Endpoint:     "https://api.example.test/graphql",
		DefaultQuery: `{ enterprise(uscc: "X") { name } } # "</div><script>`,
	})
	res := get(t, h, http.MethodGet, "/", nil)
	page := body(t, res)
	for _, want := range []string{
		"<title>Fujian &lt;credit&gt;</title>",
		`data-endpoint="https://api.example.test/graphql"`,
		`data-default-query="{ enterprise(uscc: &#34;X&#34;) { name } } # &#34;&lt;/div&gt;&lt;script&gt;"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self' https://api.example.test;") {
		t.Errorf("CSP %q does not allow the absolute endpoint's origin", csp)
	}
}

func TestAssets(t *testing.T) {
	h := explorer.Handler(explorer.Options{})
	page := body(t, get(t, h, http.MethodGet, "/", nil))
	types := map[string]string{
		"js":  "text/javascript; charset=utf-8",
		"css": "text/css; charset=utf-8",
		"svg": "image/svg+xml",
	}
	for _, m := range assetURL.FindAllStringSubmatch(page, -1) {
		path, ext := m[0], m[1]
		t.Run(path, func(t *testing.T) {
			plain := get(t, h, http.MethodGet, path, nil)
			identity := body(t, plain)
			if plain.StatusCode != http.StatusOK || len(identity) == 0 {
				t.Fatalf("GET %s: status %d, %d bytes", path, plain.StatusCode, len(identity))
			}
			if got := plain.Header.Get("Content-Type"); got != types[ext] {
				t.Errorf("Content-Type = %q, want %q", got, types[ext])
			}
			if got := plain.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
				t.Errorf("Cache-Control = %q", got)
			}
			if plain.Header.Get("Content-Encoding") != "" {
				t.Errorf("gzip sent to a client that did not ask for it")
			}

			etag := plain.Header.Get("ETag")
			if res := get(t, h, http.MethodGet, path, map[string]string{"If-None-Match": etag}); res.StatusCode != http.StatusNotModified {
				t.Errorf("If-None-Match %s: status %d, want 304", etag, res.StatusCode)
			}
			head := get(t, h, http.MethodHead, path, nil)
			if b := body(t, head); head.StatusCode != http.StatusOK || b != "" {
				t.Errorf("HEAD: status %d, %d body bytes", head.StatusCode, len(b))
			}

			if ext == "svg" {
				return // too small to be worth compressing
			}
			zipped := get(t, h, http.MethodGet, path, map[string]string{"Accept-Encoding": "br, gzip;q=0.8"})
			if zipped.Header.Get("Content-Encoding") != "gzip" || zipped.Header.Get("Vary") != "Accept-Encoding" {
				t.Fatalf("Accept-Encoding gzip: Content-Encoding %q, Vary %q",
					zipped.Header.Get("Content-Encoding"), zipped.Header.Get("Vary"))
			}
			if zipped.Header.Get("ETag") == etag {
				t.Error("the gzip and identity forms share an ETag")
			}
			zr, err := gzip.NewReader(bytes.NewReader([]byte(body(t, zipped))))
			if err != nil {
				t.Fatal(err)
			}
			unzipped, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if string(unzipped) != identity {
				t.Error("the gzip form does not decompress to the asset")
			}
			refused := get(t, h, http.MethodGet, path, map[string]string{"Accept-Encoding": "gzip;q=0, *"})
			if refused.Header.Get("Content-Encoding") != "" {
				t.Error("gzip sent to a client that refused it")
			}
		})
	}
}

func TestNotFoundAndMethods(t *testing.T) {
	h := explorer.Handler(explorer.Options{})
	tests := []struct {
		name, method, path string
		want               int
	}{
		{"unknown hash", http.MethodGet, "/explorer/graphiql.000000000000.js", http.StatusNotFound},
		{"unhashed name", http.MethodGet, "/explorer/graphiql.js", http.StatusNotFound},
		{"asset directory", http.MethodGet, "/explorer/", http.StatusNotFound},
		{"other path", http.MethodGet, "/index.html", http.StatusNotFound},
		{"traversal", http.MethodGet, "/explorer/../explorer.go", http.StatusNotFound},
		{"post to the page", http.MethodPost, "/", http.StatusMethodNotAllowed},
		{"delete an asset", http.MethodDelete, "/explorer/graphiql.js", http.StatusMethodNotAllowed},
		{"head the page", http.MethodHead, "/", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := get(t, h, tt.method, tt.path, nil)
			if res.StatusCode != tt.want {
				t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, res.StatusCode, tt.want)
			}
			if tt.want == http.StatusMethodNotAllowed && res.Header.Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow = %q", res.Header.Get("Allow"))
			}
		})
	}
}
