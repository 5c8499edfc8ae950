// Package audit collects, per request, what a REGULATOR caller read of
// REGULATOR-tier fields, so the edge can write one audit entry per request.
// It owns only the in-request trail; storing entries is the store's job.
package audit

import (
	"context"
	"slices"
	"sync"
)

// Trail is one request's reads. Safe for concurrent use: gqlgen resolves
// fields in parallel.
type Trail struct {
	mu          sync.Mutex
	operation   string
	fields      map[string]bool
	enterprises map[string]bool
}

type ctxKey struct{}

// With returns ctx carrying a new trail.
func With(ctx context.Context) (context.Context, *Trail) {
	t := &Trail{fields: map[string]bool{}, enterprises: map[string]bool{}}
	return context.WithValue(ctx, ctxKey{}, t), t
}

// From returns ctx's trail, or nil when the request keeps none.
func From(ctx context.Context) *Trail {
	t, _ := ctx.Value(ctxKey{}).(*Trail)
	return t
}

// Note records a read of field (Type.field) about enterprise uscc ("" when
// none) in ctx's trail, if it has one.
func Note(ctx context.Context, operation, field, uscc string) {
	t, _ := ctx.Value(ctxKey{}).(*Trail)
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.operation == "" {
		t.operation = operation
	}
	t.fields[field] = true
	if uscc != "" {
		t.enterprises[uscc] = true
	}
}

// Empty reports whether nothing was noted.
func (t *Trail) Empty() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.fields) == 0
}

// Summary returns the operation and the sorted fields and enterprises.
func (t *Trail) Summary() (operation string, fields, enterprises []string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for f := range t.fields {
		fields = append(fields, f)
	}
	for e := range t.enterprises {
		enterprises = append(enterprises, e)
	}
	slices.Sort(fields)
	slices.Sort(enterprises)
	return t.operation, fields, enterprises
}
