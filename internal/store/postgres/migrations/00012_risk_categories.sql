-- An enterprise's imported credit risk category (issue 10): the enterprise
-- line's risk_categories, a JSON array of {"from": "YYYY-MM-DD",
-- "category": "A"…"D"} in date order, as a PARTNER export carries it (the
-- letters its source assessed from records the file omits). NULL: the
-- store derives the letter from the records it holds (package risk).

-- +goose Up
ALTER TABLE enterprises ADD COLUMN risk_categories jsonb;

-- +goose Down
ALTER TABLE enterprises DROP COLUMN risk_categories;
