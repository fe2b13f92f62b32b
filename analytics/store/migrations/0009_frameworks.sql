-- Frameworks and statement tags. The built-in frameworks (cqc, mir) are
-- heard's own code, not rows here; the frameworks below are the ones a
-- council loaded from a file (heard framework import). Tags name a
-- framework by its name, built in or loaded, and a statement by its id:
-- the store refuses to remove a statement or framework a tag still uses.
-- Times are UTC RFC 3339 text, as in 0001.
CREATE TABLE frameworks (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    -- the file it was last imported from, and who imported it when
    file        TEXT NOT NULL DEFAULT '',
    imported_by TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL
);

-- A loaded framework's statements, in the file's order. parent is the
-- statement of another framework this one refines, as FRAMEWORK:ID, or ''.
CREATE TABLE framework_statements (
    framework_id INTEGER NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    code         TEXT NOT NULL,
    theme        TEXT NOT NULL,
    statement    TEXT NOT NULL,
    parent       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (framework_id, position),
    UNIQUE (framework_id, code)
);

-- A question tagged with a statement.
CREATE TABLE question_statements (
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    framework   TEXT NOT NULL,
    statement   TEXT NOT NULL,
    tagged_by   TEXT NOT NULL DEFAULT '',
    tagged_at   TEXT NOT NULL,
    PRIMARY KEY (question_id, framework, statement)
);

CREATE INDEX question_statements_statement ON question_statements (framework, statement);

-- A comment theme of a survey tagged with a statement: the theme model's
-- name and the theme's name in it.
CREATE TABLE theme_statements (
    survey_id   INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    theme_model TEXT NOT NULL,
    theme       TEXT NOT NULL,
    framework   TEXT NOT NULL,
    statement   TEXT NOT NULL,
    tagged_by   TEXT NOT NULL DEFAULT '',
    tagged_at   TEXT NOT NULL,
    PRIMARY KEY (survey_id, theme_model, theme, framework, statement)
);

CREATE INDEX theme_statements_statement ON theme_statements (framework, statement);
