-- Survey members: the accounts that may change a survey (upload into it,
-- delete its imports, save its metrics) and read its comments when their
-- role alone does not let them do so on every survey (analysts). Admins
-- need no membership. Times are UTC RFC 3339 text, as in 0001.
CREATE TABLE survey_members (
    survey_id BIGINT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_at  TEXT NOT NULL,
    -- who added the member, as the audit log names them
    added_by  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (survey_id, user_id)
);

CREATE INDEX survey_members_user_id ON survey_members (user_id);

-- Before this migration every analyst could change every survey. Keep that
-- for the surveys an analyst has worked on: an analyst who imported a file
-- into a survey through the web or the API (the import's by_user says
-- "web upload by EMAIL from ..." or "api by EMAIL from ...") becomes its
-- member. An admin adds any other member with `heard survey add-member`.
INSERT INTO survey_members (survey_id, user_id, added_at, added_by)
SELECT DISTINCT i.survey_id, u.id, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'migration 0004 (earlier imports)'
FROM imports i JOIN users u
  ON substr(i.by_user, 1, length('web upload by ' || u.email || ' from ')) = 'web upload by ' || u.email || ' from '
  OR substr(i.by_user, 1, length('api by ' || u.email || ' from ')) = 'api by ' || u.email || ' from '
WHERE u.role = 'analyst';
