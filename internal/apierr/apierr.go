// Package apierr defines the error codes callers see in extensions.code and
// the typed error that carries one. The GraphQL error presenter and the HTTP
// edge both map errors through Classify, so a code means the same thing on
// every path. It must not log or reveal internal detail.
package apierr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/creditgraph/creditgraph/internal/cost"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Codes from the contract.
const (
	InvalidUSCC     = "INVALID_USCC"
	NotFound        = "NOT_FOUND"
	Forbidden       = "FORBIDDEN"
	Unauthenticated = "UNAUTHENTICATED"
	Throttled       = "THROTTLED"
	MaxCostExceeded = "MAX_COST_EXCEEDED"
	BadUserInput    = "BAD_USER_INPUT"
	Unavailable     = "UNAVAILABLE"
	Internal        = "INTERNAL"
)

// Error is an error meant for the caller: its message is safe to show.
type Error struct {
	Code    string
	Message string
	Status  int            // HTTP status when the error ends a request at the edge; 0 = 200 in GraphQL
	Extra   map[string]any // extra extensions, e.g. limits and measured values
}

func (e *Error) Error() string { return e.Message }

// New returns a caller-facing error with a formatted message.
func New(code, format string, a ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, a...)}
}

// BadInput is New(BadUserInput, ...).
func BadInput(format string, a ...any) *Error { return New(BadUserInput, format, a...) }

// Classify maps any error to a caller-facing Error. ok is false when the
// error is internal: its message must not be shown and it should be logged.
func Classify(err error) (e *Error, ok bool) {
	var ae *Error
	var ue *credit.USCCError
	var le *cost.LimitError
	switch {
	case errors.As(err, &ae):
		return ae, true
	case errors.As(err, &le):
		return &Error{Code: le.Code, Message: le.Message, Status: http.StatusBadRequest, Extra: le.Extensions()}, true
	case errors.As(err, &ue):
		return &Error{Code: InvalidUSCC, Message: ue.Error()}, true
	case errors.Is(err, store.ErrBadCursor):
		return &Error{Code: BadUserInput, Message: "the cursor is invalid, or belongs to another list or filter: start again without `after`"}, true
	case errors.Is(err, store.ErrNotFound):
		return &Error{Code: NotFound, Message: "not found"}, true
	case errors.Is(err, store.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		return &Error{Code: Unavailable, Message: "the service is temporarily unavailable; retry later", Status: http.StatusServiceUnavailable}, true
	}
	return &Error{Code: Internal, Message: "internal error", Status: http.StatusInternalServerError}, false
}

// Write ends a request at the HTTP edge with a GraphQL-shaped error body.
func Write(w http.ResponseWriter, status int, e *Error) {
	ext := map[string]any{"code": e.Code}
	for k, v := range e.Extra {
		ext[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": e.Message, "extensions": ext}},
	})
}
