-- Files sent through the upload page, kept in the database from their
-- preview to the end of their import, so that any heard process on the
-- database can show, confirm and follow an upload another one received
-- (several instances behind a load balancer). heard keeps them on
-- PostgreSQL only: on SQLite one process serves the uploads it received,
-- and the tables stay empty. Plain SQL apart from the bytes' type.
--
-- state is preview, running, done or failed; the process that changes it
-- from preview to running (one conditional UPDATE) imports the file.
-- preview, result and kinds are JSON written by the service; times are
-- Unix milliseconds. updated_at moves with the progress, so that an import
-- whose process died is seen to have stopped. A row and its chunks are
-- deleted two hours after the upload (see DeleteExpiredSharedUploads).
CREATE TABLE shared_uploads (
    token      TEXT    PRIMARY KEY,
    owner_id   BIGINT  NOT NULL,
    survey     TEXT    NOT NULL,
    file       TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    phase      TEXT    NOT NULL DEFAULT '',
    done       BIGINT  NOT NULL DEFAULT 0,
    total      BIGINT  NOT NULL DEFAULT 0,
    preview    TEXT    NOT NULL DEFAULT '',
    result     TEXT    NOT NULL DEFAULT '',
    kinds      TEXT    NOT NULL DEFAULT '',
    size       BIGINT  NOT NULL DEFAULT 0,
    created_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL
);
CREATE INDEX shared_uploads_created ON shared_uploads (created_at);

-- The file's bytes, in chunks of about 1 MB numbered from 0, so that no
-- process holds a whole file in memory to write or read it. Deleted when
-- the import ends.
CREATE TABLE shared_upload_chunks (
    token TEXT    NOT NULL REFERENCES shared_uploads (token) ON DELETE CASCADE,
    seq   INTEGER NOT NULL,
    data  BLOB    NOT NULL,
    PRIMARY KEY (token, seq)
);
