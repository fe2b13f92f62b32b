-- A survey's settings. keep_personal = 1 when the survey keeps respondents'
-- names and email addresses (as free-text answers, shown to staff only);
-- by default, and for a survey without a row here, they are never stored.
-- Times are UTC RFC 3339 text, as in 0001.
CREATE TABLE survey_settings (
    survey_id     BIGINT PRIMARY KEY REFERENCES surveys (id) ON DELETE CASCADE,
    keep_personal INTEGER NOT NULL DEFAULT 0,
    -- who changed the settings last, as the audit log names them
    set_by        TEXT NOT NULL DEFAULT '',
    set_at        TEXT NOT NULL DEFAULT ''
);
