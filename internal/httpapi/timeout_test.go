package httpapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// The request timeout behaves as context.WithTimeout whether or not its
// timer was made before it passed, children see it, and it is released
// when the request ends.
func TestRequestTimeout(t *testing.T) {
	tests := []struct {
		name     string
		limit    time.Duration
		use      func(t *testing.T, ctx context.Context)
		wantErr  error
		deadline bool
	}{
		{name: "passed, first asked by Err", limit: time.Nanosecond, wantErr: context.DeadlineExceeded,
			use: func(t *testing.T, ctx context.Context) {}},
		{name: "passed, seen by a child", limit: time.Nanosecond, wantErr: context.DeadlineExceeded,
			use: func(t *testing.T, ctx context.Context) {
				child, cancel := context.WithCancel(ctx)
				defer cancel()
				<-child.Done()
				if !errors.Is(context.Cause(child), context.DeadlineExceeded) {
					t.Errorf("child's cause %v", context.Cause(child))
				}
			}},
		{name: "not passed", limit: time.Hour, wantErr: nil, deadline: true,
			use: func(t *testing.T, ctx context.Context) {
				select {
				case <-ctx.Done():
					t.Error("done before its deadline")
				default:
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var seen context.Context
			h := timeout(tc.limit, 0, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seen = r.Context()
				tc.use(t, seen)
				if err := seen.Err(); !errors.Is(err, tc.wantErr) || (err == nil) != (tc.wantErr == nil) {
					t.Errorf("Err() = %v, want %v", err, tc.wantErr)
				}
				d, ok := seen.Deadline()
				if !ok || (tc.deadline && time.Until(d) < time.Minute) {
					t.Errorf("Deadline() = %v, %v", d, ok)
				}
			}))
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/graphql", nil))
			if seen.Err() == nil {
				t.Error("the request's context is not released when the request ends")
			}
		})
	}
}

// A request that never asks for its context's Done channel makes no timer.
func TestRequestTimeoutMadeOnlyWhenAsked(t *testing.T) {
	h := timeout(time.Hour, 0, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := r.Context().(*deadlineCtx)
		_ = c.Value(struct{}{})
		if _, ok := c.Deadline(); !ok || c.made.Load() != nil {
			t.Error("a timer was made before Done or Err was asked for")
		}
		_ = c.Done()
		if c.made.Load() == nil {
			t.Error("Done did not make the timer")
		}
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/graphql", nil))
}
