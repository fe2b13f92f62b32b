-- Failed sign-ins, counted per account and per client address, kept in the
-- database so that every heard process on it counts the same failures: two
-- instances behind a load balancer allow the limits once, not once each.
--
-- subject names the counter ("account ann@example.org", "address
-- 192.0.2.1"); at is the time in Unix milliseconds. A row holds the
-- failures counted at that instant; cleared = 1 says the counter was reset
-- (a successful sign-in) at that instant, before those failures. Rows older
-- than the limits' window mean nothing and are deleted as failures are
-- written. Plain SQL: the same on SQLite and PostgreSQL.
CREATE TABLE sign_in_failures (
    subject  TEXT    NOT NULL,
    at       BIGINT  NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    cleared  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (subject, at)
);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
