-- Name search reads one GIN index of enterprises (docs/BENCHMARKS.md §34,
-- issue 13 target 3).
--
-- enterprises_similar_idx (00021) holds every token enterprises_name_bigrams_idx
-- (00003) did — a name's bigrams and start tokens — and its skip pairs, which
-- never equal one of them (they hold a '_'). The prefix and contained tiers'
-- look-ups now ask it too (search.go, similarTokensExpr), so the bigram
-- index is one GIN build a bulk load no longer makes (about 5 s of 200,000
-- enterprises' load) and 36 MB at 1,000,000. The partial index of the
-- enterprises with former names (00011) stays: it serves the 2-character
-- prefix tier's former names.

-- +goose Up
DROP INDEX IF EXISTS enterprises_name_bigrams_idx;
DELETE FROM deferred_indexes WHERE name = 'enterprises_name_bigrams_idx';

-- +goose Down
CREATE INDEX IF NOT EXISTS enterprises_name_bigrams_idx ON enterprises USING gin (name_bigrams);
