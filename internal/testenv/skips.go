package testenv

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// What a local run without the integration servers skipped, by what is
// missing (an environment variable such as TEST_DATABASE_URL, or a program
// such as redis-server). `go test ./...` prints only "ok" for a package
// whose tests passed or skipped, so Main reports the skips itself: one line
// per package and missing thing, on the terminal, saying what to set.
var skips = struct {
	sync.Mutex
	by map[string]*skipCount
}{by: map[string]*skipCount{}}

type skipCount struct {
	n   int
	how string // what to do about it
}

// NeedServer skips the test because need (what is missing: a variable to
// set or a program to install) is not there, with a message saying what to
// do; under CI=true it fails instead, for CI must never pass by skipping.
// Main reports the skips of a package at its end.
func NeedServer(t testing.TB, need, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (CI=true: integration tests must run)")
	}
	skips.Lock()
	c := skips.by[need]
	if c == nil {
		c = &skipCount{how: msg}
		skips.by[need] = c
	}
	c.n++
	skips.Unlock()
	t.Skip(msg)
}

// Main runs a package's tests (call it from TestMain), then the cleanups,
// then reports what was skipped for want of a server, one line each, on the
// terminal when there is one (where `go test ./...` would otherwise hide
// it) or on standard error.
func Main(m *testing.M, cleanups ...func()) {
	code := m.Run()
	for _, f := range cleanups {
		f()
	}
	report(reportWriter())
	os.Exit(code)
}

func report(w io.Writer) {
	skips.Lock()
	defer skips.Unlock()
	if len(skips.by) == 0 {
		return
	}
	needs := make([]string, 0, len(skips.by))
	for need := range skips.by {
		needs = append(needs, need)
	}
	sort.Strings(needs)
	pkg := strings.TrimSuffix(filepath.Base(os.Args[0]), ".test")
	for _, need := range needs {
		c := skips.by[need]
		fmt.Fprintf(w, "SKIP %s: %d integration test(s) skipped, %s missing: %s\n", pkg, c.n, need, c.how)
	}
}

// reportWriter is the controlling terminal, else standard error.
func reportWriter() io.Writer {
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		return tty
	}
	return os.Stderr
}
