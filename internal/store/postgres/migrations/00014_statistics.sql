-- Statistics at scale (issue 9, docs/BENCHMARKS.md section 22).
--
-- Inspections are public in every tier and on every date, so their counts
-- by the division their USCC was issued in (characters 3-8), month, key
-- area and result are exact for any caller: statistics for a city and a
-- year read about a thousand of these rows instead of 70,000 inspections
-- (regions.go and report.go add what whole months cannot say: the days
-- of a partial month, and enterprises whose region is another). Every
-- statement writing inspections keeps them (statement triggers: COPY,
-- upserts and deletes alike, one grouped upsert per statement, in key order).
--
-- Penalties are visible by date and tier, so they are counted row by row,
-- but a city's penalties of a period are read from penalties_region_idx
-- (like inspections_region_idx, 00010) and only theirs: 4,500 rows for
-- Fuzhou and a year instead of the 25,000 of the whole province, each
-- with the region of its enterprise looked up.

-- +goose Up
CREATE INDEX penalties_region_idx ON penalties (substr(uscc, 3, 4), decided_on)
    INCLUDE (uscc, published_on, repaired_on, restriction_until, revoked, procedure, penalty_types, fine_amount,
             key_area, violation_type);

CREATE TABLE inspection_counts (
    region   text COLLATE "C" NOT NULL, -- substr(uscc, 3, 6)
    month    date NOT NULL,             -- the month's first day
    key_area text NOT NULL,             -- '' for none
    result   text NOT NULL,
    n        bigint NOT NULL,
    PRIMARY KEY (region, month, key_area, result) INCLUDE (n) -- index-only reads
);

INSERT INTO inspection_counts
SELECT substr(uscc, 3, 6), date_trunc('month', inspected_on)::date, coalesce(key_area, ''), result, count(*)
FROM inspections GROUP BY 1, 2, 3, 4;

-- +goose StatementBegin
CREATE FUNCTION inspection_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO inspection_counts
        SELECT substr(uscc, 3, 6), date_trunc('month', inspected_on)::date, coalesce(key_area, ''), result, count(*)
        FROM new_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (region, month, key_area, result) DO UPDATE SET n = inspection_counts.n + excluded.n;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO inspection_counts
        SELECT r, m, k, res, sum(d) FROM (
            SELECT substr(uscc, 3, 6), date_trunc('month', inspected_on)::date, coalesce(key_area, ''), result, 1 FROM new_rows
            UNION ALL
            SELECT substr(uscc, 3, 6), date_trunc('month', inspected_on)::date, coalesce(key_area, ''), result, -1 FROM old_rows
        ) x (r, m, k, res, d) GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (region, month, key_area, result) DO UPDATE SET n = inspection_counts.n + excluded.n;
    ELSE
        INSERT INTO inspection_counts
        SELECT substr(uscc, 3, 6), date_trunc('month', inspected_on)::date, coalesce(key_area, ''), result, -count(*)
        FROM old_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (region, month, key_area, result) DO UPDATE SET n = inspection_counts.n + excluded.n;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER inspections_counts_insert AFTER INSERT ON inspections
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION inspection_counts_keep();
CREATE TRIGGER inspections_counts_update AFTER UPDATE ON inspections
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION inspection_counts_keep();
CREATE TRIGGER inspections_counts_delete AFTER DELETE ON inspections
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION inspection_counts_keep();

ANALYZE inspection_counts, penalties;

-- +goose Down
DROP TRIGGER inspections_counts_delete ON inspections;
DROP TRIGGER inspections_counts_update ON inspections;
DROP TRIGGER inspections_counts_insert ON inspections;
DROP FUNCTION inspection_counts_keep();
DROP TABLE inspection_counts;
DROP INDEX penalties_region_idx;
