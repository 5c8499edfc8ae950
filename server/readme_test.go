package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/creditgraph/creditgraph/internal/demo"
	"github.com/creditgraph/creditgraph/internal/readme"
	"github.com/creditgraph/creditgraph/internal/store/postgres"
)

// readmes are the READMEs whose examples must answer on the demo.
var readmes = []string{"README.md", "README.zh-CN.md"}

// demoKey is the demo key of a tier named in an example's marker.
var demoKey = map[string]string{"PARTNER": demo.PartnerKey, "REGULATOR": demo.RegulatorKey}

// TestReadmeExamples runs every GraphQL example of both READMEs (graphql
// blocks, and curl commands that POST to /graphql) against `creditgraph
// serve` on the embedded demo, with the demo key its marker names
// (<!-- example: tier=PARTNER vars={…} -->): each must answer without errors
// and with something in it.
func TestReadmeExamples(t *testing.T) {
	base := startServer(t)
	for _, name := range readmes {
		doc, err := readme.Load(filepath.Join("..", name))
		if err != nil {
			t.Fatal(err)
		}
		ran := 0
		for _, ex := range doc.Examples() {
			body, ok := ex.Request()
			if !ok {
				continue
			}
			ran++
			where := name + ":" + itoa(ex.Line) + " (" + doc.SectionAt(ex.Line) + ")"
			if ex.Tier != "" && ex.Tier != "PUBLIC" && demoKey[ex.Tier] == "" {
				t.Errorf("%s: the marker names tier %q: use PUBLIC, PARTNER or REGULATOR", where, ex.Tier)
				continue
			}
			if problem := runExample(t, base, body, demoKey[ex.Tier]); problem != "" {
				t.Errorf("%s: the example %s\n%s\nFix the example or the demo (internal/demo, internal/gen); a PARTNER or REGULATOR example needs <!-- example: tier=… --> above its fence.",
					where, problem, indent(ex.Code))
			}
		}
		if ran < 3 {
			t.Errorf("%s: only %d GraphQL examples found: is the extraction broken?", name, ran)
		}
	}
}

// runExample posts body with key (none: PUBLIC) and says what is wrong
// with the answer, or "".
func runExample(t *testing.T, base, body, key string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out struct {
		Data   map[string]any
		Errors []any
	}
	if err := json.Unmarshal(raw, &out); err != nil || res.StatusCode != 200 {
		return "answered " + res.Status + ": " + clip(raw)
	}
	if len(out.Errors) > 0 || out.Data == nil {
		return "failed: " + clip(raw)
	}
	for field, v := range out.Data {
		if empty(v) {
			return "answered nothing in " + field + ": " + clip(raw)
		}
	}
	return ""
}

// empty: null, an empty list, or a connection without rows.
func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case []any:
		return len(x) == 0 || len(x) == 1 && x[0] == nil
	case map[string]any:
		for _, k := range []string{"nodes", "edges"} {
			if l, ok := x[k].([]any); ok && len(l) == 0 {
				return true
			}
		}
		if n, ok := x["totalCount"].(float64); ok && n == 0 {
			return true
		}
	}
	return false
}

func clip(b []byte) string {
	if len(b) > 400 {
		return string(b[:400]) + "…"
	}
	return string(b)
}

func indent(s string) string { return "    " + strings.ReplaceAll(s, "\n", "\n    ") }

func itoa(n int) string { return strconv.Itoa(n) }

// TestDemoKeysOnlyOnTheDemo: the published demo keys open their tiers on the
// embedded demo, and the server says so at start-up; with DATABASE_URL they
// are unknown keys (401).
func TestDemoKeysOnlyOnTheDemo(t *testing.T) {
	p := startProcess(t, []string{"serve"})
	for tier, key := range demoKey {
		if got := viewerTier(t, p.base, key); got != tier {
			t.Errorf("demo %s key on the demo: viewer.tier = %q", tier, got)
		}
	}
	if !strings.Contains(p.out.String(), "demo API keys are accepted") {
		t.Errorf("no warning about the demo keys at start-up:\n%s", p.out.String())
	}
	pg := startProcess(t, []string{"serve"}, "DATABASE_URL="+postgres.NewTestDatabase(t))
	for tier, key := range demoKey {
		if got := viewerTier(t, pg.base, key); got != "401" {
			t.Errorf("demo %s key with DATABASE_URL: got %s, want 401", tier, got)
		}
	}
	if strings.Contains(pg.out.String(), "demo API keys") {
		t.Errorf("the PostgreSQL server mentions demo keys:\n%s", pg.out.String())
	}
}

func viewerTier(t *testing.T, base, key string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", strings.NewReader(`{"query":"{ viewer { tier } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return strconv.Itoa(res.StatusCode)
	}
	var out struct {
		Data struct{ Viewer struct{ Tier string } }
	}
	_ = json.NewDecoder(res.Body).Decode(&out)
	return out.Data.Viewer.Tier
}

// explorerExample is one entry of the explorer's example menu
// (internal/explorer/web/examples.js).
type explorerExample struct{ id, tier, query string }

var (
	exampleEntry = regexp.MustCompile(`(?s)id: '([a-z-]+)'(.*?)query: \(c?\) => ` + "`([^`]*)`")
	exampleTier  = regexp.MustCompile(`tier: '([A-Z]+)'`)
)

func explorerExamples(t *testing.T) []explorerExample {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "internal", "explorer", "web", "examples.js"))
	if err != nil {
		t.Fatal(err)
	}
	var out []explorerExample
	for _, m := range exampleEntry.FindAllStringSubmatch(string(src), -1) {
		e := explorerExample{id: m[1], query: strings.ReplaceAll(m[3], "${c.uscc}", demo.ShowcaseFoodProducer)}
		if tm := exampleTier.FindStringSubmatch(m[2]); tm != nil {
			e.tier = tm[1]
		}
		out = append(out, e)
	}
	return out
}

// TestExplorerMenuExamples: every example of the explorer's menu answers on
// the demo, with the demo key of its tier, as the menu sends it.
func TestExplorerMenuExamples(t *testing.T) {
	exs := explorerExamples(t)
	if len(exs) < 4 {
		t.Fatalf("found %d examples in examples.js: has its shape changed (id: '…', tier: '…', query: () => `…`)?", len(exs))
	}
	base := startServer(t)
	for _, e := range exs {
		body, _ := json.Marshal(map[string]string{"query": e.query})
		if problem := runExample(t, base, string(body), demoKey[e.tier]); problem != "" {
			t.Errorf("explorer example %s (internal/explorer/web/examples.js) %s\n%s", e.id, problem, indent(e.query))
		}
	}
}
