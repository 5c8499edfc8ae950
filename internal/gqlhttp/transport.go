package gqlhttp

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/creditgraph/creditgraph/internal/apierr"
)

// Allow is what /graphql allows.
const Allow = "GET, POST, OPTIONS"

// Transport is the one gqlgen transport of /graphql. Every request reaches
// it, whatever its method or media type, so that every refusal carries a
// code.
//
// Statuses (GraphQL over HTTP, "application/json" and
// "application/graphql-response+json"):
//   - a request that is not a readable GraphQL request: 400, 405, 406, 413
//     or 415 with the transport codes of package apierr;
//   - a GraphQL request error (parse, validation, variable coercion, a
//     query over its limits, an unknown persisted query): 200 under
//     application/json, 400 under application/graphql-response+json, and
//     never a data entry;
//   - a code with a status of its own (THROTTLED 429, UNAUTHENTICATED 401,
//     FORBIDDEN 403, UNAVAILABLE 503, INTERNAL 500) has it under both;
//   - an executed operation: 200, unless one of its errors is UNAVAILABLE:
//     then 503 with Retry-After and no data, since what the store could
//     not give would be missing from it.
type Transport struct{}

var _ graphql.Transport = Transport{}

// Supports claims every request.
func (Transport) Supports(*http.Request) bool { return true }

// Do serves one GraphQL request.
func (Transport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	media, ok := Negotiate(r.Header.Get("Accept"))
	if !ok {
		refuse(w, MediaJSON, apierr.New(apierr.NotAcceptable,
			"the Accept header names no media type served here: accept %s or %s", MediaGraphQLResponse, MediaJSON))
		return
	}
	start := graphql.Now()
	var p *graphql.RawParams
	var e *apierr.Error
	switch r.Method {
	case http.MethodGet:
		p, e = readGET(r)
	case http.MethodPost:
		if e = checkContentType(r.Header.Get("Content-Type")); e == nil {
			p, e = readPOST(r)
		}
	case http.MethodOptions:
		w.Header().Set("Allow", Allow)
		w.WriteHeader(http.StatusNoContent)
		return
	default:
		w.Header().Set("Allow", Allow)
		e = apierr.New(apierr.MethodNotAllowed, "method %s is not allowed on this endpoint: use GET or POST", r.Method)
	}
	if e != nil {
		refuse(w, media, e)
		return
	}
	p.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	ctx := r.Context()
	oc, errs := exec.CreateOperationContext(ctx, p)
	if errs != nil {
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs)
		resp.Data = nil // a request error has no data entry
		write(w, media, requestStatus(resp.Errors, media), resp)
		return
	}
	if r.Method == http.MethodGet && oc.Operation.Operation != ast.Query {
		w.Header().Set("Allow", "POST")
		refuse(w, media, apierr.New(apierr.MethodNotAllowed, "a %s must be sent with POST", oc.Operation.Operation))
		return
	}
	if oc.Operation.Operation == ast.Subscription {
		refuse(w, media, apierr.New(apierr.BadRequest,
			"a subscription is a stream of server-sent events: POST it with Accept: text/event-stream (the graphql-sse protocol)"))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	resp := responses(ctx)
	if resp == nil { // only a subscription ends without a response; there are none
		refuse(w, media, &apierr.Error{Code: apierr.Internal, Message: "internal error"})
		return
	}
	status := http.StatusOK
	if has(resp.Errors, apierr.Unavailable) {
		status, resp.Data = http.StatusServiceUnavailable, nil
	}
	write(w, media, status, resp)
}

// requestStatus is the status of a GraphQL request error.
func requestStatus(errs gqlerror.List, media string) int {
	for _, e := range errs {
		if s := apierr.Status(code(e)); s != 0 {
			return s
		}
	}
	if media == MediaGraphQLResponse {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

func code(e *gqlerror.Error) string {
	c, _ := e.Extensions["code"].(string)
	return c
}

func has(errs gqlerror.List, c string) bool {
	for _, e := range errs {
		if code(e) == c {
			return true
		}
	}
	return false
}

// answer is a GraphQL response as written: without a data entry when there
// is none (request errors), with "data":null when execution gave null.
type answer struct {
	Errors     gqlerror.List   `json:"errors,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
	Extensions map[string]any  `json:"extensions,omitempty"`
}

func write(w http.ResponseWriter, media string, status int, resp *graphql.Response) {
	b, err := marshal(resp)
	if err != nil {
		// The executor produced something JSON cannot carry: an internal
		// fault, never the caller's.
		refuse(w, media, &apierr.Error{Code: apierr.Internal, Message: "internal error"})
		return
	}
	h := w.Header()
	h.Set("Content-Type", media)
	if status == http.StatusServiceUnavailable {
		h.Set("Retry-After", apierr.RetryAfterUnavailable)
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// marshal is json.Marshal(answer{…}), byte for byte, without re-scanning an
// answer's data: gqlgen writes it compact, so json.Marshal's compaction of
// the raw message only HTML-escapes it (<, >, &, U+2028, U+2029), which
// json.HTMLEscape does alone, and only when one of them is there. That
// scan was ~5 % of an uncached profile's CPU.
func marshal(resp *graphql.Response) ([]byte, error) {
	if len(resp.Errors) > 0 || len(resp.Data) == 0 {
		return json.Marshal(answer{Errors: resp.Errors, Data: resp.Data, Extensions: resp.Extensions})
	}
	var ext []byte
	if len(resp.Extensions) > 0 {
		var err error
		if ext, err = json.Marshal(resp.Extensions); err != nil {
			return nil, err
		}
	}
	b := bytes.NewBuffer(make([]byte, 0, len(resp.Data)+len(ext)+32))
	b.WriteString(`{"data":`)
	if needsHTMLEscape(resp.Data) {
		json.HTMLEscape(b, resp.Data)
	} else {
		b.Write(resp.Data)
	}
	if ext != nil {
		b.WriteString(`,"extensions":`)
		b.Write(ext)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// needsHTMLEscape reports whether json.HTMLEscape would change b.
func needsHTMLEscape(b []byte) bool {
	for i, c := range b {
		switch {
		case c == '<' || c == '>' || c == '&':
			return true
		case c == 0xE2 && i+2 < len(b) && b[i+1] == 0x80 && b[i+2]&^1 == 0xA8: // U+2028, U+2029
			return true
		}
	}
	return false
}

// refuse ends a request that did not reach GraphQL.
func refuse(w http.ResponseWriter, media string, e *apierr.Error) {
	status := apierr.Status(e.Code)
	if status == 0 {
		status = http.StatusBadRequest
	}
	write(w, media, status, &graphql.Response{Errors: gqlerror.List{{
		Message: e.Message, Extensions: map[string]any{"code": e.Code},
	}}})
}
