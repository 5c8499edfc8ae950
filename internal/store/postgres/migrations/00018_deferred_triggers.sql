-- Bulk loads keep the derived tables once, at the end (issue 13 target 3,
-- docs/BENCHMARKS.md section 26).
--
-- search_postings (00016), penalty_windows (00013), inspection_counts
-- (00014) and listings' enterprise_key_areas (00015) are kept by triggers
-- on the tables an import fills. Fired per COPY batch they halved a bulk
-- load's rate (section 25b), so a bulk load drops them when it begins and,
-- when it ends, builds each derived table once from the loaded tables and
-- creates the triggers again (derived.go). Like deferred_indexes (00008),
-- each dropped trigger's definition is kept here, in the transaction that
-- drops it: a load that stops half way leaves them behind, and the next
-- Migrate creates them again and rebuilds the derived tables, so that the
-- store is never left without them.

-- +goose Up
CREATE TABLE deferred_triggers (
    name       text PRIMARY KEY,
    definition text NOT NULL -- pg_get_triggerdef
);

-- +goose Down
DROP TABLE deferred_triggers;
