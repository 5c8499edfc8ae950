-- Statistics at scale, listings (issue 9, docs/BENCHMARKS.md section 22).
--
-- A city's listings of a period are read from listings_region_idx (like
-- penalties_region_idx and inspections_region_idx: the division of the
-- USCC's characters 3-6, then the date), carrying every column the
-- statistics and their disclosure conditions read, instead of every
-- listing of the list in the period (10,800 abnormal listings at
-- 1,000,000 enterprises, 75-180 ms with their table reads). The abnormal
-- listings' breakdown by key area reads each listed enterprise's key areas
-- from enterprises_uscc_key_areas_idx alone (an index-only scan once
-- enterprises is vacuumed, which every import does), not from the table.

-- +goose Up
CREATE INDEX listings_region_idx ON listings (list, substr(uscc, 3, 4), listed_on)
    INCLUDE (uscc, key_area, reason_code, removed_on, repaired_on);
CREATE INDEX enterprises_uscc_key_areas_idx ON enterprises (uscc) INCLUDE (key_areas);
ANALYZE listings;

-- +goose Down
DROP INDEX enterprises_uscc_key_areas_idx;
DROP INDEX listings_region_idx;
