-- Statistics at scale, listings (issue 9, docs/BENCHMARKS.md section 22).
--
-- A city's listings of a period are read from listings_region_idx (like
-- penalties_region_idx and inspections_region_idx: the division of the
-- USCC's characters 3-6, then the date), carrying every column the
-- statistics and their disclosure conditions read, instead of every
-- listing of the list in the period (10,800 abnormal listings at
-- 1,000,000 enterprises, 75-180 ms with their table reads).
--
-- An abnormal listing has no key area of its own: statistics count it
-- under each of its enterprise's. Reading those from enterprises costs a
-- probe per listing (2,400 for a city and a year, 55-180 ms at load 20:
-- random reads of a 1,000,000-entry index), so each listing carries its
-- enterprise's key areas, kept by triggers: a listing written takes its
-- enterprise's, and an enterprise whose key areas change passes them to
-- its listings, in the same statement. listings_region_idx carries them.

-- +goose Up
ALTER TABLE listings ADD COLUMN enterprise_key_areas text[];
UPDATE listings l SET enterprise_key_areas = e.key_areas FROM enterprises e WHERE e.uscc = l.uscc;

-- +goose StatementBegin
CREATE FUNCTION listing_key_areas_take() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.enterprise_key_areas := (SELECT e.key_areas FROM enterprises e WHERE e.uscc = NEW.uscc);
    RETURN NEW;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION listing_key_areas_pass() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE listings SET enterprise_key_areas = NEW.key_areas WHERE uscc = NEW.uscc;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER listings_key_areas BEFORE INSERT OR UPDATE OF uscc ON listings
    FOR EACH ROW EXECUTE FUNCTION listing_key_areas_take();
CREATE TRIGGER enterprises_key_areas AFTER UPDATE OF key_areas ON enterprises
    FOR EACH ROW WHEN (OLD.key_areas IS DISTINCT FROM NEW.key_areas) EXECUTE FUNCTION listing_key_areas_pass();

CREATE INDEX listings_region_idx ON listings (list, substr(uscc, 3, 4), listed_on)
    INCLUDE (uscc, key_area, reason_code, removed_on, repaired_on, enterprise_key_areas);
ANALYZE listings;

-- +goose Down
DROP INDEX listings_region_idx;
DROP TRIGGER enterprises_key_areas ON enterprises;
DROP TRIGGER listings_key_areas ON listings;
DROP FUNCTION listing_key_areas_pass();
DROP FUNCTION listing_key_areas_take();
ALTER TABLE listings DROP COLUMN enterprise_key_areas;
