package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/gen"
	"github.com/creditgraph/creditgraph/internal/testenv"
)

// TestDatabaseEnv names the variable holding the server integration tests
// use, e.g. postgres://postgres@127.0.0.1:5432/postgres.
const TestDatabaseEnv = "TEST_DATABASE_URL"

// RequireDatabase returns TEST_DATABASE_URL. Without it the test is skipped, or,
// under CI=true, fails: CI must never pass by skipping.
func RequireDatabase(t testing.TB) string {
	t.Helper()
	u := os.Getenv(TestDatabaseEnv)
	if u == "" {
		testenv.NeedServer(t, TestDatabaseEnv, "set %s (e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable) to run the PostgreSQL integration tests", TestDatabaseEnv)
	}
	return u
}

// NewTestDatabase creates a fresh, migrated database on the server named by
// TEST_DATABASE_URL, drops it when the test ends, and returns its URL.
func NewTestDatabase(t testing.TB) string {
	t.Helper()
	admin := RequireDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect to %s: %v", TestDatabaseEnv, err)
	}
	defer conn.Close(ctx)
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "creditgraph_test_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("drop test database %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	u, err := withDatabase(admin, name)
	if err != nil {
		t.Fatalf("parse %s: %v", TestDatabaseEnv, err)
	}
	if err := Migrate(ctx, u); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return u
}

// withDatabase returns connection string cs naming database name instead.
func withDatabase(cs, name string) (string, error) {
	if !strings.Contains(cs, "://") { // keyword/value form: the last setting wins
		return cs + " dbname=" + name, nil
	}
	u, err := url.Parse(cs)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

// NewTestStore returns a store on a fresh, migrated database (see
// NewTestDatabase), closed when the test ends.
func NewTestStore(t testing.TB, p credit.Policy) *Store {
	t.Helper()
	return NewTestStoreConfig(t, Config{Policy: p})
}

// NewTestStoreConfig is NewTestStore with more settings (a Tracer, say);
// cfg.URL is set to the fresh database.
func NewTestStoreConfig(t testing.TB, cfg Config) *Store {
	t.Helper()
	cfg.URL = NewTestDatabase(t)
	s, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("postgres.New: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// BulkTestFile is a generated dataset with what makes an import hard: an
// enterprise named again later with another name (the later line wins, in
// another batch: the bulk load's COPY meets the stored key), a record of an
// enterprise that comes later in the file (applied when the file is read),
// a record of an enterprise no line names (UNKNOWN_REFERENCE), a line that
// does not decode, and removals and repairs; its dates are around
// 2026-11-01. The bulk load's tests import it both ways.
func BulkTestFile(t testing.TB) string {
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	t.Helper()
	var main, other strings.Builder
	if err := gen.Write(&main, gen.Options{Enterprises: 600, Seed: 21, Anchor: day}); err != nil {
		t.Fatal(err)
	}
	if err := gen.Write(&other, gen.Options{Enterprises: 20, Seed: 22, Anchor: day}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(main.String(), "\n"), "\n")
	var firstEnterprise, movedEnterprise = -1, -1
	for i, l := range lines {
		if strings.HasPrefix(l, `{"kind":"enterprise"`) {
			if firstEnterprise < 0 {
				firstEnterprise = i
			} else if i > len(lines)/2 {
				movedEnterprise = i
				break
			}
		}
	}
	renamed := strings.Replace(lines[firstEnterprise], `"name":"`, `"name":"新`, 1)
	moved := lines[movedEnterprise]
	lines = append(lines[:movedEnterprise], lines[movedEnterprise+1:]...)
	var stray string
	for _, l := range strings.Split(other.String(), "\n") {
		if strings.HasPrefix(l, `{"kind":"license"`) {
			stray = l
			break
		}
	}
	if !strings.Contains(main.String(), `"kind":"credit_repair"`) || !strings.Contains(main.String(), `_removal"`) || stray == "" {
		t.Fatal("the generated data lacks a kind the test needs")
	}
	lines = append(lines, renamed, stray, `{"kind":"enterprise","uscc":"not a code"}`, moved)
	return strings.Join(lines, "\n") + "\n"
}
