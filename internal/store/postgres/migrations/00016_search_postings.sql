-- Name search in rank order (docs/BENCHMARKS.md §21, issue 9).
--
-- The bigram GIN index of 00003 finds the names holding a pair of
-- characters, but not in rank order: a pair held by thousands of names
-- (区阿, 营养: 0.5-3 % of them) had all its names fetched from the table
-- and sorted for a page of 20 (0.6-3 s at 1,000,000 enterprises). Here
-- every enterprise has one row per distinct pair of adjacent characters of
-- its normalised names (current and former), with the best class of that
-- pair in them (0: a name is the pair, 1: a name starts with it, 2: a name
-- only holds it) and the rank (closed, uscc) of search.Compare. Ordered by
-- (token, cls, closed, uscc), one index range is a 2-character query's
-- whole ranking (class 0, 1, 2 are its exact, prefix and contained tiers),
-- and for a longer query the rank-ordered list of the enterprises holding
-- its rarest pair, walked until its page is full.
--
-- A trigger keeps the rows in step with enterprises.name_norm, former_norm
-- and status (statement-level, with transition tables, so a COPY of 5,000
-- enterprises is one INSERT here); the index is a secondary one, which a
-- bulk load defers (deferred_indexes, 00008).

-- +goose Up
CREATE TABLE search_postings (
    token  text COLLATE "C" NOT NULL,
    cls    smallint NOT NULL,
    closed boolean NOT NULL,
    uscc   text COLLATE "C" NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION search_posting_tokens(name_norm text, former_norm text[])
RETURNS TABLE (token text, cls smallint) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT b, min(CASE WHEN n = b THEN 0 WHEN i = 1 THEN 1 ELSE 2 END)::smallint
    FROM unnest(array_prepend(name_norm, former_norm)) n,
        generate_series(1, length(n) - 1) i,
        substr(n, i, 2) b
    GROUP BY b
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION search_postings_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM search_postings p USING (
            SELECT o.uscc, o.status <> 'operating' AS closed, t.token, t.cls
            FROM old_rows o JOIN new_rows n ON n.uscc = o.uscc,
                search_posting_tokens(o.name_norm, o.former_norm) t
            WHERE (o.name_norm, o.former_norm, o.status <> 'operating') IS DISTINCT FROM (n.name_norm, n.former_norm, n.status <> 'operating')
        ) d WHERE p.token = d.token AND p.cls = d.cls AND p.closed = d.closed AND p.uscc = d.uscc;
        INSERT INTO search_postings (token, cls, closed, uscc)
            SELECT t.token, t.cls, n.status <> 'operating', n.uscc
            FROM new_rows n JOIN old_rows o ON o.uscc = n.uscc,
                search_posting_tokens(n.name_norm, n.former_norm) t
            WHERE (o.name_norm, o.former_norm, o.status <> 'operating') IS DISTINCT FROM (n.name_norm, n.former_norm, n.status <> 'operating');
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO search_postings (token, cls, closed, uscc)
            SELECT t.token, t.cls, n.status <> 'operating', n.uscc
            FROM new_rows n, search_posting_tokens(n.name_norm, n.former_norm) t;
    ELSE
        DELETE FROM search_postings p USING (
            SELECT o.uscc, o.status <> 'operating' AS closed, t.token, t.cls
            FROM old_rows o, search_posting_tokens(o.name_norm, o.former_norm) t
        ) d WHERE p.token = d.token AND p.cls = d.cls AND p.closed = d.closed AND p.uscc = d.uscc;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER search_postings_insert AFTER INSERT ON enterprises
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_postings_sync();
CREATE TRIGGER search_postings_update AFTER UPDATE ON enterprises
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_postings_sync();
CREATE TRIGGER search_postings_delete AFTER DELETE ON enterprises
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_postings_sync();

INSERT INTO search_postings (token, cls, closed, uscc)
    SELECT t.token, t.cls, e.status <> 'operating', e.uscc
    FROM enterprises e, search_posting_tokens(e.name_norm, e.former_norm) t;

CREATE INDEX search_postings_idx ON search_postings (token, cls, closed, uscc);

-- +goose Down
DROP TRIGGER search_postings_delete ON enterprises;
DROP TRIGGER search_postings_update ON enterprises;
DROP TRIGGER search_postings_insert ON enterprises;
DROP FUNCTION search_postings_sync();
DROP FUNCTION search_posting_tokens(text, text[]);
DROP TABLE search_postings;
