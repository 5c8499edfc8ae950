package store

import (
	"context"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// Key is a stored API key. Only the SHA-256 of the secret is kept.
type Key struct {
	Name      string
	Tier      credit.Tier
	Scope     string // "read" or "write"
	Hash      string // hex SHA-256 of the secret
	CreatedAt time.Time
	RevokedAt *time.Time
}

// KeyStore keeps API keys.
type KeyStore interface {
	// CreateKey stores a new key; ErrAlreadyExists if the name is taken.
	CreateKey(ctx context.Context, k Key) error
	// Keys lists every key, revoked ones included, by name.
	Keys(ctx context.Context) ([]Key, error)
	// RevokeKey marks a key revoked at `at`; ErrNotFound if there is none.
	RevokeKey(ctx context.Context, name string, at time.Time) error
	// KeyByHash finds a key by the hash of its secret; ErrNotFound if none.
	KeyByHash(ctx context.Context, hash string) (Key, error)
}

// AuditEntry records one REGULATOR read of REGULATOR-tier fields, or one
// write: who, when, what, and which enterprises.
type AuditEntry struct {
	ID          int64
	At          time.Time
	KeyName     string
	Operation   string   // e.g. "query Profile", "ingest", "import"
	Fields      []string // Type.field names read, for reads
	Enterprises []string // USCCs touched
}

// AuditFilter narrows AuditLog. Zero values do not filter.
type AuditFilter struct {
	KeyName string
	USCC    string
}

// AuditLog keeps the audit trail. Entries are append-only.
type AuditLog interface {
	AppendAudit(ctx context.Context, e AuditEntry) error
	// Audit pages through entries, newest first.
	Audit(ctx context.Context, f AuditFilter, p Page) (Connection[AuditEntry], error)
}
