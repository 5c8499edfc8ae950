package gqlhttp

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/creditgraph/creditgraph/internal/apierr"
)

// request is the body of a POST: the GraphQL-over-HTTP request parameters.
// Pointers tell an absent or null parameter from an empty one.
type request struct {
	Query         *string        `json:"query"`
	OperationName *string        `json:"operationName"`
	Variables     map[string]any `json:"variables"`
	Extensions    map[string]any `json:"extensions"`
}

// what each parameter must be, for messages.
var paramKinds = map[string]string{
	"query":         "a string",
	"operationName": "a string or null",
	"variables":     "an object or null",
	"extensions":    "an object or null",
}

// readPOST reads the parameters of a POST request whose Content-Type was
// checked. A body over the limit is PAYLOAD_TOO_LARGE; anything that is not
// one JSON object of the spec's parameters is BAD_REQUEST, or
// BATCHING_NOT_SUPPORTED for an array.
func readPOST(r *http.Request) (*graphql.RawParams, *apierr.Error) {
	if r.Body == nil {
		return nil, apierr.New(apierr.BadRequest, "the request has no body: POST a JSON object with a `query`")
	}
	body, err := io.ReadAll(r.Body)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, apierr.New(apierr.PayloadTooLarge, "the request body is over the limit of %d bytes", mbe.Limit)
	case err != nil:
		return nil, apierr.New(apierr.BadRequest, "the request body could not be read")
	}
	first := firstByte(body)
	switch first {
	case 0:
		return nil, apierr.New(apierr.BadRequest, "the request body is empty: POST a JSON object with a `query`")
	case '[':
		return nil, apierr.New(apierr.BatchingNotSupported,
			"the request body is a JSON array: batched operations are not supported; send one operation per request")
	case '{':
	default:
		if !json.Valid(body) {
			return nil, jsonError(body)
		}
		return nil, apierr.New(apierr.BadRequest, "the request body must be a JSON object with a `query`")
	}
	var req request
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&req); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, paramError(te.Field, te.Value)
		}
		return nil, jsonError(body)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, apierr.New(apierr.BadRequest, "the request body has data after its JSON object: send one operation per request")
	}
	return params(r, req.Query, req.OperationName, req.Variables, req.Extensions)
}

// readGET reads the parameters of a GET request from its query string.
func readGET(r *http.Request) (*graphql.RawParams, *apierr.Error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, apierr.New(apierr.BadRequest, "the query string is not valid URL encoding")
	}
	var p struct{ vars, ext map[string]any }
	for name, dst := range map[string]*map[string]any{"variables": &p.vars, "extensions": &p.ext} {
		s := q.Get(name)
		if s == "" {
			continue
		}
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil || dec.More() {
			return nil, apierr.New(apierr.BadRequest, "the `%s` parameter is not valid JSON", name)
		}
		m, ok := v.(map[string]any)
		if !ok && v != nil {
			return nil, paramError(name, kindOf(v))
		}
		*dst = m
	}
	var query, op *string
	if q.Has("query") {
		s := q.Get("query")
		query = &s
	}
	if q.Has("operationName") {
		s := q.Get("operationName")
		op = &s
	}
	return params(r, query, op, p.vars, p.ext)
}

// params checks that a request names a document (or a persisted one) and
// builds gqlgen's parameters.
func params(r *http.Request, query, op *string, vars, ext map[string]any) (*graphql.RawParams, *apierr.Error) {
	if (query == nil || *query == "") && ext["persistedQuery"] == nil {
		return nil, apierr.New(apierr.BadRequest, "the request has no `query`: send a GraphQL document (or extensions.persistedQuery)")
	}
	p := &graphql.RawParams{Variables: vars, Extensions: ext, Headers: r.Header}
	if query != nil {
		p.Query = *query
	}
	if op != nil {
		p.OperationName = *op
	}
	return p, nil
}

// checkContentType reports why a POST's Content-Type is refused, or nil.
func checkContentType(ct string) *apierr.Error {
	if ct == "" {
		return apierr.New(apierr.UnsupportedMediaType, "the request has no Content-Type: send Content-Type: application/json")
	}
	mt, ps, err := mime.ParseMediaType(ct)
	switch {
	case err != nil:
		return apierr.New(apierr.UnsupportedMediaType, "the Content-Type header is malformed: send Content-Type: application/json")
	case mt != MediaJSON:
		return apierr.New(apierr.UnsupportedMediaType, "Content-Type %s is not supported: send application/json", mt)
	case ps["charset"] != "" && !strings.EqualFold(ps["charset"], "utf-8"):
		return apierr.New(apierr.UnsupportedMediaType, "charset %s is not supported: send UTF-8", ps["charset"])
	}
	return nil
}

// jsonError names where a body stops being JSON, without quoting it.
func jsonError(body []byte) *apierr.Error {
	var v any
	err := json.Unmarshal(body, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return apierr.New(apierr.BadRequest, "the request body is not valid JSON: %s (at byte %d)", se.Error(), se.Offset)
	}
	return apierr.New(apierr.BadRequest, "the request body is not valid JSON")
}

// paramError says which parameter has the wrong JSON type.
func paramError(field, got string) *apierr.Error {
	want, known := paramKinds[field]
	if !known {
		return apierr.New(apierr.BadRequest, "the request body's `%s` has the wrong type (%s)", field, got)
	}
	return apierr.New(apierr.BadRequest, "`%s` must be %s, not %s", field, want, article(got))
}

func article(kind string) string {
	switch kind {
	case "array", "object":
		return "an " + kind
	case "":
		return "this"
	}
	return "a " + kind
}

func kindOf(v any) string {
	switch v.(type) {
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "bool"
	}
	return "value"
}

// firstByte is the first non-space byte of b, 0 when there is none.
func firstByte(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c
	}
	return 0
}
