package explorer_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/creditgraph/creditgraph/internal/explorer"
	"github.com/creditgraph/creditgraph/internal/explorer/browsertest"
)

// bodies records the GraphQL requests the page sends (their JSON bodies and
// Authorization headers) and answers each with a small result.
type bodies struct {
	mu   sync.Mutex
	reqs []struct{ query, auth string }
}

func (b *bodies) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	var p struct{ Query string }
	_ = json.Unmarshal(raw, &p)
	b.mu.Lock()
	b.reqs = append(b.reqs, struct{ query, auth string }{p.Query, r.Header.Get("Authorization")})
	b.mu.Unlock()
	w.Header().Set("Content-Type", "application/graphql-response+json")
	_, _ = w.Write([]byte(`{"data":{"ran":"example"}}`))
}

// sent returns the last request whose query holds substr.
func (b *bodies) sent(substr string) (query, auth string, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i := len(b.reqs) - 1; i >= 0; i-- {
		if strings.Contains(b.reqs[i].query, substr) {
			return b.reqs[i].query, b.reqs[i].auth, true
		}
	}
	return "", "", false
}

// Page scripts of the explorer's own bar and of GraphiQL 3's editors.
const (
	preferChinese = `Object.defineProperty(navigator, 'languages', {get: () => ['zh-CN', 'zh', 'en-US']});
Object.defineProperty(navigator, 'language', {get: () => 'zh-CN'});`
	welcomeText  = `document.querySelector('.cg-welcome').textContent`
	pageLang     = `document.documentElement.lang`
	menuText     = `[...document.querySelectorAll('.cg-examples optgroup')].map(g => g.label + ': ' + g.textContent).join(' | ')`
	queryText    = `document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue()`
	headersText  = `[...document.querySelectorAll('.graphiql-editor-tool .graphiql-editor')].map(e => e.querySelector('.CodeMirror').CodeMirror.getValue()).join('\n')`
	clearResult  = `document.querySelector('.graphiql-response .CodeMirror').CodeMirror.setValue('')`
	resultReady  = `(() => { const t = document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue(); return t.includes('example') ? t : ''; })()`
	schemaLoaded = `(() => { const b = document.querySelector('button[aria-label="Re-fetch GraphQL schema"]'); return !!b && !b.disabled; })()`
)

func pick(id string) string {
	return `(() => { const s = document.querySelector('.cg-examples select'); s.value = '` + id +
		`'; s.dispatchEvent(new Event('change', {bubbles: true})); })()`
}

// TestBrowserLanguageAndExamples: the explorer greets a browser that prefers
// Chinese in Chinese (with a CJK font stack), switches to English on request
// and remembers it, and an example picked from the menu — a media list page,
// a partner batch with the published key in the header editor — fills the
// editor in the reader's language and runs.
func TestBrowserLanguageAndExamples(t *testing.T) {
	t.Parallel()
	rec := &bodies{}
	mux := http.NewServeMux()
	mux.Handle("/", explorer.Handler(explorer.Options{ExampleUSCC: "91350582MAE11H479P", PartnerKey: "cg_demopartnerkeyforthedemoonly2345"}))
	mux.Handle("/graphql", rec)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	ctx, finish := browsertest.Session(t, srv.URL, preferChinese)
	str := func(expr string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	do("loading the explorer", chromedp.WaitVisible(chromedp.CSS(".cg-bar")), chromedp.WaitVisible(chromedp.CSS(".graphiql-query-editor .CodeMirror")))
	if w, l := str(welcomeText), str(pageLang); !strings.Contains(w, "市场监管部门") || l != "zh-CN" {
		t.Errorf("a browser preferring Chinese got lang %q and the welcome %q", l, w)
	}
	if m := str(menuText); !strings.Contains(m, "消费者") || !strings.Contains(m, "严重违法失信名单") {
		t.Errorf("the example menu is not in Chinese: %q", m)
	}
	if font := str(`getComputedStyle(document.querySelector('.cg-bar')).fontFamily`); !strings.Contains(font, "PingFang SC") || !strings.Contains(font, "Noto Sans CJK SC") {
		t.Errorf("the bar's font stack has no CJK faces: %s", font)
	}

	do("switching to English", chromedp.Click(chromedp.CSS(".cg-lang")))
	if w, l, b := str(welcomeText), str(pageLang), str(`document.querySelector('.cg-lang').textContent`); !strings.Contains(w, "market regulators") || l != "en" || b != "中文" {
		t.Errorf("after the switch: lang %q, welcome %q, button %q", l, w, b)
	}
	do("reloading", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(".cg-bar")), chromedp.WaitVisible(chromedp.CSS(".graphiql-query-editor .CodeMirror")))
	if l := str(pageLang); l != "en" {
		t.Errorf("the switch to English was not remembered: lang %q after a reload", l)
	}

	do("picking the media example", chromedp.Poll[chromedp.Void](schemaLoaded), chromedp.Evaluate[chromedp.Void](pick("media-serious")))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](queryText+`.includes('seriousDishonestyList')`)); err != nil {
		t.Fatalf("the media example did not reach the editor: %v", err)
	}
	if q := str(queryText); !strings.HasPrefix(q, "# The serious illegal and dishonest list") {
		t.Errorf("the example's comment is not in English: %q", q)
	}
	do("running it", chromedp.Evaluate[chromedp.Void](clearResult), chromedp.Click(chromedp.CSS(".graphiql-execute-button")))
	if _, err := chromedp.Run(ctx, chromedp.Poll[string](resultReady)); err != nil {
		t.Fatalf("the media example did not run: %v", err)
	}
	if q, _, ok := rec.sent("MediaSeriousList"); !ok || !strings.Contains(q, `regionCode: "35"`) {
		t.Errorf("the server never got the media example: %q", q)
	}

	do("switching back to Chinese and picking the partner example", chromedp.Click(chromedp.CSS(".cg-lang")), chromedp.Evaluate[chromedp.Void](pick("partner-batch")))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](queryText+`.includes('riskCategory')`)); err != nil {
		t.Fatalf("the partner example did not reach the editor: %v", err)
	}
	if q, h := str(queryText), str(headersText); !strings.HasPrefix(q, "# 合作方") || !strings.Contains(h, "Bearer cg_demopartnerkeyforthedemoonly2345") {
		t.Errorf("the partner example: query %q, headers %q", q, h)
	}
	do("running it", chromedp.Evaluate[chromedp.Void](clearResult), chromedp.Click(chromedp.CSS(".graphiql-execute-button")))
	if _, err := chromedp.Run(ctx, chromedp.Poll[string](resultReady)); err != nil {
		t.Fatalf("the partner example did not run: %v", err)
	}
	if _, auth, ok := rec.sent("PartnerBatch"); !ok || auth != "Bearer cg_demopartnerkeyforthedemoonly2345" {
		t.Errorf("the partner example reached the server with Authorization %q (sent: %t)", auth, ok)
	}

	res := finish()
	if len(res.CSPViolations) > 0 || len(res.Offsite) > 0 {
		t.Errorf("CSP violations %q, offsite requests %q", res.CSPViolations, res.Offsite)
	}
	if len(res.Errors) > 0 {
		t.Errorf("page errors: %q", res.Errors)
	}
}
