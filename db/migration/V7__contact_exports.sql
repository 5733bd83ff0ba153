-- Contact exports (SendGrid's POST /v3/marketing/contacts/exports, and `segmat contacts export`).
--
-- One row per export, written when it is asked for (pending) and finished by the contactExportJob
-- (ready or failure). The job reads what to export from here, not from its parameters, which hold
-- at most 2,500 characters. Files live on the file system, in directory, named
-- <file_stem>-<n>.<csv|json>, n from 1 to file_count; served exports are the API's, the others
-- were written by the command line to a path of the user's choosing.
CREATE TABLE contact_export (
    id                uuid        PRIMARY KEY,
    status            text        NOT NULL CHECK (status IN ('pending', 'ready', 'failure')),
    export_type       text        NOT NULL CHECK (export_type IN ('contacts_export', 'list_export', 'segment_export')),
    file_type         text        NOT NULL CHECK (file_type IN ('csv', 'json')),
    max_file_bytes    bigint      NOT NULL CHECK (max_file_bytes > 0),
    escape_formulas   boolean     NOT NULL,
    list_ids          uuid[]      NOT NULL,
    segment_ids       uuid[]      NOT NULL,
    served            boolean     NOT NULL,
    directory         text        NOT NULL,
    file_stem         text        NOT NULL,
    file_count        integer     NOT NULL DEFAULT 0,
    contact_count     bigint,
    message           text,
    job_execution_id  bigint,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    completed_at      timestamptz,
    expires_at        timestamptz NOT NULL,
    -- set once the files of an expired export are deleted
    files_deleted_at  timestamptz
);
CREATE INDEX contact_export_created ON contact_export (created_at DESC);
CREATE INDEX contact_export_expiring ON contact_export (expires_at) WHERE files_deleted_at IS NULL;
