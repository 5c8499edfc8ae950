package main

import (
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/creditgraph/creditgraph/internal/config"
	"github.com/creditgraph/creditgraph/internal/store/postgres"
)

// TestOperationsGuideNamesWhatExists keeps docs/OPERATIONS.md honest: every
// metric it tells an operator to watch is exported by a running server with
// PostgreSQL and Redis, and every upper-case name it quotes is a setting the
// server reads or an error code the code can send.
func TestOperationsGuideNamesWhatExists(t *testing.T) {
	doc, err := os.ReadFile("../docs/OPERATIONS.md")
	if err != nil {
		t.Fatal(err)
	}
	metrics := regexp.MustCompile(`creditgraph_[a-z_]+[a-z]`).FindAllString(string(doc), -1)
	names := regexp.MustCompile("`([A-Z][A-Z0-9_]{2,})`").FindAllStringSubmatch(string(doc), -1)
	if len(metrics) == 0 || len(names) == 0 {
		t.Fatal("docs/OPERATIONS.md names no metric or no setting: did its format change?")
	}

	settings := map[string]bool{}
	for _, s := range config.Settings {
		settings[s.Name] = true
	}
	codes := codeLiterals(t)
	for _, m := range names {
		n := m[1]
		if !settings[n] && !codes[n] {
			t.Errorf("docs/OPERATIONS.md names %s, which is neither a setting (internal/config.Settings) nor an error code the code sends", n)
		}
	}

	base := startServer(t, "DATABASE_URL="+postgres.NewTestDatabase(t), "REDIS_URL="+needRedis(t),
		"REDIS_KEY_PREFIX=creditgraph-test-ops:")
	hit(t, base)
	mu, _ := metricsOf.Load(base)
	res, err := http.Get(mu.(string) + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	exported := map[string]bool{}
	for _, line := range strings.Split(string(body), "\n") {
		if f := strings.Fields(line); len(f) > 2 && f[0] == "#" && f[1] == "TYPE" {
			exported[f[2]] = true
		}
	}
	for _, m := range metrics {
		base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(m, "_bucket"), "_sum"), "_count")
		if !exported[m] && !exported[base] {
			t.Errorf("docs/OPERATIONS.md tells operators to watch %s, which a running server does not export", m)
		}
	}
}

// codeLiterals collects the quoted upper-case string literals of the
// non-test Go source: the error codes the code can send.
func codeLiterals(t *testing.T) map[string]bool {
	t.Helper()
	lit := regexp.MustCompile(`"([A-Z][A-Z0-9_]{2,})"`)
	codes := map[string]bool{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range lit.FindAllStringSubmatch(string(b), -1) {
			codes[m[1]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return codes
}
