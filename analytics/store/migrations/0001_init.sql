-- heard's static tables. Each survey's responses live in a table the store
-- creates and extends itself (responses_<survey id>), so they are not here.
-- Times are UTC RFC 3339 text; London dates and months are worked out at
-- import, so queries need no dialect-specific date functions.

CREATE TABLE surveys (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    slug         TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    -- the saved mapping's format and columns; questions and dimensions are
    -- the tables below
    mapping_json TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE questions (
    id        INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    code      TEXT NOT NULL,
    text      TEXT NOT NULL DEFAULT '',
    kind      TEXT NOT NULL,
    scale     TEXT NOT NULL DEFAULT '',
    separator TEXT NOT NULL DEFAULT '',
    position  INTEGER NOT NULL,
    tags_json TEXT NOT NULL DEFAULT '[]',
    UNIQUE (survey_id, code)
);

-- An answer stores its option's position, so options are only appended.
CREATE TABLE options (
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    label       TEXT NOT NULL,
    code        TEXT NOT NULL DEFAULT '',
    score       DOUBLE PRECISION NOT NULL DEFAULT 0,
    polarity    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (question_id, position)
);

CREATE TABLE dimensions (
    id        INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    code      TEXT NOT NULL,
    name      TEXT NOT NULL DEFAULT '',
    kind      TEXT NOT NULL DEFAULT '',
    position  INTEGER NOT NULL,
    UNIQUE (survey_id, code)
);

CREATE TABLE imports (
    id           INTEGER PRIMARY KEY,
    survey_id    INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    file         TEXT NOT NULL,
    sha256       TEXT NOT NULL UNIQUE,
    format       TEXT NOT NULL DEFAULT '',
    sheet        TEXT NOT NULL DEFAULT '',
    rows_read    INTEGER NOT NULL DEFAULT 0,
    added        INTEGER NOT NULL DEFAULT 0,
    duplicates   INTEGER NOT NULL DEFAULT 0,
    rejected     INTEGER NOT NULL DEFAULT 0,
    by_user      TEXT NOT NULL DEFAULT '',
    at           TEXT NOT NULL,
    -- the mapping this file was read with
    mapping_json TEXT NOT NULL DEFAULT '{}'
);

CREATE INDEX imports_survey_id ON imports (survey_id);
