-- Name search's walk reads the index alone (docs/BENCHMARKS.md §16).
--
-- The walk of 00006 orders by (status <> 'operating') and the planner only
-- plans an index-only scan when every column a query names is in the index:
-- it does not see that status is only needed inside the indexed expression
-- (the PostgreSQL manual, "Index-Only Scans and Covering Indexes"). Without
-- status the walk read the table for each of its 1,000 rows: 42 ms a name
-- at 1,000,000 enterprises, 2.8 ms with it (and a set visibility map: the
-- import vacuums enterprises, see Store.Analyze).

-- +goose Up
DROP INDEX enterprises_search_walk_idx;
CREATE INDEX enterprises_search_walk_idx ON enterprises ((status <> 'operating'), uscc)
    INCLUDE (name_norm, former_norm, region_code, status);

-- +goose Down
DROP INDEX enterprises_search_walk_idx;
CREATE INDEX enterprises_search_walk_idx ON enterprises ((status <> 'operating'), uscc)
    INCLUDE (name_norm, former_norm, region_code);
