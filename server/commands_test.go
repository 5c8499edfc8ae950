package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creditgraph/creditgraph/internal/store/postgres"
)

func runCmd(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, io.Discard)
	return out.String(), err
}

func exitCode(err error) int {
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	}
	return 2
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, err := runCmd(t, "", "generate", "--enterprises", "20", "--seed", "5")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := runCmd(t, "", "generate", "--enterprises", "20", "--seed", "5")
	c, _ := runCmd(t, "", "generate", "--enterprises", "20", "--seed", "6")
	if a != b || a == c || strings.Count(a, `"kind":"enterprise"`) != 20 {
		t.Errorf("same seed must give the same bytes, another seed other bytes; %d enterprise lines", strings.Count(a, `"kind":"enterprise"`))
	}
	if _, err := runCmd(t, "", "generate", "--enterprises", "0"); err == nil {
		t.Error("--enterprises 0 must be refused")
	}
}

// TestImportCommand: summary shape and exit codes, against PostgreSQL, and
// idempotent re-import.
func TestImportCommand(t *testing.T) {
	url := postgres.NewTestDatabase(t)
	t.Setenv("DATABASE_URL", url)
	data, err := runCmd(t, "", "generate", "--enterprises", "30", "--seed", "9")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "data.ndjson")
	if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(data, "\n")
	for i := range 2 { // the second run re-imports the same records: still all accepted
		out, err := runCmd(t, "", "import", file)
		var sum struct {
			Accepted, Rejected int
			Errors             []any
		}
		if jerr := json.Unmarshal([]byte(out), &sum); jerr != nil || exitCode(err) != 0 || sum.Accepted != lines || sum.Rejected != 0 || sum.Errors == nil {
			t.Fatalf("run %d: exit %d, %q", i, exitCode(err), out)
		}
	}
	bad := `{"kind":"enterprise","uscc":"91350100MA2XYK001H","name":"x","status":"operating","region_code":"350102"}` + "\n" +
		`{"kind":"license","uscc":"91350100MA2XYK001G","license_number":"L1","name":"n","authority":"a","decided_on":"2026-01-01"}` + "\n" +
		`{"kind":"enterprise","uscc":"91350100MA2XYK001G","name":"甲","status":"operating","region_code":"350102"}` + "\n" +
		`{"kind":"enterprise","uscc":"91350100MA2XYK002K","name":"乙\u0000","status":"operating","region_code":"350102"}` + "\n" +
		`{"kind":"license","uscc":"91350100MA2XYK001G","license_number":"L2","name":"n","authority":"a","decided_on":"2026-01-02"}` + "\n"
	out, err := runCmd(t, bad, "import", "-")
	if exitCode(err) != 1 || !strings.Contains(out, `"accepted":3`) || !strings.Contains(out, `"line":1,"code":"INVALID_USCC"`) ||
		!strings.Contains(out, `"line":4,"code":"CONTROL_CHARACTER"`) {
		t.Errorf("bad lines among good ones: exit %d, %s", exitCode(err), out)
	}
	if _, err := runCmd(t, "", "import", filepath.Join(t.TempDir(), "missing.ndjson")); exitCode(err) != 2 {
		t.Errorf("a missing file is fatal: exit %d", exitCode(err))
	}
	t.Setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:1/nowhere?connect_timeout=1")
	if _, err := runCmd(t, "", "import", file); exitCode(err) != 2 {
		t.Errorf("an unreachable database is fatal: exit %d", exitCode(err))
	}
}

func TestMigrateCommand(t *testing.T) {
	t.Setenv("DATABASE_URL", postgres.NewTestDatabase(t))
	for range 2 { // migrating a migrated database is a no-op
		if _, err := runCmd(t, "", "migrate"); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("DATABASE_URL", "")
	if _, err := runCmd(t, "", "migrate"); err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Errorf("migrate without DATABASE_URL: %v", err)
	}
}

// TestServeLoad: `serve --load` imports files at start-up into the
// embedded store, beside the demo dataset.
func TestServeLoad(t *testing.T) {
	file := filepath.Join(t.TempDir(), "extra.ndjson")
	rec := `{"kind":"enterprise","uscc":"91350100MA2XYK001G","name":"福州闽香食品有限公司","status":"operating","region_code":"350102"}` + "\n"
	if err := os.WriteFile(file, []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	base := startServerArgs(t, []string{"serve", "--load", file})
	res, err := http.Post(base+"/graphql", "application/json",
		strings.NewReader(`{"query":"{ a: enterprise(uscc: \"91350100MA2XYK001G\") { name } b: enterprise(uscc: \"91350582MAE11H479P\") { name } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if !strings.Contains(string(b), "福州闽香食品有限公司") || !strings.Contains(string(b), "泉州海禾食品有限公司") {
		t.Errorf("loaded and demo enterprises: %s", b)
	}
}

// The command line explains itself: help and -h list every command, each
// command's -h lists its flags (without needing valid settings), and an
// unknown command says what exists.
func TestHelp(t *testing.T) {
	t.Setenv("LOG_FORMAT", "xml") // help must not need valid settings
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		out, err := runCmd(t, "", args...)
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		for _, c := range commands {
			if !strings.Contains(out, "\n  "+c.name+" ") {
				t.Errorf("%v does not list %s:\n%s", args, c.name, out)
			}
		}
	}
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"serve", "-h"}, []string{"creditgraph serve", "-load FILE"}},
		{[]string{"help", "serve"}, []string{"-load FILE"}},
		{[]string{"import", "--help"}, []string{"-demo", "gzip"}},
		{[]string{"generate", "-h"}, []string{"-enterprises", "-seed", "-anchor"}},
		{[]string{"keys", "-h"}, []string{"-tier", "-name", "-scope"}},
		{[]string{"keys", "create", "-h"}, []string{"-tier"}},
		{[]string{"migrate", "-h"}, []string{"DATABASE_URL"}},
	} {
		out, err := runCmd(t, "", tt.args...)
		if err != nil {
			t.Errorf("%v: %v", tt.args, err)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v does not mention %q:\n%s", tt.args, w, out)
			}
		}
	}
	_, err := runCmd(t, "", "serv")
	if exitCode(err) != 2 || !strings.Contains(err.Error(), `unknown command "serv"`) || !strings.Contains(err.Error(), "serve, migrate, import") {
		t.Errorf("unknown command: exit %d, %v", exitCode(err), err)
	}
	t.Setenv("LOG_FORMAT", "text")
	if _, err := runCmd(t, "", "generate", "--enterprise", "3"); err == nil || !strings.Contains(err.Error(), "generate -h") {
		t.Errorf("a misspelt flag: %v", err)
	}
}

// One command loads the demo into PostgreSQL, with its dates moved to
// today, every line accepted.
func TestImportDemo(t *testing.T) {
	t.Setenv("DATABASE_URL", postgres.NewTestDatabase(t))
	out, err := runCmd(t, "", "import", "--demo")
	var sum struct{ Accepted, Rejected int }
	if jerr := json.Unmarshal([]byte(out), &sum); jerr != nil || exitCode(err) != 0 || sum.Accepted < 1000 || sum.Rejected != 0 {
		t.Fatalf("import --demo: exit %d: %s", exitCode(err), out)
	}
	if _, err := runCmd(t, "", "import"); err == nil || !strings.Contains(err.Error(), "--demo") {
		t.Errorf("import without files: %v", err)
	}
}
