// Package explorer serves the in-browser GraphQL explorer (GraphiQL) at "/"
// from assets embedded in the binary, so it works on networks with no CDN.
//
// It owns the page, its security headers and the built GraphiQL bundle in
// dist/ (rebuilt from web/ with npm; see README.md). It must not touch the
// GraphQL endpoint itself: the page only posts to Options.Endpoint, and no
// asset refers to another host.
package explorer

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"strings"
)

// AssetPrefix is the path under which the hashed, immutable assets are
// served, e.g. /explorer/graphiql.3f2a…js.
const AssetPrefix = "/explorer/"

// DefaultEndpoint is where the explorer sends queries unless told otherwise.
const DefaultEndpoint = "/graphql"

// PlaceholderUSCC is the code in DefaultQuery; callers may substitute a real one.
const PlaceholderUSCC = "91350100MA00000X0J"

// DefaultQuery is shown in a fresh explorer: an enterprise profile for a
// placeholder (well-formed, check character valid) unified social credit code.
const DefaultQuery = `# Welcome to the Creditgraph explorer. 欢迎使用 Creditgraph 查询浏览器。
#
# Without a key you read at the PUBLIC tier. To use an API key, open the
# Headers tab below and enter:  {"Authorization": "Bearer <key>"}
# 不带密钥时按公众（PUBLIC）层级读取；使用 API 密钥时，在下方 Headers 中填写上面的内容。
#
# Replace the USCC below and press Ctrl-Enter or the run button (▶).
# 替换下面的统一社会信用代码，然后按 Ctrl-Enter 或运行按钮（▶）。
# More examples: the menu above. 更多示例：见上方菜单。
query EnterpriseProfile {
  enterprise(uscc: "91350100MA00000X0J") {
    uscc
    name
    formerNames
    status
    type
    legalRepresentative
    registeredCapital
    establishedOn
    registrationAuthority
    address
    regionCode
    keyAreas
    creditSummary {
      penaltyCount
      totalFines
      onSeriousDishonestyList
      onAbnormalOperationList
      validLicenseCount
      nonCompliantInspectionCount
    }
    licenses(first: 5) {
      nodes { licenseNumber name validTo }
    }
    inspections(first: 5) {
      nodes { kind inspectedOn result product }
    }
    penalties(first: 5) {
      totalCount
      nodes {
        decisionNumber
        violationType
        penaltyTypes
        fineAmount
        authority
        decidedOn
        publishedOn
        disclosureEndsOn
      }
    }
  }
}
`

// Options configure the explorer page. The zero value is usable.
type Options struct {
	// Title is the page title; default "Creditgraph explorer".
	Title string
	// Endpoint is the GraphQL URL the page posts to; default "/graphql".
	// A path on the same origin is expected; an absolute URL's origin is
	// added to the page's connect-src.
	Endpoint string
	// DefaultQuery fills the editor on a first visit; default DefaultQuery.
	DefaultQuery string
	// NotFound answers a path that is neither the page nor an asset;
	// default http.NotFound.
	NotFound http.Handler
	// ExampleUSCC is the enterprise the example menu's lookups name;
	// default PlaceholderUSCC.
	ExampleUSCC string
	// PartnerKey, when set, is put in the header editor by the menu's
	// PARTNER examples: only a key published for anyone (the demo's).
	PartnerKey string
}

// Handler serves the explorer page at "/" and its assets under AssetPrefix.
// Any other path is 404, so it can be mounted as the catch-all "/" route.
func Handler(opts Options) http.Handler {
	if opts.Title == "" {
		opts.Title = "Creditgraph explorer"
	}
	if opts.Endpoint == "" {
		opts.Endpoint = DefaultEndpoint
	}
	if opts.DefaultQuery == "" {
		opts.DefaultQuery = DefaultQuery
	}
	if opts.ExampleUSCC == "" {
		opts.ExampleUSCC = PlaceholderUSCC
	}
	a := bundledAssets()
	return &handler{
		page: pageData{
			Title:        opts.Title,
			Endpoint:     opts.Endpoint,
			DefaultQuery: opts.DefaultQuery,
			ExampleUSCC:  opts.ExampleUSCC,
			PartnerKey:   opts.PartnerKey,
			JS:           a.js.path,
			CSS:          a.css.path,
			Favicon:      a.favicon.path,
		},
		connectSrc: connectSrc(opts.Endpoint),
		assets:     a.byPath,
		notFound:   cmp.Or[http.Handler](opts.NotFound, http.HandlerFunc(http.NotFound)),
	}
}

type handler struct {
	page       pageData
	connectSrc string
	assets     map[string]*asset
	notFound   http.Handler
}

// pageData fills index.html.tmpl.
type pageData struct {
	Title, Endpoint, DefaultQuery string
	ExampleUSCC, PartnerKey       string
	JS, CSS, Favicon              string
	Nonce                         string
	Lang                          string // the page's language until its script decides: zh-CN or en
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	switch p := r.URL.Path; {
	case p == "/":
		h.serveIndex(w, r)
	case strings.HasPrefix(p, AssetPrefix) && h.assets[p] != nil:
		h.assets[p].serve(w, r)
	default:
		h.notFound.ServeHTTP(w, r)
	}
}

// serveIndex renders the page per request: each response gets a fresh CSP
// nonce, which the bundle hands to GraphiQL's dialogs so they may insert
// their scroll-lock <style> element (react-remove-scroll).
func (h *handler) serveIndex(w http.ResponseWriter, r *http.Request) {
	data := h.page
	data.Nonce = newNonce()
	data.Lang = pageLanguage(r.Header.Get("Accept-Language"))
	var page bytes.Buffer
	if err := pageTemplate.Execute(&page, data); err != nil {
		http.Error(w, "explorer: rendering page failed", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-cache")
	hd.Set("Vary", "Accept-Language")
	hd.Set("Content-Security-Policy", contentSecurityPolicy(h.connectSrc, data.Nonce))
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("X-Frame-Options", "DENY")
	_, _ = w.Write(page.Bytes()) // a failed write means the client left
}

// contentSecurityPolicy allows the page's own origin only. The data: sources
// are the fonts and small images inlined in GraphiQL's CSS; they cause no
// request.
func contentSecurityPolicy(connectSrc, nonce string) string {
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self' 'nonce-" + nonce + "'",
		"img-src 'self' data:",
		"font-src 'self' data:",
		"connect-src " + connectSrc,
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'",
	}, "; ")
}

// connectSrc is 'self', plus the endpoint's origin when it is absolute.
func connectSrc(endpoint string) string {
	if u, err := url.Parse(endpoint); err == nil && u.Scheme != "" && u.Host != "" {
		return "'self' " + u.Scheme + "://" + u.Host
	}
	return "'self'"
}

func newNonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)                            // crypto/rand.Read never returns an error (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b) // URL alphabet: no characters html/template escapes
}

var pageTemplate = template.Must(template.ParseFS(templateFS, "index.html.tmpl"))

// pageLanguage is zh-CN when Chinese comes before English in an
// Accept-Language header, else en. The page's script decides again from
// navigator.languages and the reader's own choice.
func pageLanguage(accept string) string {
	for _, part := range strings.Split(accept, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case strings.HasPrefix(tag, "zh"):
			return "zh-CN"
		case strings.HasPrefix(tag, "en"):
			return "en"
		}
	}
	return "en"
}
