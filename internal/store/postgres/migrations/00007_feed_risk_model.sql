-- The change feed's risk categories (issue 10): feed_meta.risk_model names
-- the risk model (its settings' digest) the feed's RISK_CATEGORY states were
-- computed with. A database whose feed predates them, or whose model has
-- changed since, has a different value (NULL here): the server then brings
-- every enterprise's RISK_CATEGORY up to date (Store.RefreshRiskCategories)
-- and records the model it used.

-- +goose Up
ALTER TABLE feed_meta ADD COLUMN risk_model text;

-- +goose Down
ALTER TABLE feed_meta DROP COLUMN risk_model;
