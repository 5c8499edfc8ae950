package store

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// Cursors are opaque to clients but not secret: a cursor is base64url of a
// small JSON document naming its format version, the list it belongs to
// (kind), a fingerprint of the filter it was made under and the keyset
// position (the sort keys of the last item returned). A cursor used with
// another list or another filter would silently skip or repeat rows, so both
// are checked and refused with ErrBadCursor.

// cursorVersion is bumped whenever the cursor document changes shape, so old
// cursors fail cleanly instead of being misread.
const cursorVersion = 1

// Cursor kinds, one per paginated list. Both backends use these so a cursor
// means the same thing whichever store made it.
const (
	CursorEnterprises  = "enterprises"
	CursorTypicalCases = "typical_cases"
	CursorAudit        = "audit"
)

// ListingsCursorKind is the cursor kind of one list: a cursor of the serious
// list is refused by the abnormal list.
func ListingsCursorKind(list string) string { return "listings/" + list }

// Page sizes: Limit clamps Page.First into [1, MaxFirst], defaulting to
// DefaultFirst, so a backend never runs an unbounded query.
const (
	DefaultFirst = 20
	MaxFirst     = 100
)

// Limit is the number of items a backend should return for p.
func (p Page) Limit() int {
	switch {
	case p.First <= 0:
		return DefaultFirst
	case p.First > MaxFirst:
		return MaxFirst
	}
	return p.First
}

type cursorDoc struct {
	V int      `json:"v"`
	K string   `json:"k"`
	F string   `json:"f"`
	X []string `json:"x"`
}

// EncodeCursor returns the opaque cursor of the keyset position key in the
// list kind under the filter with the given fingerprint.
func EncodeCursor(kind, fingerprint string, key ...string) string {
	b, err := json.Marshal(cursorDoc{V: cursorVersion, K: kind, F: fingerprint, X: key})
	if err != nil { // strings always marshal
		panic(fmt.Sprintf("store: encode cursor: %v", err))
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor returns the nkeys keyset keys of cursor c, or an error
// wrapping ErrBadCursor when c is malformed, of another version, or was made
// for another list (kind) or another filter (fingerprint).
func DecodeCursor(c, kind, fingerprint string, nkeys int) ([]string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, fmt.Errorf("%w: not base64url", ErrBadCursor)
	}
	var d cursorDoc
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("%w: not a cursor", ErrBadCursor)
	}
	switch {
	case d.V != cursorVersion:
		return nil, fmt.Errorf("%w: cursor version %d, want %d", ErrBadCursor, d.V, cursorVersion)
	case d.K != kind:
		return nil, fmt.Errorf("%w: cursor of %q used with %q", ErrBadCursor, d.K, kind)
	case d.F != fingerprint:
		return nil, fmt.Errorf("%w: cursor made under another filter", ErrBadCursor)
	case len(d.X) != nkeys:
		return nil, fmt.Errorf("%w: cursor has %d keys, want %d", ErrBadCursor, len(d.X), nkeys)
	}
	return d.X, nil
}

// Fingerprint is a short hash of a filter value, stable across processes
// and backends: the JSON encoding (field order is declaration order, pointers
// are followed) so equal filters give equal fingerprints.
func Fingerprint(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		b = fmt.Appendf(nil, "%#v", v) // not expected for filter structs
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}
