// Package auth owns who a request is from: the Caller (tier, key name,
// scope) that the HTTP edge resolves and every later layer reads from the
// context. It must not decide what a tier may see; that is package credit's.
package auth

import (
	"context"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// Scope is what an API key may do.
type Scope string

const (
	ScopeRead  Scope = "read"
	ScopeWrite Scope = "write"
)

// Caller is the authenticated party of a request. The zero value is an
// anonymous PUBLIC caller.
type Caller struct {
	Tier    credit.Tier
	KeyName string // "" for anonymous callers
	Scope   Scope
}

type callerKey struct{}

// WithCaller returns ctx carrying c.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// FromContext returns the request's caller; anonymous PUBLIC when none is set.
func FromContext(ctx context.Context) Caller {
	c, _ := ctx.Value(callerKey{}).(Caller)
	return c
}
