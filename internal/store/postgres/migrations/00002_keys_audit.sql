-- +goose Up
-- API keys: only the SHA-256 of the secret is stored; lookups are by it.
CREATE TABLE api_keys (
    name       text PRIMARY KEY,
    tier       text NOT NULL CHECK (tier IN ('PUBLIC', 'PARTNER', 'REGULATOR')),
    scope      text NOT NULL CHECK (scope IN ('read', 'write')),
    hash       char(64) NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

-- The audit trail of REGULATOR reads of REGULATOR-tier fields and of writes.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL,
    key_name    text NOT NULL,
    operation   text NOT NULL,
    fields      text[] NOT NULL DEFAULT '{}',
    enterprises text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_key ON audit_log (key_name, id DESC);
CREATE INDEX audit_log_enterprises ON audit_log USING gin (enterprises);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE api_keys;
