// Package gqlhttp is GraphQL over HTTP as the GraphQL-over-HTTP
// specification words it: a gqlgen transport that reads GET and POST
// requests, negotiates the media type of the answer (application/json or
// application/graphql-response+json), refuses what is not one GraphQL
// request with a code and a message naming what was wrong (a batch, a body
// that is not a JSON object, another media type or method), and chooses
// each answer's HTTP status from its errors' codes.
//
// It never echoes a request body back, names no Go type and reveals no
// internals. It owns no authentication, metering or caching: those wrap it
// (package httpapi) or run as gqlgen extensions.
package gqlhttp
