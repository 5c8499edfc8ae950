-- Name search's one-character-wrong tier (docs/BENCHMARKS.md §21, issue 9).
--
-- A name holding the query with character i wrong holds every bigram of
-- the query that does not touch i, and those were all the bigram index
-- could be asked: for 长祥食品有限公司 with 祥 wrong, 食品有限公司, which a
-- tenth of all names hold (1-2 s at 1,000,000 enterprises to fetch and test
-- them). It also holds the characters i−1 and i+1 two apart (长?食: the
-- skip pair 长食), about as rare as the three characters together. This
-- indexes each enterprise's skip pairs (search.SkipPairs, which must agree)
-- as an expression, so no column is added and no row rewritten; a bulk load
-- defers it like every secondary index (deferred_indexes, 00008), and
-- ANALYZE keeps the statistics of its elements that name search reads.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION search_skip_pairs(name_norm text, former_norm text[])
RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(n, i, 1) || substr(n, i + 2, 1)), '{}')
    FROM unnest(array_prepend(name_norm, former_norm)) n, generate_series(1, length(n) - 2) i
$$;
-- +goose StatementEnd
CREATE INDEX enterprises_skip_pairs_idx ON enterprises USING gin (search_skip_pairs(name_norm, former_norm))
    WITH (gin_pending_list_limit = 512);

-- +goose Down
DROP INDEX enterprises_skip_pairs_idx;
DROP FUNCTION search_skip_pairs(text, text[]);
