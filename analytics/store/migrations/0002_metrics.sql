-- Metrics an analyst defines for a survey, and the answer counts that
-- reports are computed from.

-- A saved metric: which options of a question count as positive (and
-- negative, for a net score) and which are left out of the base. Options
-- are referred to by their stored position, which never changes.
CREATE TABLE metrics (
    id          INTEGER PRIMARY KEY,
    survey_id   INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    -- the name as the analyst wrote it, and folded to lower case for lookups
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    -- the analytics.Metric, as JSON
    metric_json TEXT NOT NULL,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (survey_id, name_key)
);

-- Answer counts of one import, kept so that a report reads a few thousand
-- counts instead of every response. A report fills them the first time it
-- needs them: for one question (question_id), broken down by the fields
-- listed in breakdown ("" for none, else "d12" or "d12,q7": dimension and
-- question ids), by complete flag, London month ('' when undated), group
-- and option position (-1 when not answered). The responses of an import
-- never change once it is committed, and deleting an import deletes its
-- counts; anything that changes stored responses must delete the counts of
-- their import.
CREATE TABLE report_counts (
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    breakdown   TEXT NOT NULL,
    month       TEXT NOT NULL,
    grp         TEXT NOT NULL,
    option_pos  INTEGER NOT NULL,
    complete    INTEGER NOT NULL,
    import_id   INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    n           INTEGER NOT NULL,
    -- in the order a report reads and groups them, with no other index to
    -- keep up: deleting an import finds its counts by a scan, which is rare
    PRIMARY KEY (question_id, breakdown, month, grp, option_pos, complete, import_id)
) WITHOUT ROWID;

-- The imports whose counts are in report_counts for a question and
-- breakdown, even when they gave none.
CREATE TABLE report_counted (
    import_id   INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    breakdown   TEXT NOT NULL,
    PRIMARY KEY (question_id, breakdown, import_id)
);

CREATE INDEX report_counted_import ON report_counted (import_id);
