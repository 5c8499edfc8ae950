package gqlhttp

import "testing"

func TestNegotiate(t *testing.T) {
	tests := []struct {
		name, accept, want string
		ok                 bool
	}{
		{"none", "", MediaJSON, true},
		{"any", "*/*", MediaJSON, true},
		{"application/*", "application/*", MediaJSON, true},
		{"json", "application/json", MediaJSON, true},
		{"graphql-response first", "application/graphql-response+json, application/json", MediaGraphQLResponse, true},
		{"json first", "application/json, application/graphql-response+json", MediaJSON, true},
		{"by q", "application/json;q=0.5, application/graphql-response+json;q=0.9", MediaGraphQLResponse, true},
		{"q=0 refuses", "application/json;q=0, text/html", "", false},
		{"charset", "application/json; charset=utf-8", MediaJSON, true},
		{"case", "Application/JSON", MediaJSON, true},
		{"browser", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", MediaJSON, true},
		{"only html", "text/html", "", false},
		{"malformed q", "application/json;q=x", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Negotiate(tt.accept)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Negotiate(%q) = %q, %v; want %q, %v", tt.accept, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func BenchmarkNegotiate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Negotiate("application/graphql-response+json, application/json")
	}
}
