-- Name search's one-character-wrong tier in one GIN index (docs/BENCHMARKS.md
-- §31, issue 9).
--
-- A name holding the query with character i wrong holds the query's bigrams
-- that do not touch i and the skip pair of i's neighbours (00017). The two
-- lived in two GIN indexes (enterprises_name_bigrams_idx, 00003, and
-- enterprises_skip_pairs_idx, 00017), and the planner, guessing a handful of
-- rows for the bigrams, never ANDed the two: 汇润电子商务有限 with 润 wrong read
-- the 9,169 names holding 电子商务 from the table and tested each for the skip
-- pair 汇电, where 128 hold both (0.45 s of a page at 1,000,000 enterprises).
-- This index holds both kinds of token per enterprise, a skip pair written
-- with a '_' between its characters (汇_电: a normalised name holds no '_', so
-- no bigram is ever mistaken for one), so one look-up asks for all of a
-- position's rare tokens and GIN intersects their posting lists itself.
-- It replaces the skip pairs' index (and, from 00022, the bigram index). ANALYZE keeps the statistics of its elements, which name search
-- reads to pick a position's rare tokens (search_stats.go).

-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION search_similar_tokens(name_bigrams text[], name_norm text, former_norm text[])
RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT name_bigrams || coalesce(array_agg(DISTINCT substr(n, i, 1) || '_' || substr(n, i + 2, 1)), '{}')
    FROM unnest(array_prepend(name_norm, former_norm)) n, generate_series(1, length(n) - 2) i
$$;
-- +goose StatementEnd
SET LOCAL maintenance_work_mem = '256MB';
CREATE INDEX IF NOT EXISTS enterprises_similar_idx ON enterprises
    USING gin (search_similar_tokens(name_bigrams, name_norm, former_norm))
    WITH (gin_pending_list_limit = 512);
DROP INDEX IF EXISTS enterprises_skip_pairs_idx;
DELETE FROM deferred_indexes WHERE name = 'enterprises_skip_pairs_idx';
ANALYZE enterprises;

-- +goose Down
CREATE INDEX IF NOT EXISTS enterprises_skip_pairs_idx ON enterprises USING gin (search_skip_pairs(name_norm, former_norm))
    WITH (gin_pending_list_limit = 512);
DROP INDEX IF EXISTS enterprises_similar_idx;
DELETE FROM deferred_indexes WHERE name = 'enterprises_similar_idx';
DROP FUNCTION search_similar_tokens(text[], text, text[]);
