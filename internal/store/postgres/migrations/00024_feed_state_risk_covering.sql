-- A PARTNER export reads each chunk's risk schedules (migration 00023) by
-- their enterprises' USCCs: 500 look-ups a chunk. Through feed_state_pkey
-- each is an index descent and a heap page of its own (the states of an
-- import lie in batch order, and a refresh rewrites them), ~2,500 buffers
-- and 7 ms a chunk warm at 1,000,000 enterprises — more than the chunk's
-- own records (docs/BENCHMARKS.md §37). This partial index holds what the
-- read returns, so it is an index-only scan: ~1,750 buffers, 0.5 ms. It
-- holds only the RISK_CATEGORY states (one per enterprise: 53 MB at 1M);
-- a bulk load defers it like feed_state's other secondary index.

-- +goose Up
CREATE INDEX IF NOT EXISTS feed_state_risk_idx ON feed_state (record_id) INCLUDE (risk, next_check)
    WHERE record_type = 'RISK_CATEGORY';

-- +goose Down
DROP INDEX IF EXISTS feed_state_risk_idx;
DELETE FROM deferred_indexes WHERE name = 'feed_state_risk_idx';
