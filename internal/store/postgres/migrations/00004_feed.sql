-- The change feed and watchlists (issue 10).
--
-- feed_state holds, per record, the hash of what each audience saw when the
-- feed last looked (NULL: not seen) and the next day a date may change that
-- by itself. feed_changes is the feed, in commit order: every writer takes
-- the feed's advisory lock, then appends, then commits, so seq is committed
-- in order (a plain sequence is not: values commit out of order).
-- feed_meta is the feed's one row: the last seq, the day date-driven changes
-- are appended through, and the last seq pruned by the retention.

-- +goose Up
CREATE TABLE feed_state (
    record_type    text COLLATE "C" NOT NULL,
    record_id      text COLLATE "C" NOT NULL,
    public_hash    bytea,
    regulator_hash bytea,
    next_check     date,
    PRIMARY KEY (record_type, record_id)
);
CREATE INDEX feed_state_next_idx ON feed_state (next_check) WHERE next_check IS NOT NULL;

CREATE TABLE feed_changes (
    seq            bigint PRIMARY KEY,
    day            date NOT NULL,
    recorded       date NOT NULL, -- the feed's day when appended: the retention counts from it
    at             timestamptz NOT NULL,
    record_type    text COLLATE "C" NOT NULL,
    record_id      text COLLATE "C" NOT NULL,
    uscc           text COLLATE "C",
    region_code    text COLLATE "C",
    key_areas      text[] NOT NULL DEFAULT '{}',
    public_kind    smallint NOT NULL CHECK (public_kind BETWEEN 0 AND 3),
    regulator_kind smallint NOT NULL CHECK (regulator_kind BETWEEN 0 AND 3),
    reason         text -- the disclosure state that took it out of public view: REGULATOR only
);
-- watchlist and uscc filters: a few enterprises' changes in feed order
CREATE INDEX feed_changes_uscc_idx ON feed_changes (uscc, seq);

CREATE TABLE feed_meta (
    id     boolean PRIMARY KEY DEFAULT true CHECK (id),
    seq    bigint NOT NULL,
    day    date,
    pruned bigint NOT NULL
);
INSERT INTO feed_meta (seq, day, pruned) VALUES (0, NULL, 0);

CREATE TABLE watchlists (
    key_name   text COLLATE "C" NOT NULL,
    uscc       text COLLATE "C" NOT NULL CHECK (uscc ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (key_name, uscc)
);

-- +goose Down
DROP TABLE watchlists;
DROP TABLE feed_meta;
DROP TABLE feed_changes;
DROP TABLE feed_state;
