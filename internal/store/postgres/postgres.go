// Package postgres is the store of record on PostgreSQL: it implements
// store.Store with pgx, one table per record kind keyed by its natural key,
// and embedded goose migrations. Imports are staged with COPY and upserted
// in one transaction per batch. Reads ask credit.Policy what a caller may
// see: per-enterprise loaders filter candidate rows in Go, paginated lists
// push the policy's dates into SQL and check each row again. It must not
// know about GraphQL, HTTP or caching, and never re-implements a disclosure
// rule the policy can answer.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/risk"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Config says how to reach PostgreSQL.
type Config struct {
	URL     string // primary: every write, and reads when ReadURL is empty
	ReadURL string // optional read replica for queries
	Policy  credit.Policy
	// Tracer, when set, is installed on both pools (tests count statements).
	Tracer   pgx.QueryTracer
	MaxConns int32 // per pool; 0 = pgxpool's default or the URL's pool_max_conns
	// Retention is how long the change feed keeps changes
	// (CHANGES_RETENTION); zero: DefaultRetention.
	Retention credit.Period
	// Risk is the model of the change feed's RISK_CATEGORY entries: the
	// model the GraphQL layer reads riskCategory with. Zero:
	// risk.DefaultSettings.
	Risk risk.Model
}

// Store is the PostgreSQL store of record. It is safe for concurrent use.
type Store struct {
	write *pgxpool.Pool
	read  *pgxpool.Pool // == write without a replica
	// q runs the reads: the read pool, or in a snapshot its transaction.
	q         querier
	policy    credit.Policy
	retention credit.Period
	risk      risk.Model
	tokens    *tokenStats // name search's token statistics (search_stats.go)
	pairWalk  int         // holders of a pair a search tier walks (search_postings.go)
}

// querier is what reads run on: a pool, or a snapshot's transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

var _ store.Store = (*Store)(nil)

// New connects to PostgreSQL. It does not migrate: call Migrate first.
func New(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.URL == "" {
		return nil, errors.New("postgres: no database URL")
	}
	write, err := newPool(ctx, cfg.URL, cfg)
	if err != nil {
		return nil, err
	}
	s := &Store{write: write, read: write, policy: cfg.Policy, retention: cfg.Retention, risk: cfg.Risk, tokens: &tokenStats{},
		pairWalk: postingWalkRows}
	if s.retention == (credit.Period{}) {
		s.retention = DefaultRetention
	}
	if s.risk.Version == "" {
		if s.risk, err = risk.NewModel(risk.DefaultSettings()); err != nil {
			write.Close()
			return nil, err
		}
	}
	if cfg.ReadURL != "" && cfg.ReadURL != cfg.URL {
		if s.read, err = newPool(ctx, cfg.ReadURL, cfg); err != nil {
			write.Close()
			return nil, err
		}
	}
	s.q = s.read
	return s, nil
}

func newPool(ctx context.Context, url string, cfg Config) (*pgxpool.Pool, error) {
	pc, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse database URL: %w", err)
	}
	if cfg.Tracer != nil {
		pc.ConnConfig.Tracer = cfg.Tracer
	}
	if cfg.MaxConns > 0 {
		pc.MaxConns = cfg.MaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, wrap("connect", err)
	}
	return pool, nil
}

// Ping reports whether both pools reach their server.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.write.Ping(ctx); err != nil {
		return wrap("ping", err)
	}
	if s.read != s.write {
		if err := s.read.Ping(ctx); err != nil {
			return wrap("ping replica", err)
		}
	}
	return nil
}

// Close closes both pools.
func (s *Store) Close() {
	if s.read != s.write {
		s.read.Close()
	}
	s.write.Close()
}

// wrap maps a driver error to the store's sentinels and prefixes it with the
// operation: connection failures wrap store.ErrUnavailable, unique
// violations store.ErrAlreadyExists, anything else is wrapped as is.
func wrap(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrBadCursor):
		return err
	case unavailable(err):
		return &unavailableError{op: op, err: err}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return fmt.Errorf("postgres: %s: %w: %w", op, store.ErrAlreadyExists, err)
	}
	if errors.As(err, &pe) && invalidData(pe.Code) {
		// The server's message may quote the value (personal data, say):
		// only the SQLSTATE and the constraint or column name go on.
		return fmt.Errorf("postgres: %s: %w (SQLSTATE %s%s%s)", op, store.ErrInvalidRecord, pe.Code,
			prefixed(" constraint ", pe.ConstraintName), prefixed(" column ", pe.ColumnName))
	}
	return fmt.Errorf("postgres: %s: %w", op, err)
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// invalidData reports whether a SQLSTATE blames the data a statement
// carried: 22 data exception (a value out of range, a NUL in text), 23
// integrity constraint violation (a CHECK), 54 program limit exceeded (an
// index row too large).
func invalidData(code string) bool {
	return strings.HasPrefix(code, "22") || strings.HasPrefix(code, "23") || strings.HasPrefix(code, "54")
}

// unavailableError is a connection failure. Its message names the
// operation and the kind of failure only: the driver's own text names the
// database user, database, host and port, which must not reach a log line.
// The driver's error stays in the chain for errors.Is and errors.As.
type unavailableError struct {
	op  string
	err error
}

func (e *unavailableError) Error() string {
	return "postgres: " + e.op + ": " + store.ErrUnavailable.Error() + " (" + failureKind(e.err) + ")"
}

func (e *unavailableError) Unwrap() []error { return []error{store.ErrUnavailable, e.err} }

// failureKind names a connection failure without naming where it went.
func failureKind(err error) string {
	var pe *pgconn.PgError
	var dns *net.DNSError
	var ne net.Error
	var errno syscall.Errno
	switch {
	case errors.As(err, &pe):
		return "server said SQLSTATE " + pe.Code
	case errors.As(err, &dns):
		return "host name lookup failed"
	case errors.As(err, &errno):
		return errno.Error() // "connection refused", "connection reset by peer", …
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return "connection closed"
	}
	return "connection failed"
}

// unavailable reports whether err means the server cannot be reached or will
// not serve now, as opposed to a bad statement or a cancelled context.
func unavailable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &ce), errors.As(err, &ne),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return true
	case errors.As(err, &pe):
		// 08: connection exception; 53: insufficient resources (too many
		// connections); 57P01–57P03: shutting down or starting up.
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "53") ||
			pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	return false
}

// retryable reports whether a transaction failed only because it collided
// with another one (deadlock, serialization failure) and may be run again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}
