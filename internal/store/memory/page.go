package memory

import (
	"slices"
	"strings"

	"github.com/creditgraph/creditgraph/internal/store"
)

// order is how one paginated list sorts and which keys its cursors carry.
type order[T any] struct {
	kind  string
	nkeys int
	key   func(T) []string
	cmp   func(a, b []string) int
}

// ascending compares one key, ascending (enterprises by USCC).
func ascending(a, b []string) int { return strings.Compare(a[0], b[0]) }

// newestFirst compares [date, id]: date descending, then id ascending.
func newestFirst(a, b []string) int {
	if c := strings.Compare(b[0], a[0]); c != 0 {
		return c
	}
	return strings.Compare(a[1], b[1])
}

// after decodes a page's cursor; nil means the start.
func (o order[T]) after(p store.Page, fingerprint string) ([]string, error) {
	if p.After == "" {
		return nil, nil
	}
	return store.DecodeCursor(p.After, o.kind, fingerprint, o.nkeys)
}

// page sorts rows and returns the page after the cursor keys (nil = start).
// The cursor is a keyset position, not an offset, so rows written between
// two requests neither repeat nor skip the rows already walked.
func (o order[T]) page(rows []T, after []string, fingerprint string, limit int) store.Connection[T] {
	slices.SortFunc(rows, func(a, b T) int { return o.cmp(o.key(a), o.key(b)) })
	start := 0
	if after != nil {
		start, _ = slices.BinarySearchFunc(rows, after, func(r T, k []string) int {
			if o.cmp(o.key(r), k) <= 0 {
				return -1 // at or before the cursor: skip
			}
			return 1
		})
	}
	rows = rows[start:]
	c := store.Connection[T]{HasNext: len(rows) > limit}
	c.Items = rows[:min(limit, len(rows))]
	c.Cursors = make([]string, len(c.Items))
	for i, r := range c.Items {
		c.Cursors[i] = store.EncodeCursor(o.kind, fingerprint, o.key(r)...)
	}
	return c
}
