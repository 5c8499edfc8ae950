// Package ingest turns NDJSON import records (one JSON object a line, the
// "Import records" section of the contract) into validated credit records and
// writes them to a store.Store in batches. It owns the wire format of import
// records, the line-level validation codes (INVALID_JSON, MISSING_FIELD, …)
// and the import summary that the import command, serve --load and
// POST /v1/ingest all print. It checks what one line says on its own; the
// store checks what lines say about each other (unknown references, the
// disclosure rules of package credit). It must not know about HTTP, GraphQL
// or a particular store backend, and never reads the environment.
//
// How a line is read, where the contract leaves room:
//   - Members this package does not know are ignored; a member name given
//     twice makes the line INVALID_JSON, as does invalid UTF-8.
//   - null is the same as an absent member. A string is trimmed of
//     surrounding white space; an empty one is absent when optional and
//     INVALID_VALUE when required, as is an empty required list.
//   - Inspections and commitments have a field the contract also calls
//     "kind". As one object cannot hold two, write "kind":"inspection" with
//     "inspection_kind":"sampling" (and "commitment_kind" likewise), or put
//     the inspection's or commitment's kind in "kind" itself
//     ("kind":"sampling"): the value sets do not overlap.
//   - Amounts are decimal strings of digits with an optional fraction; a
//     JSON number is INVALID_TYPE, so that no amount goes through a float.
//   - Line numbers count every line from 1, blank ones included; a UTF-8
//     byte-order mark at the start and CRLF line endings are accepted.
//   - A few fields are checked against each other: a licence's valid_to
//     not before valid_from, a penalty's published_on not before
//     decided_on, a commitment's untrue_found_on only when its status is
//     untrue and not before made_on.
package ingest
