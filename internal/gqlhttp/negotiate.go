package gqlhttp

import (
	"strconv"
	"strings"
)

// The media types of an answer.
const (
	MediaJSON            = "application/json"
	MediaGraphQLResponse = "application/graphql-response+json"
)

// Negotiate picks the answer's media type from an Accept header: the
// supported type the client ranks highest (q), the first listed on a tie;
// application/json when the header is empty or names only a wildcard. ok is
// false when the header names no type this server answers in (406).
//
// It parses in place without allocating: every GraphQL request passes here.
func Negotiate(accept string) (media string, ok bool) {
	if strings.TrimSpace(accept) == "" {
		return MediaJSON, true
	}
	best, bestQ := "", -1.0
	for rest := accept; rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		typ, params, _ := strings.Cut(part, ";")
		m := supported(strings.TrimSpace(typ))
		if m == "" {
			continue
		}
		if q := quality(params); q > bestQ && q > 0 {
			best, bestQ = m, q
		}
	}
	return best, best != ""
}

// supported maps an Accept media range to the type answered for it.
func supported(typ string) string {
	switch {
	case strings.EqualFold(typ, MediaGraphQLResponse):
		return MediaGraphQLResponse
	case strings.EqualFold(typ, MediaJSON), typ == "*/*", strings.EqualFold(typ, "application/*"):
		return MediaJSON
	}
	return ""
}

// quality reads the q parameter of a media range (RFC 9110 §12.4.2); 1
// when there is none, 0 when it is malformed.
func quality(params string) float64 {
	for rest := params; rest != ""; {
		var p string
		p, rest, _ = strings.Cut(rest, ";")
		k, v, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || q < 0 || q > 1 {
			return 0
		}
		return q
	}
	return 1
}
