-- Reports at scale: repeatOffenders and statistics (issue 9,
-- docs/BENCHMARKS.md section 17). Without these both read every penalty
-- and inspection (sequential scans of 130 MB and 460 MB at 1,000,000
-- enterprises) and joined them to enterprises by hash for the region.
--
-- The record dates, covering what the reports read, so a date range is an
-- index-only scan of its own rows once the table is vacuumed: for
-- penalties every column the disclosure condition (penaltyVisible) and the
-- report filters and groups read.
--
-- The region of a record's enterprise is, for almost every enterprise, the
-- one its USCC was issued in (characters 3-8, GB 32100-2015); the
-- enterprises whose region is another ("moved") are few, and
-- enterprises_moved_idx lists them. So a region filter reads the record's
-- own USCC and looks up only the moved enterprises (regions.go), instead
-- of joining every enterprise of the region. The statistics object gives
-- the planner that selectivity (a partial index's predicate has none).
-- inspections_region_idx serves a city or county and a date range
-- directly.

-- +goose Up
CREATE INDEX penalties_decided_idx ON penalties (decided_on)
    INCLUDE (uscc, published_on, repaired_on, restriction_until, revoked, procedure, penalty_types, fine_amount,
             key_area, violation_type);
CREATE INDEX inspections_inspected_idx ON inspections (inspected_on) INCLUDE (uscc, result, key_area);
CREATE INDEX inspections_region_idx ON inspections (substr(uscc, 3, 4), inspected_on) INCLUDE (uscc, result, key_area);
CREATE INDEX enterprises_moved_idx ON enterprises (uscc) INCLUDE (region_code) WHERE region_code <> substr(uscc, 3, 6);
CREATE STATISTICS enterprises_moved_stat ON (region_code <> substr(uscc, 3, 6)) FROM enterprises;
-- The planner's statistics of the new expressions (instant on an empty database).
ANALYZE enterprises, inspections;

-- +goose Down
DROP STATISTICS enterprises_moved_stat;
DROP INDEX enterprises_moved_idx;
DROP INDEX inspections_region_idx;
DROP INDEX inspections_inspected_idx;
DROP INDEX penalties_decided_idx;
