package storetest

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

func keyStore(t *testing.T, s store.Store) store.KeyStore {
	t.Helper()
	ks, ok := s.(store.KeyStore)
	if !ok {
		t.Fatalf("%T does not implement store.KeyStore", s)
	}
	return ks
}

func auditLog(t *testing.T, s store.Store) store.AuditLog {
	t.Helper()
	al, ok := s.(store.AuditLog)
	if !ok {
		t.Fatalf("%T does not implement store.AuditLog", s)
	}
	return al
}

func testKeys(t *testing.T, s store.Store) {
	ctx := context.Background()
	ks := keyStore(t, s)
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	a := store.Key{Name: "acme-bank", Tier: credit.TierPartner, Scope: "read", Hash: "aa" + hash64[2:], CreatedAt: created}
	b := store.Key{Name: "fj-amr", Tier: credit.TierRegulator, Scope: "write", Hash: "bb" + hash64[2:], CreatedAt: created}
	for _, k := range []store.Key{b, a} {
		if err := ks.CreateKey(ctx, k); err != nil {
			t.Fatalf("CreateKey(%s): %v", k.Name, err)
		}
	}
	if err := ks.CreateKey(ctx, store.Key{Name: "acme-bank", Tier: credit.TierPublic, Scope: "read", Hash: "cc" + hash64[2:]}); !errors.Is(err, store.ErrAlreadyExists) {
		t.Errorf("duplicate name: err = %v, want ErrAlreadyExists", err)
	}
	got, err := ks.KeyByHash(ctx, a.Hash)
	if err != nil || got.Name != a.Name || got.Tier != a.Tier || got.Scope != a.Scope || got.RevokedAt != nil || !got.CreatedAt.Equal(created) {
		t.Errorf("KeyByHash = %+v, %v; want %+v", got, err, a)
	}
	if _, err := ks.KeyByHash(ctx, "dd"+hash64[2:]); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown hash: err = %v, want ErrNotFound", err)
	}
	at := created.Add(time.Hour)
	if err := ks.RevokeKey(ctx, "acme-bank", at); err != nil {
		t.Fatal(err)
	}
	if err := ks.RevokeKey(ctx, "nobody", at); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("revoke unknown: err = %v, want ErrNotFound", err)
	}
	got, err = ks.KeyByHash(ctx, a.Hash)
	if err != nil || got.RevokedAt == nil || !got.RevokedAt.Equal(at) {
		t.Errorf("after revoke: %+v, %v; want RevokedAt %s", got, err, at)
	}
	keys, err := ks.Keys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, k := range keys {
		names = append(names, k.Name)
	}
	if !slices.Equal(names, []string{"acme-bank", "fj-amr"}) {
		t.Errorf("Keys = %q, want both, by name", names)
	}
}

const hash64 = "0000000000000000000000000000000000000000000000000000000000000000"

func testAudit(t *testing.T, s store.Store) {
	ctx := context.Background()
	al := auditLog(t, s)
	base := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	for i := 0; i < 5; i++ {
		key := "fj-amr"
		if i%2 == 1 {
			key = "xm-amr"
		}
		e := store.AuditEntry{At: base.Add(time.Duration(i) * time.Minute), KeyName: key, Operation: "query Q" + strconv.Itoa(i),
			Fields: []string{"Enterprise.phone"}, Enterprises: []string{uscc(i % 3)}}
		if err := al.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	var ops []string
	p := store.Page{First: 2}
	for {
		c, err := al.Audit(ctx, store.AuditFilter{}, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range c.Items {
			ops = append(ops, e.Operation)
		}
		if !c.HasNext {
			break
		}
		p.After = c.Cursors[len(c.Cursors)-1]
	}
	if !slices.Equal(ops, []string{"query Q4", "query Q3", "query Q2", "query Q1", "query Q0"}) {
		t.Errorf("walk = %q, want newest first", ops)
	}
	c, err := al.Audit(ctx, store.AuditFilter{KeyName: "xm-amr"}, store.Page{First: 10})
	if err != nil || len(c.Items) != 2 {
		t.Errorf("by key: %d entries, %v; want 2", len(c.Items), err)
	}
	c, err = al.Audit(ctx, store.AuditFilter{USCC: uscc(0)}, store.Page{First: 10})
	if err != nil || len(c.Items) != 2 || !slices.Equal(c.Items[0].Enterprises, []string{uscc(0)}) || !c.Items[0].At.Equal(base.Add(3*time.Minute)) {
		t.Errorf("by enterprise: %+v, %v", c.Items, err)
	}
	if _, err := al.Audit(ctx, store.AuditFilter{}, store.Page{First: 1, After: "bogus"}); !errors.Is(err, store.ErrBadCursor) {
		t.Errorf("bad cursor: err = %v, want ErrBadCursor", err)
	}
}

// uscc returns a valid code numbered n, for audit fixtures.
func uscc(n int) string {
	p := "91350100MA2AUD00" + strconv.Itoa(n%10)
	return p + string(credit.USCCCheckChar(p))
}
