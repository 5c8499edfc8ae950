package redisguard

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestCall checks how Call classifies outcomes, inline and detached. f never
// touches the client: only its options (ContextTimeoutEnabled) matter.
func TestCall(t *testing.T) {
	for _, inline := range []bool{true, false} {
		client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", ContextTimeoutEnabled: inline})
		t.Cleanup(func() { _ = client.Close() })
		var reasons []string
		b := NewBreaker(3, time.Hour, time.Now, func(string) {})
		g := NewGuard(client, 20*time.Millisecond, b, func(r string) { reasons = append(reasons, r) })
		if g.inline != inline {
			t.Fatalf("inline = %v, want %v", g.inline, inline)
		}

		if v, err := Call(context.Background(), g, func(context.Context) (int, error) { return 7, nil }); v != 7 || err != nil {
			t.Fatalf("success: %d, %v", v, err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := Call(ctx, g, func(ctx context.Context) (int, error) { <-ctx.Done(); return 0, ctx.Err() }); !errors.Is(err, context.Canceled) {
			t.Fatalf("caller's cancellation: %v", err)
		}
		boom := errors.New("boom")
		if _, err := Call(context.Background(), g, func(context.Context) (int, error) { return 0, boom }); !errors.Is(err, boom) {
			t.Fatalf("error: %v", err)
		}
		if _, err := Call(context.Background(), g, func(ctx context.Context) (int, error) { <-ctx.Done(); return 0, ctx.Err() }); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("timeout: %v", err)
		}
		if g.State() != Closed {
			t.Fatalf("inline %v: state %s after 2 failures and a cancellation, want closed", inline, g.State())
		}
		if _, err := Call(context.Background(), g, func(context.Context) (int, error) { return 0, boom }); !errors.Is(err, boom) {
			t.Fatalf("error: %v", err)
		}
		if g.State() != Open {
			t.Fatalf("inline %v: state %s after 3 failures, want open", inline, g.State())
		}
		called := false
		if _, err := Call(context.Background(), g, func(context.Context) (int, error) { called = true; return 0, nil }); !errors.Is(err, ErrSkipped) || called {
			t.Fatalf("open breaker: %v, called %v", err, called)
		}
		want := []string{ReasonError, ReasonTimeout, ReasonError}
		if len(reasons) != len(want) || reasons[0] != want[0] || reasons[1] != want[1] || reasons[2] != want[2] {
			t.Fatalf("inline %v: reasons %v, want %v", inline, reasons, want)
		}
	}

	g := NewGuard(nil, time.Second, NewBreaker(1, time.Second, time.Now, func(string) {}), nil)
	if _, err := Call(context.Background(), g, func(context.Context) (int, error) { return 0, nil }); !errors.Is(err, ErrSkipped) {
		t.Fatalf("no client: %v", err)
	}
	if g.State() != Open {
		t.Fatalf("no client: state %s", g.State())
	}
}
