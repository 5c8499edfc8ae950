package gqlhttp

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// marshal writes exactly what json.Marshal writes for the same answer: the
// response cache and the fast path depend on one byte form.
func TestMarshalMatchesJSONMarshal(t *testing.T) {
	cost := map[string]any{"cost": map[string]any{"requestedQueryCost": 2, "actualQueryCost": 1,
		"throttleStatus": map[string]any{"maximumAvailable": 1000, "currentlyAvailable": 999, "restoreRate": 0.27}}}
	tests := []struct {
		name string
		resp graphql.Response
	}{
		{name: "data and extensions", resp: graphql.Response{Data: json.RawMessage(`{"enterprise":{"uscc":"91350100M000100Y43","name":"值"}}`), Extensions: cost}},
		{name: "data only", resp: graphql.Response{Data: json.RawMessage(`{"a":[1,2,{"b":null}]}`)}},
		{name: "HTML characters", resp: graphql.Response{Data: json.RawMessage(`{"a":"<script>&amp;</script>","b":"x>y"}`), Extensions: cost}},
		{name: "line and paragraph separators", resp: graphql.Response{Data: json.RawMessage("{\"a\":\"x\u2028y\u2029z\u2027\"}")}},
		{name: "quotes, escapes and controls", resp: graphql.Response{Data: json.RawMessage(`{"a":"\"\\\n\u0001"}`)}},
		{name: "null data", resp: graphql.Response{Data: json.RawMessage(`null`), Extensions: cost}},
		{name: "errors", resp: graphql.Response{Data: json.RawMessage(`{"a":null}`),
			Errors: gqlerror.List{{Message: "<no>", Extensions: map[string]any{"code": "NOT_FOUND"}}}, Extensions: cost}},
		{name: "no data", resp: graphql.Response{Errors: gqlerror.List{{Message: "bad"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, err := json.Marshal(answer{Errors: tc.resp.Errors, Data: tc.resp.Data, Extensions: tc.resp.Extensions})
			if err != nil {
				t.Fatal(err)
			}
			got, err := marshal(&tc.resp)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("marshal:\n%s\njson.Marshal:\n%s", got, want)
			}
		})
	}
}
