-- Name search: the prefix tier of a 2-character query (厦门, 泉州: a city,
-- held at the start of a tenth of all names) in rank order. Those names
-- are clustered in rank order (USCCs start with the region), so a walk of
-- the rank-order index reached them only after hundreds of thousands of
-- rows, and the bigram index returned them all, unordered, to be fetched
-- and sorted (2-3 s at 1,000,000 enterprises under load). The current
-- names' first two characters, then rank, give them in order; former
-- names are matched through a bigram index of only the enterprises that
-- have any (7 % of them).

-- +goose Up
CREATE INDEX enterprises_search_lead_idx ON enterprises (left(name_norm, 2), (status <> 'operating'), uscc);
CREATE INDEX enterprises_former_bigrams_idx ON enterprises USING gin (name_bigrams) WITH (gin_pending_list_limit = 512)
    WHERE former_norm <> '{}';

-- +goose Down
DROP INDEX enterprises_former_bigrams_idx;
DROP INDEX enterprises_search_lead_idx;
