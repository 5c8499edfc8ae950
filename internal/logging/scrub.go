package logging

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// Redacted replaces what Scrub removes.
const Redacted = "[redacted]"

// scrubbers, in order. Driver errors are the usual carriers: pgx writes
// "failed to connect to `user=… database=…`: host:port (host): …", and
// PostgreSQL itself `password authentication failed for user "…"`.
var scrubbers = []struct {
	re   *regexp.Regexp
	repl string
}{
	// URLs with credentials or of a data store: postgres://user:pw@host/db.
	{regexp.MustCompile(`(?i)\b(postgres(?:ql)?|redis|rediss|mysql|amqp)://\S+`), "$1://" + Redacted},
	{regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*://)[^\s/@]+@\S+`), "${1}" + Redacted},
	// Connection-string parameters.
	{regexp.MustCompile(`(?i)\b(user|password|passfile|host|hostaddr|port|dbname|database|sslkey|sslcert)=(?:"[^"]*"|'[^']*'|[^\s` + "`" + `]+)`), "$1=" + Redacted},
	// Quoted names in server messages.
	{regexp.MustCompile(`(?i)\b(user|role|database) "[^"]*"`), `$1 "` + Redacted + `"`},
	// Addresses: IPv4 and bracketed IPv6 with an optional port, host:port.
	{regexp.MustCompile(`\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b`), Redacted},
	{regexp.MustCompile(`\[[0-9A-Fa-f:.]+\](?::\d{1,5})?`), Redacted},
	{regexp.MustCompile(`(?i)\b(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)+):\d{1,5}\b`), Redacted},
	{regexp.MustCompile(`/(?:tmp|var/run|run)/\S*\.s\.PGSQL\.\d+`), Redacted},
	// API keys and bearer tokens.
	{regexp.MustCompile(`cg_[a-z2-7]{32}`), "cg_" + Redacted},
	{regexp.MustCompile(`(?i)\bbearer\s+\S+`), "Bearer " + Redacted},
}

// Scrub removes connection details, secrets and personal data from s.
func Scrub(s string) string {
	if !strings.ContainsAny(s, "0123456789@=:_") && !strings.Contains(s, "earer") {
		return s // nothing any scrubber matches
	}
	for _, sc := range scrubbers {
		s = sc.re.ReplaceAllString(s, sc.repl)
	}
	return credit.Redact(s) // ID, phone and card numbers, e-mail addresses
}

// Public marks a value the process itself chose and that may be logged as
// it is, such as its own listen address; everything else is scrubbed.
type Public string

// scrubber is a slog.Handler that scrubs every message and attribute.
type scrubber struct{ next slog.Handler }

func (h scrubber) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h scrubber) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Scrub(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(scrubAttr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h scrubber) WithAttrs(as []slog.Attr) slog.Handler {
	out := make([]slog.Attr, len(as))
	for i, a := range as {
		out[i] = scrubAttr(a)
	}
	return scrubber{h.next.WithAttrs(out)}
}

func (h scrubber) WithGroup(name string) slog.Handler { return scrubber{h.next.WithGroup(name)} }

func scrubAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Scrub(v.String()))
	case slog.KindGroup:
		g := v.Group()
		out := make([]any, len(g))
		for i, ga := range g {
			out[i] = scrubAttr(ga)
		}
		return slog.Group(a.Key, out...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case Public:
			return slog.String(a.Key, string(x))
		case error:
			return slog.String(a.Key, Scrub(x.Error()))
		case fmt.Stringer:
			return slog.String(a.Key, Scrub(x.String()))
		default:
			return slog.String(a.Key, Scrub(fmt.Sprint(x)))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
