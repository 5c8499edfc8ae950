package logging

import (
	"context"
	"io"
	"log/slog"
	"time"
)

// Options configure a Logger.
type Options struct {
	Level  slog.Leveler
	JSON   bool          // JSON lines; text otherwise
	Repeat time.Duration // collapse window of repeated warnings and errors; 0 → none
	Now    func() time.Time
}

// Logger is the process's logger and the collapser behind it.
type Logger struct {
	*slog.Logger
	c *collapser
}

// New returns a Logger writing to w: every line scrubbed, repeats collapsed.
func New(w io.Writer, o Options) *Logger {
	ho := &slog.HandlerOptions{Level: o.Level}
	var base slog.Handler = slog.NewTextHandler(w, ho)
	if o.JSON {
		base = slog.NewJSONHandler(w, ho)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	c := &collapser{next: base, window: o.Repeat, now: o.Now, st: &collapseState{seen: map[string]*repeat{}}}
	return &Logger{Logger: slog.New(scrubber{c}), c: c}
}

// Flush logs the counts of repeats whose interval is over.
func (l *Logger) Flush(ctx context.Context) { l.c.flush(ctx, false) }

// Close logs every count still held back.
func (l *Logger) Close(ctx context.Context) { l.c.flush(ctx, true) }

// Run flushes once per interval until ctx ends, then closes.
func (l *Logger) Run(ctx context.Context) {
	if l.c.window <= 0 {
		return
	}
	t := time.NewTicker(l.c.window)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			l.Close(context.WithoutCancel(ctx))
			return
		case <-t.C:
			l.Flush(ctx)
		}
	}
}
