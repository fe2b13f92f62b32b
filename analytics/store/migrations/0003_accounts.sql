-- Accounts, API tokens, sessions, the audit log and retention periods.
-- Times are UTC RFC 3339 text, as in 0001; '' stands for "never".

-- Local accounts. Accounts are disabled, never deleted, so that the audit
-- log keeps meaning who did what.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    -- lower case; the sign-in name
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL,
    -- Argon2id in the PHC string format: $argon2id$v=19$m=...,t=...,p=...$salt$hash
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    last_sign_in  TEXT NOT NULL DEFAULT ''
);

-- API tokens. Only the SHA-256 of a token's secret is kept; prefix is the
-- secret's first characters, to recognise a token in a list.
CREATE TABLE tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    name       TEXT NOT NULL DEFAULT '',
    hash       TEXT NOT NULL UNIQUE,
    prefix     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    last_used  TEXT NOT NULL DEFAULT '',
    revoked_at TEXT NOT NULL DEFAULT ''
);

CREATE INDEX tokens_user_id ON tokens (user_id);

-- Web sessions, keyed by the SHA-256 of the session cookie's token, so that
-- a copy of the database does not hold live cookies. data is the session
-- manager's encoding.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    data       BLOB NOT NULL,
    expiry     TEXT NOT NULL
);

CREATE INDEX sessions_expiry ON sessions (expiry);

-- Who did what, when, from where. Never file contents or answers. user_id
-- has no foreign key: the log outlives anything it mentions.
CREATE TABLE audit_events (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    user_id INTEGER NOT NULL DEFAULT 0,
    who     TEXT NOT NULL,
    source  TEXT NOT NULL,
    action  TEXT NOT NULL,
    object  TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT ''
);

CREATE INDEX audit_events_at ON audit_events (at);

-- How long a survey keeps its responses, in days; a survey without a row
-- keeps them until they are deleted.
CREATE TABLE retention (
    survey_id INTEGER PRIMARY KEY REFERENCES surveys (id) ON DELETE CASCADE,
    days      INTEGER NOT NULL CHECK (days > 0),
    set_by    TEXT NOT NULL DEFAULT '',
    set_at    TEXT NOT NULL
);
