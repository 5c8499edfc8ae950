package logging

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestScrub(t *testing.T) {
	tests := []struct {
		name, in string
		gone     []string
	}{
		{"pgx connect error", "failed to connect to `user=postgres database=creditgraph`: 127.0.0.1:5432 (127.0.0.1): dial error: dial tcp 127.0.0.1:5432: connect: connection refused",
			[]string{"user=postgres", "database=creditgraph", "127.0.0.1", "5432"}},
		{"database URL", "open postgres://app:s3cret@db.internal:5432/credit?sslmode=disable: refused", []string{"app:s3cret", "db.internal", "5432"}},
		{"redis URL", "dial redis://:pw@cache.internal:6379/0", []string{"pw@", "cache.internal"}},
		{"server message", `FATAL: password authentication failed for user "creditgraph"`, []string{`"creditgraph"`}},
		{"host and port", "dial tcp db-primary.prod.example:6432: i/o timeout", []string{"db-primary.prod.example", "6432"}},
		{"IPv6", "dial tcp [::1]:5432: connection refused", []string{"::1", "5432"}},
		{"API key", "key cg_abcdefghijklmnopqrstuvwxyz234567 refused", []string{"cg_abcdefghijklmnopqrstuvwxyz234567"}},
		{"bearer", "header Bearer abc.def", []string{"abc.def"}},
		{"phone and ID", "联系人 13912345678 身份证 350102198001011234", []string{"13912345678", "350102198001011234"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Scrub(tt.in)
			for _, g := range tt.gone {
				if strings.Contains(got, g) {
					t.Errorf("Scrub(%q) = %q still has %q", tt.in, got, g)
				}
			}
		})
	}
	for _, keep := range []string{"connection refused", "resolver error path=enterprise.penalties", "榕市监处罚〔2026〕101号 fine 12500.00 on 2026-06-15"} {
		if got := Scrub(keep); got != keep {
			t.Errorf("Scrub(%q) = %q, want it unchanged", keep, got)
		}
	}
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) lines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Split(strings.TrimSpace(s.b.String()), "\n")
}

// TestCollapse: a repeated error is logged once per interval; the next
// line, or Flush once the interval is over, carries the count held back.
// Different errors, and info lines, are not collapsed. Attributes are
// scrubbed, errors included.
func TestCollapse(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	buf := &syncBuf{}
	l := New(buf, Options{Level: slog.LevelInfo, Repeat: 10 * time.Second, Now: clock})
	down := errors.New("postgres: enterprise: store: unavailable (connection refused) at 10.0.0.7:5432")
	for range 1000 {
		l.Error("resolver error", "err", down, "path", "enterprise")
	}
	l.Error("resolver error", "err", errors.New("another"))
	l.Info("request")
	l.Info("request")
	if got := buf.lines(); len(got) != 4 {
		t.Fatalf("lines = %d, want 4 (one per distinct error, every info):\n%s", len(got), strings.Join(got, "\n"))
	}
	advance(11 * time.Second)
	l.Flush(context.Background())
	lines := buf.lines()
	last := lines[len(lines)-1]
	if len(lines) != 5 || !strings.Contains(last, "suppressed=999") || !strings.Contains(last, "interval=10s") {
		t.Errorf("after the interval, Flush logs the count: %q", last)
	}
	l.Error("resolver error", "err", down)
	if lines := buf.lines(); len(lines) != 6 || strings.Contains(lines[5], "suppressed") {
		t.Errorf("a new interval logs the next one again, without a count: %q", lines[len(lines)-1])
	}
	for _, line := range buf.lines() {
		if strings.Contains(line, "10.0.0.7") || strings.Contains(line, "5432") {
			t.Errorf("unscrubbed: %s", line)
		}
	}
}
