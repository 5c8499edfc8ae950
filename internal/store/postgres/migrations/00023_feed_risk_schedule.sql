-- Each enterprise's risk category schedule in its RISK_CATEGORY feed state
-- (issue 10's export). A PARTNER export writes every enterprise's risk
-- category and the days it later moves with no write (risk.Model.Schedule),
-- derived from the enterprise's whole record; the feed writers already
-- derive the category from that record on every write and on the days it
-- falls due, but kept only its hash, so an export read the whole record of
-- every enterprise again (seven kinds, the most of a PARTNER file's cost:
-- docs/BENCHMARKS.md §33, §37). feed_state.risk keeps the schedule the
-- writer derived (feed.EncodeRisk; NULL for other record types), so an
-- export reads one short column per enterprise instead.
--
-- Existing states have none: the migration marks the feed's categories as
-- not current (feed_meta.risk_model), so `serve` (in the background) and
-- `import` compute every enterprise's category again, which writes the
-- schedules (and appends nothing where a letter did not move). Until then
-- an export derives schedules from the whole record, as before.

-- +goose Up
ALTER TABLE feed_state ADD COLUMN risk text;
UPDATE feed_meta SET risk_model = NULL;

-- +goose Down
ALTER TABLE feed_state DROP COLUMN risk;
