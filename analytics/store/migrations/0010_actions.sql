-- "You said, we did": what people said about a survey's question, comment
-- theme or framework statement, what the council did, who owns it, and
-- when it was agreed and done. Days are London days written 2024-09-15
-- ('' when not known); times are UTC RFC 3339 text, as in 0001.
CREATE TABLE actions (
    id          INTEGER PRIMARY KEY,
    survey_id   INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    -- the question whose figure the effect is measured on; NULL for none,
    -- and when the question is deleted the action stays, unlinked
    question_id INTEGER REFERENCES questions (id) ON DELETE SET NULL,
    -- a comment theme's name and a statement FRAMEWORK:ID, '' for none
    theme       TEXT NOT NULL DEFAULT '',
    statement   TEXT NOT NULL DEFAULT '',
    said        TEXT NOT NULL,
    -- a quote a member of staff chose, as given: shown redacted to anyone
    -- without the personal-data right, never as given to the board
    quote       TEXT NOT NULL DEFAULT '',
    did         TEXT NOT NULL,
    -- a person's name: never shown to the board
    owner       TEXT NOT NULL DEFAULT '',
    agreed_on   TEXT NOT NULL DEFAULT '',
    done_on     TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL CHECK (status IN ('planned', 'in progress', 'done')),
    -- whole months before and after the month done that the effect compares
    months      INTEGER NOT NULL DEFAULT 6 CHECK (months BETWEEN 1 AND 24),
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL
);

CREATE INDEX actions_survey_id ON actions (survey_id);
CREATE INDEX actions_question_id ON actions (question_id);
