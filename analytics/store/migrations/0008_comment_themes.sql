-- Comment themes: the models that put themes and a sentiment on free-text
-- answers, the examples they were trained from, what they said about each
-- stored comment, and the corrections analysts made. Times are UTC RFC 3339
-- text, as in 0001. A list of themes is kept as text with each theme on a
-- line of its own between newlines ("\nStaff\nWaiting\n"; '' for none), so
-- that "has theme T" is a LIKE on one column in any SQL dialect; theme
-- names never hold a newline.

-- A theme model, by name. Saving a model of a name that exists replaces it
-- and raises its version, so that comments classified by an earlier version
-- are classified again. model is the model's binary encoding; themes its
-- themes in the model's order. built_in = 1 for the model heard ships for
-- the NHS framework, trained from the shipped file on first use and kept
-- here without its examples (they ship with heard). As shipped, fingerprint
-- identifies it (what it says of a few set comments) and build the heard
-- that last checked it: a heard of another build trains it again, and
-- stores it with a new version only when its fingerprint differs. Trained
-- again with analysts' corrections, fingerprint is ''.
CREATE TABLE theme_models (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    version    INTEGER NOT NULL,
    themes     TEXT NOT NULL,
    sentiment  INTEGER NOT NULL DEFAULT 0,
    built_in   INTEGER NOT NULL DEFAULT 0,
    comments   INTEGER NOT NULL DEFAULT 0,
    model      BLOB NOT NULL,
    created_at TEXT NOT NULL,
    trained_at TEXT NOT NULL,
    -- who saved this version, as the audit log names them
    trained_by TEXT NOT NULL DEFAULT '',
    fingerprint TEXT NOT NULL DEFAULT '',
    build      TEXT NOT NULL DEFAULT ''
);

-- The labelled comments a model was trained from, kept so that it can be
-- trained again with the corrections made since.
CREATE TABLE theme_examples (
    model_id  INTEGER NOT NULL REFERENCES theme_models (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    text      TEXT NOT NULL,
    themes    TEXT NOT NULL,
    sentiment TEXT NOT NULL DEFAULT '',
    grp       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (model_id, position)
);

-- The themes of one stored free-text answer (a response's answer to a text
-- question): the model's, or an analyst's correction (corrected = 1) when
-- one was made under the survey's current model. model_id and
-- model_version say which model wrote the row: a row from another model or
-- version is classified again. says_nothing = 1 for "N/A", "none" and the
-- like, which have no themes and are left out of theme shares. scores are
-- the model's score per theme, as JSON. The row goes with its response:
-- deleting the import cascades here, and deleting responses otherwise
-- (retention) deletes their rows too.
CREATE TABLE comment_themes (
    survey_id     INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    question_id   INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    response_id   INTEGER NOT NULL,
    import_id     INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    model_id      INTEGER NOT NULL,
    model_version INTEGER NOT NULL,
    themes        TEXT NOT NULL DEFAULT '',
    sentiment     TEXT NOT NULL DEFAULT '',
    says_nothing  INTEGER NOT NULL DEFAULT 0,
    corrected     INTEGER NOT NULL DEFAULT 0,
    scores        TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (survey_id, question_id, response_id)
);

CREATE INDEX comment_themes_import ON comment_themes (import_id);
CREATE INDEX comment_themes_model ON comment_themes (model_id);

-- An analyst's correction of a comment's themes and sentiment, under the
-- model the survey used then (by name). Kept apart from comment_themes so
-- that classifying the comment again never loses it, and used as a
-- labelled example when that model is trained again. It goes with its
-- response, as comment_themes does.
CREATE TABLE comment_corrections (
    survey_id   INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    response_id INTEGER NOT NULL,
    import_id   INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    model_name  TEXT NOT NULL,
    themes      TEXT NOT NULL DEFAULT '',
    sentiment   TEXT NOT NULL DEFAULT '',
    set_by      TEXT NOT NULL DEFAULT '',
    set_at      TEXT NOT NULL,
    PRIMARY KEY (survey_id, question_id, response_id, model_name)
);

CREATE INDEX comment_corrections_import ON comment_corrections (import_id);
CREATE INDEX comment_corrections_model ON comment_corrections (model_name);

-- The theme model a survey's comments are classified with, by name; ''
-- (and a survey without a row here) uses the built-in model.
ALTER TABLE survey_settings ADD COLUMN theme_model TEXT NOT NULL DEFAULT '';
