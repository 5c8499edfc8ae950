package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

var (
	_ store.KeyStore = (*Store)(nil)
	_ store.AuditLog = (*Store)(nil)
)

// CreateKey stores a new key.
func (s *Store) CreateKey(ctx context.Context, k store.Key) error {
	created := k.CreatedAt
	if created.IsZero() {
		created = time.Now()
	}
	_, err := s.write.Exec(ctx, `INSERT INTO api_keys (name, tier, scope, hash, created_at) VALUES ($1, $2, $3, $4, $5)`,
		k.Name, k.Tier.String(), k.Scope, k.Hash, created)
	return wrap("create key "+k.Name, err)
}

const keyColumns = `name, tier, scope, hash, created_at, revoked_at`

func scanKey(row pgx.Row) (store.Key, error) {
	var k store.Key
	var tier string
	if err := row.Scan(&k.Name, &tier, &k.Scope, &k.Hash, &k.CreatedAt, &k.RevokedAt); err != nil {
		return k, err
	}
	t, err := credit.ParseTier(tier)
	k.Tier = t
	k.CreatedAt = k.CreatedAt.UTC()
	if k.RevokedAt != nil {
		r := k.RevokedAt.UTC()
		k.RevokedAt = &r
	}
	return k, err
}

// Keys lists every key by name.
func (s *Store) Keys(ctx context.Context) ([]store.Key, error) {
	rows, err := s.write.Query(ctx, `SELECT `+keyColumns+` FROM api_keys ORDER BY name`)
	if err != nil {
		return nil, wrap("keys", err)
	}
	defer rows.Close()
	var out []store.Key
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, wrap("keys", err)
		}
		out = append(out, k)
	}
	return out, wrap("keys", rows.Err())
}

// RevokeKey marks a key revoked; revoking twice keeps the first time.
func (s *Store) RevokeKey(ctx context.Context, name string, at time.Time) error {
	tag, err := s.write.Exec(ctx, `UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2) WHERE name = $1`, name, at)
	if err != nil {
		return wrap("revoke key", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: key %q: %w", name, store.ErrNotFound)
	}
	return nil
}

// KeyByHash finds a key by the hash of its secret. It reads the primary, so
// a revocation is seen at once.
func (s *Store) KeyByHash(ctx context.Context, hash string) (store.Key, error) {
	k, err := scanKey(s.write.QueryRow(ctx, `SELECT `+keyColumns+` FROM api_keys WHERE hash = $1`, hash))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Key{}, store.ErrNotFound
	}
	return k, wrap("key by hash", err)
}

// AppendAudit appends an entry.
func (s *Store) AppendAudit(ctx context.Context, e store.AuditEntry) error {
	_, err := s.write.Exec(ctx, `INSERT INTO audit_log (at, key_name, operation, fields, enterprises) VALUES ($1, $2, $3, $4, $5)`,
		e.At, e.KeyName, e.Operation, nonNil(e.Fields), nonNil(e.Enterprises))
	return wrap("append audit", err)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Audit pages through entries, newest first; the cursor is the entry id.
func (s *Store) Audit(ctx context.Context, f store.AuditFilter, p store.Page) (store.Connection[store.AuditEntry], error) {
	var c store.Connection[store.AuditEntry]
	fp := store.Fingerprint(f)
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if p.After != "" {
		k, err := store.DecodeCursor(p.After, store.CursorAudit, fp, 1)
		if err != nil {
			return c, err
		}
		id, err := strconv.ParseInt(k[0], 10, 64)
		if err != nil {
			return c, fmt.Errorf("%w: audit position %q", store.ErrBadCursor, k[0])
		}
		where = append(where, "id < "+arg(id))
	}
	if f.KeyName != "" {
		where = append(where, "key_name = "+arg(f.KeyName))
	}
	if f.USCC != "" {
		where = append(where, "enterprises @> ARRAY["+arg(f.USCC)+"]::text[]")
	}
	q := `SELECT id, at, key_name, operation, fields, enterprises FROM audit_log`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	limit := p.Limit()
	q += " ORDER BY id DESC LIMIT " + arg(limit+1)
	rows, err := s.read.Query(ctx, q, args...)
	if err != nil {
		return c, wrap("audit", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e store.AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.KeyName, &e.Operation, &e.Fields, &e.Enterprises); err != nil {
			return c, wrap("audit", err)
		}
		if len(c.Items) == limit {
			c.HasNext = true
			break
		}
		e.At = e.At.UTC()
		c.Items = append(c.Items, e)
		c.Cursors = append(c.Cursors, store.EncodeCursor(store.CursorAudit, fp, strconv.FormatInt(e.ID, 10)))
	}
	return c, wrap("audit", rows.Err())
}
