-- A feed page filtered to some enterprises (a watchlist, a list of codes;
-- issue 10) from one index alone. feed_changes_uscc_idx (uscc, seq) chose
-- the page's changes, but each then cost a primary-key descent and a heap
-- page: an enterprise's changes lie on as many heap pages as it has changes
-- (the feed appends by batch, not by enterprise), ~400 pages read from
-- outside shared_buffers for a page of 100 enterprises at 1,000,000
-- (docs/BENCHMARKS.md §20). feed_changes_owner_idx carries every column a
-- page returns or tests, so the page is an index-only scan of each
-- enterprise's range after the cursor — one leaf page per enterprise as a
-- rule — and a top-N sort (§28). It replaces feed_changes_uscc_idx, whose
-- key it keeps, rather than sit beside it.
--
-- A bulk load that stopped half way may have left feed_changes_uscc_idx's
-- definition in deferred_indexes (migration 00008): it is dropped there too.

-- +goose Up
CREATE INDEX IF NOT EXISTS feed_changes_owner_idx ON feed_changes (uscc, seq)
    INCLUDE (day, at, record_type, record_id, region_code, key_areas, public_kind, regulator_kind, reason);
DROP INDEX IF EXISTS feed_changes_uscc_idx;
DELETE FROM deferred_indexes WHERE name = 'feed_changes_uscc_idx';

-- +goose Down
CREATE INDEX IF NOT EXISTS feed_changes_uscc_idx ON feed_changes (uscc, seq);
DROP INDEX IF EXISTS feed_changes_owner_idx;
DELETE FROM deferred_indexes WHERE name = 'feed_changes_owner_idx';
