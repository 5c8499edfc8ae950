-- Name search: trigram postings (docs/BENCHMARKS.md §27, issue 9).
--
-- search_postings (00016) listed an enterprise under each pair of adjacent
-- characters of its names. A query of 4 or more characters walked the
-- holders of its rarest pair and fetched each from enterprises to test it:
-- 南安市阿's rarest pair 市阿 is held by 5,698 names at 1,000,000 enterprises,
-- the query by a few hundred, so a page read 1,000 rows of the table and
-- then fell back to the bigram index (0.25-0.6 s). Runs of three
-- characters are far rarer than pairs (安市阿), and a name holding the
-- query holds all of them, so the same table now lists each enterprise
-- under its trigrams too, with the same classes (0: a name is the
-- trigram, 1: a name starts with it, 2: a name holds it). A search walks
-- the holders of the query's rarest trigram in rank order, keeps those
-- that also hold its next rarest ones (index-only probes of the same
-- index) and fetches only those. A 3-character query's page is one range,
-- as a 2-character one's is.
--
-- The tokens come from search_posting_tokens, which the triggers of 00016
-- and a bulk load's build call: replacing it is all the upkeep needs.
-- The planner's most common values of token (search_stats.go reads them
-- to pick the rarest trigram) get a larger sample.

-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION search_posting_tokens(name_norm text, former_norm text[])
RETURNS TABLE (token text, cls smallint) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT b, min(CASE WHEN n = b THEN 0 WHEN i = 1 THEN 1 ELSE 2 END)::smallint
    FROM unnest(array_prepend(name_norm, former_norm)) n,
        generate_series(1, length(n) - 1) i,
        (VALUES (2), (3)) g(k),
        substr(n, i, k) b
    WHERE i + k - 1 <= length(n)
    GROUP BY b
$$;
-- +goose StatementEnd

-- Built anew rather than grown row by row: at 1,000,000 enterprises this
-- adds about 10 million rows (IF EXISTS: a stopped bulk load may have left
-- it to deferred_indexes).
SET LOCAL maintenance_work_mem = '256MB';
DROP INDEX IF EXISTS search_postings_idx;
INSERT INTO search_postings (token, cls, closed, uscc)
    SELECT t.token, t.cls, e.status <> 'operating', e.uscc
    FROM enterprises e, search_posting_tokens(e.name_norm, e.former_norm) t
    WHERE length(t.token) = 3;
CREATE INDEX IF NOT EXISTS search_postings_idx ON search_postings (token, cls, closed, uscc);
ALTER TABLE search_postings ALTER COLUMN token SET STATISTICS 1000;

-- +goose Down
ALTER TABLE search_postings ALTER COLUMN token SET STATISTICS -1;
DELETE FROM search_postings WHERE length(token) = 3;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION search_posting_tokens(name_norm text, former_norm text[])
RETURNS TABLE (token text, cls smallint) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT b, min(CASE WHEN n = b THEN 0 WHEN i = 1 THEN 1 ELSE 2 END)::smallint
    FROM unnest(array_prepend(name_norm, former_norm)) n,
        generate_series(1, length(n) - 1) i,
        substr(n, i, 2) b
    GROUP BY b
$$;
-- +goose StatementEnd
