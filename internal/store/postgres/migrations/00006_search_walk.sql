-- Name search at scale (docs/BENCHMARKS.md, issue 9).
--
-- A scan of a GIN index reads its whole pending list (entries written but
-- not yet merged, up to gin_pending_list_limit, 4 MB by default): right
-- after an import every search statement read 4 MB, 140 ms at 1,000,000
-- enterprises, against 0.4 ms once merged. A 512 kB list bounds that cost
-- and still batches index updates during an import.
--
-- A tier that many names reach (有限, 福州) is found by walking enterprises
-- in rank order; with the names in the order index the walk reads the
-- index alone (an index-only scan once the table is vacuumed) and the
-- table only for the hits. It replaces enterprises_search_order_idx.

-- +goose Up
ALTER INDEX enterprises_name_bigrams_idx SET (gin_pending_list_limit = 512);
ALTER INDEX enterprises_former_norm_idx SET (gin_pending_list_limit = 512);
CREATE INDEX enterprises_search_walk_idx ON enterprises ((status <> 'operating'), uscc)
    INCLUDE (name_norm, former_norm, region_code);
DROP INDEX enterprises_search_order_idx;

-- +goose Down
CREATE INDEX enterprises_search_order_idx ON enterprises ((status <> 'operating'), uscc);
DROP INDEX enterprises_search_walk_idx;
ALTER INDEX enterprises_name_bigrams_idx RESET (gin_pending_list_limit);
ALTER INDEX enterprises_former_norm_idx RESET (gin_pending_list_limit);
