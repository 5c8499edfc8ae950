package browsertest

import (
	"path/filepath"
	"testing"
)

func TestLocal(t *testing.T) {
	r := &recorder{host: "app.internal"}
	tests := []struct {
		name string
		url  string
		want bool
	}{
		{"base host", "http://app.internal:8080/graphql", true},
		{"loopback v4", "http://127.0.0.1:41234/explorer/graphiql.0123456789ab.js", true},
		{"loopback v4 range", "http://127.0.0.2/", true},
		{"loopback v6", "http://[::1]:8080/", true},
		{"localhost", "https://localhost/", true},
		{"websocket to base", "ws://app.internal/graphql", true},
		{"inline font", "data:font/woff2;base64,d09GMgABAAAAAA", true},
		{"blob", "blob:http://127.0.0.1/1234", true},
		{"cdn", "https://unpkg.com/graphiql/graphiql.min.js", false},
		{"fonts", "https://fonts.gstatic.com/s/roboto.woff2", false},
		{"lan address", "http://10.0.0.5/", false},
		{"lookalike host", "http://localhost.example.com/", false},
		{"unparsable", "http://[::1", false},
		{"other scheme", "ftp://127.0.0.1/", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.local(tt.url); got != tt.want {
				t.Errorf("local(%q) = %v, want %v", tt.url, got, tt.want)
			}
		})
	}
}

// fakeTB records Skip and Fatal instead of stopping the goroutine.
type fakeTB struct {
	testing.TB
	skipped, failed bool
}

func (f *fakeTB) Helper()               {}
func (f *fakeTB) Skip(...any)           { f.skipped = true }
func (f *fakeTB) Fatal(...any)          { f.failed = true }
func (f *fakeTB) Fatalf(string, ...any) { f.failed = true }

func TestRequireBrowser(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-chromium")
	present := t.TempDir()
	tests := []struct {
		name          string
		path          string
		ci            bool
		skip, failure bool
	}{
		{"present", present, false, false, false},
		{"present in CI", present, true, false, false},
		{"missing locally skips", missing, false, true, false},
		{"missing in CI fails", missing, true, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeTB{TB: t}
			requireBrowser(f, tt.path, tt.ci)
			if f.skipped != tt.skip || f.failed != tt.failure {
				t.Errorf("skipped=%v failed=%v, want skipped=%v failed=%v", f.skipped, f.failed, tt.skip, tt.failure)
			}
		})
	}
}
