-- The store of record: one table per record kind, keyed by its natural key.
-- Credit repairs and list removals are not tables of their own: they are
-- columns of the penalty or listing they apply to, so re-importing a penalty
-- or a listing keeps them. Every table keeps updated_at, bumped only when a
-- row really changes, for the change feed.
--
-- Keys are text COLLATE "C": they sort by bytes, as the embedded store sorts
-- them, whatever the server's locale, and compare faster.
--
-- No FOREIGN KEY to enterprises: Apply, the only writer, rejects a record
-- whose enterprise is unknown (UNKNOWN_REFERENCE) in the statement that
-- writes it, and enterprises are never deleted. The per-row trigger of a
-- foreign key cost a quarter of import throughput (BenchmarkApply).

-- +goose Up
CREATE TABLE enterprises (
    uscc                           text COLLATE "C" PRIMARY KEY
                                   CHECK (uscc ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
    name                           text NOT NULL CHECK (name <> ''),
    former_names                   text[] NOT NULL DEFAULT '{}',
    type                           text,
    status                         text NOT NULL
                                   CHECK (status IN ('operating', 'revoked', 'cancelled', 'moved_out')),
    legal_representative           text,
    legal_representative_id_type   text,
    legal_representative_id_number text,
    registered_capital             numeric, -- 万元
    established_on                 date,
    registration_authority         text,
    address                        text,
    business_scope                 text,
    region_code                    text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
    key_areas                      text[] NOT NULL DEFAULT '{}'
                                   CHECK (key_areas <@ ARRAY['food_production', 'special_food', 'special_equipment',
                                       'food_distribution', 'catering', 'drug', 'medical_device', 'cosmetics',
                                       'industrial_product']),
    phone                          text,
    created_at                     timestamptz NOT NULL DEFAULT now(),
    updated_at                     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enterprises_region_idx ON enterprises (region_code text_pattern_ops, uscc);
-- text_pattern_ops serves both the exact name (=) and the name prefix (LIKE 'x%').
CREATE INDEX enterprises_name_idx ON enterprises (name text_pattern_ops);
CREATE INDEX enterprises_key_areas_idx ON enterprises USING gin (key_areas);

CREATE TABLE licenses (
    license_number text COLLATE "C" PRIMARY KEY,
    uscc           text COLLATE "C" NOT NULL,
    name           text NOT NULL,
    content        text,
    valid_from     date,
    valid_to       date,
    authority      text NOT NULL,
    decided_on     date NOT NULL,
    key_area       text CHECK (key_area IN ('food_production', 'special_food', 'special_equipment',
                       'food_distribution', 'catering', 'drug', 'medical_device', 'cosmetics', 'industrial_product')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX licenses_uscc_idx ON licenses (uscc, decided_on DESC, license_number);

CREATE TABLE penalties (
    decision_number     text COLLATE "C" PRIMARY KEY,
    uscc                text COLLATE "C" NOT NULL,
    violation_type      text NOT NULL,
    facts               text,
    basis               text,
    penalty_types       text[] NOT NULL
                        CHECK (cardinality(penalty_types) > 0 AND penalty_types <@ ARRAY['warning', 'public_reprimand',
                            'fine', 'confiscation', 'suspension', 'restriction', 'qualification_downgrade',
                            'license_revocation', 'business_license_revocation', 'other']),
    content             text,
    fine_amount         numeric CHECK (fine_amount >= 0),
    confiscation_amount numeric CHECK (confiscation_amount >= 0),
    authority           text NOT NULL,
    decided_on          date NOT NULL,
    published_on        date NOT NULL,
    procedure           text NOT NULL CHECK (procedure IN ('ordinary', 'simple')),
    restriction_until   date,
    key_area            text CHECK (key_area IN ('food_production', 'special_food', 'special_equipment',
                            'food_distribution', 'catering', 'drug', 'medical_device', 'cosmetics', 'industrial_product')),
    revoked             boolean NOT NULL DEFAULT false,
    -- credit repair (信用修复), from a credit_repair record
    repaired_on         date,
    repair_authority    text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX penalties_uscc_idx ON penalties (uscc, decided_on DESC, decision_number);

CREATE TABLE inspections (
    inspection_id text COLLATE "C" PRIMARY KEY,
    uscc          text COLLATE "C" NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('random_spot_check', 'supervision_check', 'sampling')),
    inspected_on  date NOT NULL,
    authority     text NOT NULL,
    result        text NOT NULL
                  CHECK (result IN ('no_issue', 'issues_corrected', 'non_compliant', 'not_found_at_address')),
    items         text,
    product       text,
    batch         text,
    key_area      text CHECK (key_area IN ('food_production', 'special_food', 'special_equipment',
                      'food_distribution', 'catering', 'drug', 'medical_device', 'cosmetics', 'industrial_product')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inspections_uscc_idx ON inspections (uscc, inspected_on DESC, inspection_id);

-- Both lists in one table: the abnormal operations list (经营异常名录) and
-- the serious illegal and dishonest list (严重违法失信名单).
CREATE TABLE listings (
    list                    text COLLATE "C" NOT NULL CHECK (list IN ('abnormal_listing', 'serious_listing')),
    decision_number         text COLLATE "C" NOT NULL,
    uscc                    text COLLATE "C" NOT NULL,
    reason_code             smallint,
    reason                  text, -- abnormal: reason text; serious: ground
    listed_on               date NOT NULL,
    authority               text NOT NULL,
    penalty_decision_number text,
    key_area                text CHECK (key_area IN ('food_production', 'special_food', 'special_equipment',
                                'food_distribution', 'catering', 'drug', 'medical_device', 'cosmetics', 'industrial_product')),
    -- removal (移出), from an abnormal_removal / serious_removal record
    removed_on              date,
    removal_reason          text,
    removal_authority       text,
    -- credit repair (信用修复), from a credit_repair record
    repaired_on             date,
    repair_authority        text,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (list, decision_number),
    CHECK ((list = 'abnormal_listing' AND reason_code BETWEEN 1 AND 4)
        OR (list = 'serious_listing' AND reason_code IS NULL)),
    CHECK ((removed_on IS NULL) = (removal_reason IS NULL) AND (removed_on IS NULL) = (removal_authority IS NULL)),
    CHECK (list = 'abnormal_listing' OR removal_reason IS NULL
        OR removal_reason IN ('expired', 'credit_repair', 'revoked'))
);
-- per-enterprise loaders and the "is listed on a date" repair fact
CREATE INDEX listings_uscc_idx ON listings (uscc, list, listed_on DESC, decision_number);
-- pages of a list, newest first, with or without removed entries
CREATE INDEX listings_list_idx ON listings (list, listed_on DESC, decision_number);
-- the public "currently listed" shape: never removed nor repaired
CREATE INDEX listings_current_idx ON listings (list, listed_on DESC, decision_number)
    WHERE removed_on IS NULL AND repaired_on IS NULL;
-- the rare rest of it: removed or repaired, but on a date still to come
CREATE INDEX listings_removed_idx ON listings (removed_on) WHERE removed_on IS NOT NULL;
CREATE INDEX listings_repaired_idx ON listings (repaired_on) WHERE repaired_on IS NOT NULL;

CREATE TABLE commitments (
    commitment_id   text COLLATE "C" PRIMARY KEY,
    uscc            text COLLATE "C" NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('notification', 'voluntary')),
    content         text NOT NULL,
    made_on         date NOT NULL,
    status          text NOT NULL CHECK (status IN ('in_force', 'fulfilled', 'untrue')),
    untrue_found_on date,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX commitments_uscc_idx ON commitments (uscc, made_on DESC, commitment_id);

CREATE TABLE typical_cases (
    case_id      text COLLATE "C" PRIMARY KEY,
    title        text NOT NULL,
    summary      text NOT NULL,
    uscc         text COLLATE "C",
    published_on date NOT NULL,
    key_area     text CHECK (key_area IN ('food_production', 'special_food', 'special_equipment',
                     'food_distribution', 'catering', 'drug', 'medical_device', 'cosmetics', 'industrial_product')),
    region_code  text CHECK (region_code ~ '^[0-9]{6}$'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX typical_cases_published_idx ON typical_cases (published_on DESC, case_id);
CREATE INDEX typical_cases_uscc_idx ON typical_cases (uscc) WHERE uscc IS NOT NULL;

-- +goose Down
DROP TABLE typical_cases;
DROP TABLE commitments;
DROP TABLE listings;
DROP TABLE inspections;
DROP TABLE penalties;
DROP TABLE licenses;
DROP TABLE enterprises;
