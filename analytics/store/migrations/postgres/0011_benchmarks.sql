-- National benchmarks: NHS Digital's ASCOF open data, one import a
-- financial year ("2020-21"). Importing a year again replaces all of its
-- rows, in one transaction. Times are UTC RFC 3339 text, as in 0001.
CREATE TABLE benchmark_years (
    year        TEXT PRIMARY KEY,
    file        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    sheet       TEXT NOT NULL DEFAULT '',
    -- the file's rows for this year, and how many of them the file marks
    -- as not published (kept as NULL values)
    rows_read   INTEGER NOT NULL,
    missing     INTEGER NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL
);

-- The councils, regions, council types and England of a year's file.
-- code is NHS Digital's geographical code ("211", "YH", "M", "England");
-- level is council, region, council-type or england; ons_code is '' where
-- the file gives none.
CREATE TABLE benchmark_areas (
    year     TEXT NOT NULL REFERENCES benchmark_years (year) ON DELETE CASCADE,
    code     TEXT NOT NULL,
    name     TEXT NOT NULL,
    level    TEXT NOT NULL,
    ons_code TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (year, code)
);
CREATE INDEX benchmark_areas_ons ON benchmark_areas (ons_code);

-- The measures of a year's file, with their group and its description.
CREATE TABLE benchmark_measures (
    year        TEXT NOT NULL REFERENCES benchmark_years (year) ON DELETE CASCADE,
    measure     TEXT NOT NULL,
    grp         TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (year, measure)
);

-- One published value a row, as the file gives it: kind is numerator,
-- denominator, outcome, base or margin-of-error; value is NULL where the
-- file marks it as not published ([x], [c], ..), never 0.
CREATE TABLE benchmark_values (
    year           TEXT NOT NULL REFERENCES benchmark_years (year) ON DELETE CASCADE,
    measure        TEXT NOT NULL,
    disaggregation TEXT NOT NULL,
    area           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    value          DOUBLE PRECISION,
    PRIMARY KEY (year, measure, disaggregation, area, kind)
);

-- The council this deployment serves and the region it is compared with,
-- as an admin chose them: area keys (an ONS code, or NHS Digital's code
-- where an area has none). One row at most.
CREATE TABLE benchmark_council (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    council TEXT NOT NULL,
    region  TEXT NOT NULL,
    set_by  TEXT NOT NULL,
    set_at  TEXT NOT NULL
);
