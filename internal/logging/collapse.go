package logging

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// collapser logs a warning or error the first time it is seen in an
// interval and holds back its repeats; the next time it is logged (or when
// Flush finds the interval over) the line carries "suppressed", the number
// held back. Repeats are the same level, message and "err" attribute: an
// outage that fails every request then writes a line per interval, not one
// per request. Debug and info lines pass untouched.
type collapser struct {
	next   slog.Handler
	window time.Duration
	now    func() time.Time
	st     *collapseState // shared by the handlers WithAttrs derives
}

type collapseState struct {
	mu   sync.Mutex
	seen map[string]*repeat
}

type repeat struct {
	until      time.Time
	suppressed int
	last       slog.Record  // the latest held-back record, for Flush
	h          slog.Handler // the handler that saw it (with its attributes)
}

// maxDistinct bounds what a collapser remembers; past it, Flush empties it.
const maxDistinct = 10_000

func (c *collapser) Enabled(ctx context.Context, l slog.Level) bool { return c.next.Enabled(ctx, l) }

func (c *collapser) WithAttrs(as []slog.Attr) slog.Handler {
	return &collapser{next: c.next.WithAttrs(as), window: c.window, now: c.now, st: c.st}
}

func (c *collapser) WithGroup(name string) slog.Handler {
	return &collapser{next: c.next.WithGroup(name), window: c.window, now: c.now, st: c.st}
}

func (c *collapser) Handle(ctx context.Context, r slog.Record) error {
	if r.Level < slog.LevelWarn || c.window <= 0 {
		return c.next.Handle(ctx, r)
	}
	key := repeatKey(r)
	now := c.now()
	c.st.mu.Lock()
	e := c.st.seen[key]
	if e != nil && now.Before(e.until) {
		e.suppressed++
		e.last, e.h = r.Clone(), c.next
		c.st.mu.Unlock()
		return nil
	}
	held := 0
	if e != nil {
		held = e.suppressed
	}
	c.st.seen[key] = &repeat{until: now.Add(c.window), h: c.next}
	full := len(c.st.seen) > maxDistinct
	c.st.mu.Unlock()
	if held > 0 {
		r = r.Clone()
		r.AddAttrs(slog.Int("suppressed", held), slog.Duration("interval", c.window))
	}
	if full {
		c.flush(ctx, true)
	}
	return c.next.Handle(ctx, r)
}

// Flush logs the count of every repeat whose interval is over (all when
// force) and forgets it.
func (c *collapser) flush(ctx context.Context, force bool) {
	now := c.now()
	var out []repeat
	c.st.mu.Lock()
	for k, e := range c.st.seen {
		if !force && now.Before(e.until) {
			continue
		}
		if e.suppressed > 0 {
			out = append(out, *e)
		}
		delete(c.st.seen, k)
	}
	c.st.mu.Unlock()
	for _, e := range out {
		r := e.last.Clone()
		r.Time = now
		r.AddAttrs(slog.Int("suppressed", e.suppressed), slog.Duration("interval", c.window))
		_ = e.h.Handle(ctx, r)
	}
}

// repeatKey is what makes two records the same: level, message and error.
func repeatKey(r slog.Record) string {
	key := r.Level.String() + "\x00" + r.Message
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "err" {
			key += "\x00" + a.Value.String()
			return false
		}
		return true
	})
	return key
}
