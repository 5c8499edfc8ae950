-- Name search (企业名称检索, package search). The normalised names and their
-- character bigrams are computed in Go (search.Normalize, search.Bigrams),
-- by Apply for every enterprise it writes and, for rows written before this
-- migration, by Migrate's backfill (name_norm IS NULL marks a row not yet
-- done). A GIN index over bigrams serves queries of 2 characters, which
-- pg_trgm (3) cannot; a text_pattern_ops index serves exact and prefix
-- matches of the current name; a GIN index over former names their exact
-- matches; the order index walks (operating first, USCC) when a query
-- matches so many names that reading them in order and filtering is
-- cheaper than collecting and sorting them.

-- +goose Up
ALTER TABLE enterprises
    ADD COLUMN name_norm   text,
    ADD COLUMN former_norm text[] NOT NULL DEFAULT '{}',
    ADD COLUMN name_bigrams text[] NOT NULL DEFAULT '{}';
CREATE INDEX enterprises_name_norm_idx ON enterprises (name_norm text_pattern_ops);
CREATE INDEX enterprises_former_norm_idx ON enterprises USING gin (former_norm);
CREATE INDEX enterprises_name_bigrams_idx ON enterprises USING gin (name_bigrams);
CREATE INDEX enterprises_search_order_idx ON enterprises ((status <> 'operating'), uscc);

-- +goose Down
DROP INDEX enterprises_search_order_idx;
DROP INDEX enterprises_name_bigrams_idx;
DROP INDEX enterprises_former_norm_idx;
DROP INDEX enterprises_name_norm_idx;
ALTER TABLE enterprises DROP COLUMN name_bigrams, DROP COLUMN former_norm, DROP COLUMN name_norm;
