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

// Codes of the HTTP edge: a request that is not a GraphQL request the
// server can read ends with one of these before any GraphQL runs.
const (
	BadRequest           = "BAD_REQUEST"            // 400: unreadable body or parameters
	BatchingNotSupported = "BATCHING_NOT_SUPPORTED" // 400: a JSON array of operations
	MethodNotAllowed     = "METHOD_NOT_ALLOWED"     // 405, with Allow
	NotAcceptable        = "NOT_ACCEPTABLE"         // 406: no media type of Accept is served
	UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE" // 415: a body that is not application/json
	PayloadTooLarge      = "PAYLOAD_TOO_LARGE"      // 413: a body over the limit
)

// Codes of the change feed.
const (
	// CursorExpired: the changes after a feed cursor are older than
	// CHANGES_RETENTION and gone; the caller exports again and follows the
	// feed from the export's cursor.
	CursorExpired = "CURSOR_EXPIRED"
	// TooManyStreams: the key holds as many open subscriptions as
	// STREAMS_PER_KEY allows.
	TooManyStreams = "TOO_MANY_STREAMS"
)

// Codes of GraphQL itself (gqlgen, the spec) and of persisted queries.
const (
	ParseFailed            = "GRAPHQL_PARSE_FAILED"
	ValidationFailed       = "GRAPHQL_VALIDATION_FAILED"
	PersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND"
)

// RetryAfterUnavailable is the Retry-After, in seconds, of every
// UNAVAILABLE answer: long enough for a restarted store or a failed-over
// replica, short enough that clients come back soon.
const RetryAfterUnavailable = "5"

// statuses are the HTTP statuses of the codes that carry one wherever they
// occur. A code not listed is a GraphQL request or field error, whose status
// depends on the media type (see package gqlhttp).
var statuses = map[string]int{
	Unauthenticated:      http.StatusUnauthorized,
	Forbidden:            http.StatusForbidden,
	Throttled:            http.StatusTooManyRequests,
	Unavailable:          http.StatusServiceUnavailable,
	Internal:             http.StatusInternalServerError,
	BadRequest:           http.StatusBadRequest,
	BatchingNotSupported: http.StatusBadRequest,
	MethodNotAllowed:     http.StatusMethodNotAllowed,
	NotAcceptable:        http.StatusNotAcceptable,
	UnsupportedMediaType: http.StatusUnsupportedMediaType,
	PayloadTooLarge:      http.StatusRequestEntityTooLarge,
}

// Status is the HTTP status a code always has, or 0 when it has none of its
// own (GraphQL request and field errors).
func Status(code string) int { return statuses[code] }

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
	case errors.Is(err, store.ErrCursorExpired):
		return &Error{Code: CursorExpired, Message: "the changes after this cursor are older than the feed keeps (CHANGES_RETENTION): export again (GET /v1/export/…) and follow changes(after:) from the export's cursor"}, true
	case errors.Is(err, store.ErrBadCursor):
		return &Error{Code: BadUserInput, Message: "the cursor is invalid, or belongs to another list or filter: start again without `after`"}, true
	case errors.Is(err, store.ErrNotFound):
		return &Error{Code: NotFound, Message: "not found"}, true
	case errors.Is(err, store.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		return &Error{Code: Unavailable, Message: "the service is temporarily unavailable; retry later", Status: http.StatusServiceUnavailable}, true
	}
	return &Error{Code: Internal, Message: "internal error", Status: http.StatusInternalServerError}, false
}

// Write ends a request at the HTTP edge with a GraphQL-shaped error body. A
// 503 always carries Retry-After.
func Write(w http.ResponseWriter, status int, e *Error) {
	ext := map[string]any{"code": e.Code}
	for k, v := range e.Extra {
		ext[k] = v
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if status == http.StatusServiceUnavailable && h.Get("Retry-After") == "" {
		h.Set("Retry-After", RetryAfterUnavailable)
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": e.Message, "extensions": ext}},
	})
}
