package memory

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/creditgraph/creditgraph/internal/store"
)

var (
	_ store.KeyStore = (*Store)(nil)
	_ store.AuditLog = (*Store)(nil)
)

// CreateKey stores a new key.
func (s *Store) CreateKey(ctx context.Context, k store.Key) error {
	s.amu.Lock()
	defer s.amu.Unlock()
	if _, ok := s.keys[k.Name]; ok {
		return fmt.Errorf("memory: key %q: %w", k.Name, store.ErrAlreadyExists)
	}
	s.keys[k.Name] = k
	return ctx.Err()
}

// Keys lists every key by name.
func (s *Store) Keys(ctx context.Context) ([]store.Key, error) {
	s.amu.Lock()
	defer s.amu.Unlock()
	out := make([]store.Key, 0, len(s.keys))
	for _, k := range s.keys {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b store.Key) int { return strings.Compare(a.Name, b.Name) })
	return out, ctx.Err()
}

// RevokeKey marks a key revoked.
func (s *Store) RevokeKey(ctx context.Context, name string, at time.Time) error {
	s.amu.Lock()
	defer s.amu.Unlock()
	k, ok := s.keys[name]
	if !ok {
		return fmt.Errorf("memory: key %q: %w", name, store.ErrNotFound)
	}
	if k.RevokedAt == nil {
		k.RevokedAt = &at
		s.keys[name] = k
	}
	return ctx.Err()
}

// KeyByHash finds a key by the hash of its secret.
func (s *Store) KeyByHash(ctx context.Context, hash string) (store.Key, error) {
	s.amu.Lock()
	defer s.amu.Unlock()
	for _, k := range s.keys {
		if k.Hash == hash {
			return k, ctx.Err()
		}
	}
	return store.Key{}, store.ErrNotFound
}

// AppendAudit appends an entry.
func (s *Store) AppendAudit(ctx context.Context, e store.AuditEntry) error {
	s.amu.Lock()
	defer s.amu.Unlock()
	e.ID = int64(len(s.audit) + 1)
	e.Fields = slices.Clone(e.Fields)
	e.Enterprises = slices.Clone(e.Enterprises)
	s.audit = append(s.audit, e)
	return ctx.Err()
}

// Audit pages through entries, newest first; the cursor is the entry ID.
func (s *Store) Audit(ctx context.Context, f store.AuditFilter, p store.Page) (store.Connection[store.AuditEntry], error) {
	var c store.Connection[store.AuditEntry]
	fp := store.Fingerprint(f)
	start := int64(1) << 62
	if p.After != "" {
		k, err := store.DecodeCursor(p.After, store.CursorAudit, fp, 1)
		if err != nil {
			return c, err
		}
		if start, err = strconv.ParseInt(k[0], 10, 64); err != nil {
			return c, fmt.Errorf("%w: audit position %q", store.ErrBadCursor, k[0])
		}
	}
	s.amu.Lock()
	defer s.amu.Unlock()
	limit := p.Limit()
	for i := len(s.audit) - 1; i >= 0; i-- {
		e := s.audit[i]
		if e.ID >= start || (f.KeyName != "" && e.KeyName != f.KeyName) || (f.USCC != "" && !slices.Contains(e.Enterprises, f.USCC)) {
			continue
		}
		if len(c.Items) == limit {
			c.HasNext = true
			break
		}
		c.Items = append(c.Items, e)
		c.Cursors = append(c.Cursors, store.EncodeCursor(store.CursorAudit, fp, strconv.FormatInt(e.ID, 10)))
	}
	return c, ctx.Err()
}
