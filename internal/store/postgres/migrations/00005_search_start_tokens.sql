-- Name search: the index of migration 00003 also holds, per enterprise, a
-- start token ("^" and the first character, search.StartToken) of each
-- normalised name, so "starts with" is answered by the index for former
-- names too, and a prefix query whose bigrams are all common (有限) asks it
-- for few rows. Apply writes them (search.IndexTokens); this adds them to
-- the rows already written. Rows the 00003 backfill has not reached yet
-- (name_norm IS NULL) get them from it.

-- +goose Up
UPDATE enterprises SET name_bigrams = name_bigrams
    || ARRAY['^' || left(name_norm, 1)]
    || coalesce((SELECT array_agg(DISTINCT '^' || left(f, 1)) FROM unnest(former_norm) f WHERE f <> ''), '{}')
WHERE name_norm IS NOT NULL AND name_norm <> '';

-- +goose Down
UPDATE enterprises SET name_bigrams = ARRAY(SELECT b FROM unnest(name_bigrams) b WHERE b NOT LIKE '^%');
