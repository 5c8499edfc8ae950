-- Repeat offenders at scale (issue 9, docs/BENCHMARKS.md section 22).
--
-- The default repeatOffenders query (penalties decided in the 3 years up
-- to the caller's date, as the caller's tier sees them on that date) used
-- to aggregate every visible penalty of the window per enterprise: 65,000
-- at 1,000,000 enterprises, 300 ms and more. penalty_windows keeps, per
-- enterprise and audience (public: PUBLIC and PARTNER; else REGULATOR),
-- the spans of days over which that count, the total fines and the latest
-- decision date stay the same (store.RepeatWindows, computed in Go by the
-- policy itself). On a date D the answer is the windows holding D: a range
-- test, read in rank order from penalty_windows_rank_idx, 21 rows for a
-- first page. The windows are a function of an enterprise's penalties and
-- of the disclosure settings only: no day passing changes them.
--
-- Every statement writing penalties notes the enterprises it touched in
-- penalty_windows_stale (statement triggers, so COPY, upserts and repairs
-- alike); the write's transaction recomputes their windows before it
-- commits (windows.go). penalty_windows_meta names the settings the
-- windows were computed with; a store with other settings does not read
-- them (it counts penalties as before) until it has rebuilt them.

-- +goose Up
CREATE TABLE penalty_windows (
    uscc        text    NOT NULL,
    public      boolean NOT NULL,
    valid_from  date    NOT NULL,
    valid_until date    NOT NULL,
    n           integer NOT NULL,
    fines       numeric NOT NULL,
    latest      date    NOT NULL,
    PRIMARY KEY (uscc, public, valid_from)
);
CREATE INDEX penalty_windows_rank_idx ON penalty_windows (public, n DESC, fines DESC, uscc)
    INCLUDE (valid_from, valid_until, latest);

CREATE TABLE penalty_windows_stale (uscc text PRIMARY KEY);

CREATE TABLE penalty_windows_meta (settings text);
INSERT INTO penalty_windows_meta VALUES (NULL);

-- +goose StatementBegin
CREATE FUNCTION penalty_windows_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO penalty_windows_stale SELECT DISTINCT uscc FROM new_rows ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO penalty_windows_stale SELECT DISTINCT uscc FROM old_rows ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER penalties_windows_insert AFTER INSERT ON penalties
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION penalty_windows_touch();
CREATE TRIGGER penalties_windows_update AFTER UPDATE ON penalties
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION penalty_windows_touch();
CREATE TRIGGER penalties_windows_delete AFTER DELETE ON penalties
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION penalty_windows_touch();

-- +goose Down
DROP TRIGGER penalties_windows_delete ON penalties;
DROP TRIGGER penalties_windows_update ON penalties;
DROP TRIGGER penalties_windows_insert ON penalties;
DROP FUNCTION penalty_windows_touch();
DROP TABLE penalty_windows_meta;
DROP TABLE penalty_windows_stale;
DROP TABLE penalty_windows;
