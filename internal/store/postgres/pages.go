package postgres

import (
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/creditgraph/creditgraph/internal/store"
)

// Keyset pagination: a page asks for First+1 rows after the cursor's sort
// keys, so the extra row only says whether there is a next page. Cursors
// are store.EncodeCursor's, shared with the embedded store.

// afterNewest adds the condition "after the cursor" for a list ordered by
// dateCol descending, then idCol ascending; the cursor holds both keys.
func (q *query) afterNewest(cursor, kind, fingerprint, dateCol, idCol string) error {
	key, err := store.DecodeCursor(cursor, kind, fingerprint, 2)
	if err != nil {
		return err
	}
	on, ok := parseDateKey(key[0])
	if !ok {
		return fmt.Errorf("%w: bad date %q", store.ErrBadCursor, key[0])
	}
	d, id := q.arg(on), q.arg(key[1])
	q.add(`(` + dateCol + ` < ` + d + ` OR (` + dateCol + ` = ` + d + ` AND ` + idCol + ` > ` + id + `))`)
	return nil
}

// collect reads one page from rows, which hold up to limit+1 rows (or
// more, when view drops rows the SQL could not: a text search over redacted
// text): each row is scanned, passed through view (which may drop it: the
// policy has the last word) and given the cursor of its sort keys; the first
// kept row past limit only says there is a next page.
func collect[T any](rows pgx.Rows, limit int, scan func(pgx.Row) (T, error), view func(T) (T, bool),
	cursor func(T) string) (store.Connection[T], error) {
	defer rows.Close()
	var c store.Connection[T]
	for rows.Next() {
		t, err := scan(rows)
		if err != nil {
			return c, err
		}
		tv, ok := view(t)
		if !ok {
			continue
		}
		if len(c.Items) == limit {
			c.HasNext = true
			break
		}
		c.Items = append(c.Items, tv)
		c.Cursors = append(c.Cursors, cursor(t))
	}
	return c, rows.Err()
}
