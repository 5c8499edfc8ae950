package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/testenv"
)

// clientExample is one of the client examples in examples/.
type clientExample struct {
	name    string
	program string   // the runtime, looked up in PATH
	args    []string // from the repository root
	install string   // what to install when the runtime is missing
}

var clientExamples = []clientExample{
	{"JavaScript", "node", []string{"examples/js/client.mjs"}, "apt-get install nodejs (Node 18+)"},
	{"Python", "python3", []string{"examples/python/client.py"}, "apt-get install python3"},
	{"Go", "go", []string{"run", "./examples/go"}, "Go"},
}

// runClient runs one example against the GraphQL endpoint at base and
// returns what it printed. A missing runtime skips (fails under CI=true).
func runClient(t *testing.T, c clientExample, base string) string {
	t.Helper()
	prog, err := exec.LookPath(c.program)
	if err != nil {
		testenv.NeedServer(t, c.program, "%s not found: install it to run the %s client example (%s)", c.program, c.name, c.install)
		return ""
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, prog, c.args...)
	cmd.Dir = filepath.Join("..")
	cmd.Env = append(os.Environ(), "CREDITGRAPH_URL="+base+"/graphql", "CREDITGRAPH_PAGES=3")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s client (%s %s): %v\n%s", c.name, c.program, strings.Join(c.args, " "), err, out)
	}
	return string(out)
}

// TestClientExamples runs the JavaScript, Python and Go clients in examples/
// against `creditgraph serve` on the demo: each looks a profile up and pages
// a list to the end of three pages.
func TestClientExamples(t *testing.T) {
	base := startServer(t)
	for _, c := range clientExamples {
		t.Run(c.name, func(t *testing.T) {
			out := runClient(t, c, base)
			for _, want := range []string{"profile: 泉州海禾食品有限公司 (OPERATING)", "page 1: 20 of ", "page 3: 20 of ", "done"} {
				if !strings.Contains(out, want) {
					t.Errorf("%s client: no %q in its output:\n%s", c.name, want, out)
				}
			}
			if strings.Contains(out, "throttled") {
				t.Errorf("%s client was throttled by a server with the default budget:\n%s", c.name, out)
			}
		})
	}
}

// TestClientExamplesThrottled: against a server whose PUBLIC budget is two
// points restored at one a second, every client meets THROTTLED, waits what
// Retry-After says, and still finishes.
func TestClientExamplesThrottled(t *testing.T) {
	base := startServer(t, "RATE_LIMIT_PUBLIC=2/2s")
	for _, c := range clientExamples {
		t.Run(c.name, func(t *testing.T) {
			out := runClient(t, c, base)
			for _, want := range []string{"throttled: retrying in 1s", "page 3: 20 of ", "done"} {
				if !strings.Contains(out, want) {
					t.Errorf("%s client: no %q in its output:\n%s", c.name, want, out)
				}
			}
		})
	}
}
