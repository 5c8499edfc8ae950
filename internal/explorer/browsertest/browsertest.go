// Package browsertest drives the explorer page in headless Chromium, for
// end-to-end tests: open the page, type a query into GraphiQL, run it and read
// the response pane, while recording every request the page made and every
// Content-Security-Policy violation.
//
// It owns only the browser session. It must not be imported outside tests
// (it imports package testing), and it knows the explorer only through the
// DOM of the pinned GraphiQL version that internal/explorer/web builds.
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/creditgraph/creditgraph/internal/testenv"
)

// ChromiumPath is the browser the tests run: Debian's "chromium" package.
const ChromiumPath = "/usr/bin/chromium"

// Timeout bounds one Run, browser start-up included. A run normally takes
// about a second; the margin is for loaded CI machines.
const Timeout = 30 * time.Second

// Query is what Run types into the explorer.
type Query struct {
	// Text is the GraphQL document. It should hold one operation: with
	// several, GraphiQL's run button opens a menu instead of running.
	Text string
	// Headers go into the header editor, e.g. {"Authorization": "Bearer …"}.
	Headers map[string]string
	// After runs once the response is shown, while requests and CSP
	// violations are still recorded: e.g. open a dialog to check its styles.
	After []chromedp.Action[chromedp.Void]
}

// Result is what Run saw.
type Result struct {
	// Text is the content of the response pane, as GraphiQL formats it.
	Text string
	// Requests lists every URL the page requested, in order; data: URLs
	// are cut short.
	Requests []string
	// Offsite lists the requests to a host other than the base URL's host
	// or a loopback address.
	Offsite []string
	// CSPViolations lists the directives the page violated, with the
	// blocked URI ("inline" for an inline script or style).
	CSPViolations []string
	// Errors lists uncaught exceptions, console.error calls and browser log
	// errors, for diagnosis.
	Errors []string
}

// RunQuery opens the explorer at baseURL, runs query and returns the text of
// the response pane. The test fails if the page requested anything from
// another host or violated its Content-Security-Policy.
//
// Without Chromium at ChromiumPath the test is skipped, or fails when the
// environment variable CI is "true".
func RunQuery(t testing.TB, baseURL, query string) (resultText string) {
	t.Helper()
	res := Run(t, baseURL, Query{Text: query})
	for _, u := range res.Offsite {
		t.Errorf("browsertest: the explorer requested %s; only %s and loopback are allowed", u, baseURL)
	}
	for _, v := range res.CSPViolations {
		t.Errorf("browsertest: Content-Security-Policy violation: %s", v)
	}
	return res.Text
}

// Run is RunQuery with headers and without the checks: it returns what the
// browser did for the caller to assert on. It fails the test only when the
// browser cannot be driven.
func Run(t testing.TB, baseURL string, q Query) Result {
	t.Helper()
	ctx, rec, done := open(t, baseURL)
	defer done()
	res, err := drive(ctx, baseURL, q)
	rec.fill(&res)
	if err != nil {
		t.Fatalf("browsertest: %v\nrequests: %q\nerrors: %q", err, res.Requests, res.Errors)
	}
	return res
}

// open starts Chromium with a tab recording its requests and errors; the
// host of pageURL is the only one it resolves besides localhost. done ends
// the browser.
func open(t testing.TB, pageURL string) (ctx context.Context, rec *recorder, done func()) {
	t.Helper()
	RequireChromium(t)
	page, err := url.Parse(pageURL)
	if err != nil || page.Hostname() == "" {
		t.Fatalf("browsertest: URL %q: want an absolute http URL", pageURL)
	}
	ctx, cancel := context.WithTimeout(t.Context(), Timeout)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, allocatorOptions(page.Hostname())...)
	ctx, cancelTab := chromedp.NewContext(ctx)
	done = func() { cancelTab(); cancelAlloc(); cancel() }
	rec = &recorder{host: page.Hostname()}
	if err := chromedp.Listen(ctx, rec.event); err != nil {
		done()
		t.Fatalf("browsertest: starting %s: %v", ChromiumPath, err)
	}
	return ctx, rec, done
}

// Script opens pageURL and evaluates expression there, a JavaScript
// expression whose value (or a Promise of it) is a string, and returns that
// string: a page of one origin calling an API on another, say. The test
// fails when the browser cannot be driven or the script throws.
func Script(t testing.TB, pageURL, expression string) string {
	t.Helper()
	ctx, rec, done := open(t, pageURL)
	defer done()
	if err := chromedp.Do(ctx, chromedp.Navigate(pageURL)); err != nil {
		t.Fatalf("browsertest: opening %s: %v", pageURL, err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](expression, chromedp.EvalAwaitPromise))
	if err != nil {
		var res Result
		rec.fill(&res)
		t.Fatalf("browsertest: the script failed: %v\nrequests: %q\nerrors: %q", err, res.Requests, res.Errors)
	}
	return out
}

// Session opens pageURL in Chromium with init (JavaScript, may be "")
// evaluated in every new document before the page's own scripts — to make
// the browser prefer another language, say. The test drives the page through
// ctx with chromedp, then calls finish for what the browser recorded; finish
// also ends the browser. Like Run, it fails the test only when the browser
// cannot be driven.
func Session(t testing.TB, pageURL, init string) (ctx context.Context, finish func() Result) {
	t.Helper()
	ctx, rec, done := open(t, pageURL)
	for _, src := range []string{collectViolations, init} {
		if src == "" {
			continue
		}
		if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
			page.AddScriptToEvaluateOnNewDocumentParams{Source: src}); err != nil {
			done()
			t.Fatalf("browsertest: installing a script: %v", err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(pageURL)); err != nil {
		done()
		t.Fatalf("browsertest: opening %s: %v", pageURL, err)
	}
	return ctx, func() Result {
		var res Result
		res.CSPViolations, _ = chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__cspViolations || []`))
		rec.fill(&res)
		done()
		return res
	}
}

// RequireChromium skips the test when ChromiumPath is missing, or fails it
// under CI=true, where a missing browser is a broken CI image.
func RequireChromium(t testing.TB) {
	t.Helper()
	requireBrowser(t, ChromiumPath, os.Getenv("CI") == "true")
}

func requireBrowser(t testing.TB, path string, ci bool) {
	t.Helper()
	if _, err := os.Stat(path); err == nil {
		return
	}
	msg := "browsertest: " + path + " not found; install the Debian package chromium to run browser tests"
	if ci {
		t.Fatal(msg + " (CI=true: a missing browser is a failure)")
	} else {
		testenv.Skip(t, "chromium", msg)
	}
}

func allocatorOptions(host string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(ChromiumPath),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-proxy-server", true),
		// A stray request should fail fast in an offline CI, not wait for
		// DNS; the recorder still reports it.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE "+host),
		chromedp.WindowSize(1280, 800),
	)
}

// The page scripts. GraphiQL 3 keeps each CodeMirror 5 editor on its wrapper
// element, so queries are set and read through the editor, not the keyboard
// (auto-closed brackets would garble typed text).
const (
	collectViolations = `document.addEventListener('securitypolicyviolation', e =>
  (window.__cspViolations = window.__cspViolations || []).push(e.violatedDirective + ' ' + e.blockedURI));`
	queryEditor    = `document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror`
	responseEditor = `document.querySelector('.graphiql-response .CodeMirror').CodeMirror`
	// The schema button is disabled while introspection runs; once it is
	// done, GraphiQL no longer writes schema errors into the response pane.
	schemaSettled = `(() => {
  const b = document.querySelector('button[aria-label="Re-fetch GraphQL schema"]');
  return !!b && !b.disabled;
})()`
	openHeaders = `(() => {
  const tab = [...document.querySelectorAll('.graphiql-editor-tools button')].find(b => b.textContent.trim() === 'Headers');
  if (tab && tab.getAttribute('aria-selected') !== 'true') tab.click();
})()`
	headerEditor = `[...document.querySelectorAll('.graphiql-editor-tool .graphiql-editor')].find(e => !e.classList.contains('hidden')).querySelector('.CodeMirror').CodeMirror`
	// The run button says "Execute query" when idle and "Stop query" while a
	// request is in flight.
	responseReady = `(() => {
  const b = document.querySelector('.graphiql-execute-button');
  const text = ` + responseEditor + `.getValue();
  return b && b.getAttribute('aria-label').startsWith('Execute') && text;
})()`
)

func drive(ctx context.Context, baseURL string, q Query) (Result, error) {
	var res Result
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: collectViolations}); err != nil {
		return res, fmt.Errorf("installing the CSP listener: %w", err)
	}
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(baseURL),
		chromedp.WaitVisible(chromedp.CSS(".graphiql-query-editor .CodeMirror")),
		chromedp.Poll[chromedp.Void](schemaSettled),
		chromedp.Evaluate[chromedp.Void](queryEditor + `.setValue(` + jsString(q.Text) + `)`),
	}
	if len(q.Headers) > 0 {
		headers, _ := json.MarshalIndent(q.Headers, "", "  ") // a map[string]string always encodes
		steps = append(steps,
			chromedp.Evaluate[chromedp.Void](openHeaders),
			chromedp.Evaluate[chromedp.Void](headerEditor+`.setValue(`+jsString(string(headers))+`)`),
		)
	}
	steps = append(steps,
		// Clear what introspection may have left, so the poll below can
		// only see this query's response.
		chromedp.Evaluate[chromedp.Void](responseEditor+`.setValue('')`),
		chromedp.Click(chromedp.CSS(".graphiql-execute-button")),
	)
	if err := chromedp.Do(ctx, steps...); err != nil {
		return res, fmt.Errorf("running the query in the explorer: %w", err)
	}
	text, err := chromedp.Run(ctx, chromedp.Poll[string](responseReady))
	if err != nil {
		return res, fmt.Errorf("waiting for the response pane: %w", err)
	}
	res.Text = text
	if err := chromedp.Do(ctx, q.After...); err != nil {
		return res, fmt.Errorf("running the After steps: %w", err)
	}
	res.CSPViolations, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__cspViolations || []`))
	if err != nil {
		return res, fmt.Errorf("reading CSP violations: %w", err)
	}
	return res, nil
}

// jsString quotes s for JavaScript: a JSON string is a JS string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s) // a string always encodes
	return string(b)
}

// recorder collects the page's requests and errors. Its event method runs
// on chromedp's reading goroutine, so it only appends under a lock.
type recorder struct {
	host     string
	mu       sync.Mutex
	requests []string
	offsite  []string
	errors   []string
}

func (r *recorder) event(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		u := e.Request.URL
		if !r.local(u) {
			r.offsite = append(r.offsite, u)
		}
		if strings.HasPrefix(u, "data:") && len(u) > 48 {
			u = u[:48] + "…"
		}
		r.requests = append(r.requests, u)
	case *runtime.EventExceptionThrown:
		r.errors = append(r.errors, "exception: "+exceptionText(e.ExceptionDetails))
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError {
			r.errors = append(r.errors, "console.error: "+argsText(e.Args))
		}
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError {
			r.errors = append(r.errors, "log: "+e.Entry.Text+" "+e.Entry.URL)
		}
	}
}

// local reports whether a request stays on this machine: the base URL's
// host, a loopback address, or a scheme that needs no network (data:, blob:).
func (r *recorder) local(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "http", "https", "ws", "wss":
	default:
		return u.Scheme == "data" || u.Scheme == "blob" || u.Scheme == "about"
	}
	h := u.Hostname()
	if h == r.host || h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func (r *recorder) fill(res *Result) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res.Requests = slices.Clone(r.requests)
	res.Offsite = slices.Clone(r.offsite)
	res.Errors = slices.Clone(r.errors)
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return ""
	}
	if d.Exception != nil && d.Exception.Description != "" {
		return d.Exception.Description
	}
	return d.Text
}

func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		switch {
		case a.Description != "":
			parts = append(parts, a.Description)
		case len(a.Value) > 0:
			parts = append(parts, string(a.Value))
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}
