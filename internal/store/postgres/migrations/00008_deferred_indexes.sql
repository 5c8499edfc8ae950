-- Bulk loads (issue 13, docs/BENCHMARKS.md section 15).
--
-- An import into an empty database drops the secondary indexes of the
-- tables it fills and builds them once at the end, which is several times
-- faster than maintaining them row by row. Each dropped index's definition
-- is kept here, in the transaction that drops it, until it is built again:
-- a load that stops half way (killed, out of disk) leaves its definitions
-- behind, and the next Migrate (every serve, import and migrate) builds
-- them, so no index is ever lost.

-- +goose Up
CREATE TABLE deferred_indexes (
    name       text PRIMARY KEY,
    definition text NOT NULL
);

-- +goose Down
DROP TABLE deferred_indexes;
