-- segmat's own tables.
--
-- Change tracking: every write that can change a segment's membership takes a number from
-- change_seq (contacts, deletions, list moves, events). A writer allocates those numbers while
-- holding the shared advisory lock 'segmat.changes' for its transaction; a reader that wants a
-- watermark takes the same lock exclusively for an instant, so every number at or below the
-- watermark it reads belongs to a committed transaction. "What changed since W" is then an
-- index range scan on change_seq > W, independent of any machine's wall clock.

CREATE SEQUENCE change_seq AS bigint;

-- Custom field definitions. Ids follow SendGrid's form: e<N>_<T|N|D>.
CREATE SEQUENCE custom_field_number_seq AS bigint;

CREATE TABLE custom_field (
    id          text        PRIMARY KEY,
    name        text        NOT NULL,
    field_type  text        NOT NULL CHECK (field_type IN ('Text', 'Number', 'Date')),
    created_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX custom_field_name_ci ON custom_field (lower(name));

-- Static lists.
CREATE TABLE contact_list (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX contact_list_name ON contact_list (name);

-- Contacts. contact_key is the compact surrogate used by membership tables; id is the
-- contact_id the API shows. Custom field values live in custom_fields keyed by field id,
-- Text as a JSON string, Number as a JSON number, Date as epoch seconds (a JSON number) so
-- that predicates over them use only immutable casts.
CREATE TABLE contact (
    contact_key           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                    uuid        NOT NULL UNIQUE,
    email                 text        NOT NULL UNIQUE CHECK (email = lower(email)),
    phone_number_id       text,
    external_id           text,
    anonymous_id          text,
    first_name            text,
    last_name             text,
    alternate_emails      text[],
    address_line_1        text,
    address_line_2        text,
    city                  text,
    state_province_region text,
    postal_code           text,
    country               text,
    phone_number          text,
    whatsapp              text,
    line                  text,
    facebook              text,
    unique_name           text,
    email_domains         text[]      NOT NULL,
    custom_fields         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    change_seq            bigint      NOT NULL
);
CREATE INDEX contact_change_seq ON contact (change_seq);

-- A deleted contact leaves a tombstone so that "changed since W" sees the deletion.
CREATE TABLE contact_deletion (
    change_seq   bigint PRIMARY KEY,
    contact_key  bigint NOT NULL,
    contact_id   uuid   NOT NULL,
    deleted_at   timestamptz NOT NULL
);

-- List membership. A move in or out also bumps the contact's change_seq.
CREATE TABLE list_member (
    list_id      uuid   NOT NULL REFERENCES contact_list (id) ON DELETE CASCADE,
    contact_key  bigint NOT NULL REFERENCES contact (contact_key) ON DELETE CASCADE,
    PRIMARY KEY (list_id, contact_key)
);
CREATE INDEX list_member_contact ON list_member (contact_key);

-- Email events, from the Event Webhook. seq comes from change_seq.
CREATE TABLE email_event (
    seq            bigint      PRIMARY KEY,
    sg_event_id    text        NOT NULL UNIQUE,
    contact_key    bigint      NOT NULL REFERENCES contact (contact_key) ON DELETE CASCADE,
    event_source   text        NOT NULL DEFAULT 'mail',
    event_type     text        NOT NULL,
    occurred_at    timestamptz NOT NULL,
    singlesend_id  text,
    automation_id  text,
    template_id    text,
    url            text,
    data           jsonb       NOT NULL
);
CREATE INDEX email_event_contact ON email_event (contact_key, event_type, occurred_at);
CREATE INDEX email_event_type_time ON email_event (event_type, occurred_at);

-- Segments: every field of the API's segment object, plus the refresh's bookkeeping.
CREATE TABLE segment (
    id                     uuid        PRIMARY KEY,
    segment_key            integer GENERATED ALWAYS AS IDENTITY UNIQUE,
    name                   text        NOT NULL UNIQUE CHECK (char_length(name) BETWEEN 1 AND 100),
    query_dsl              text        NOT NULL,
    parent_list_id         uuid,
    query_version          text        NOT NULL DEFAULT '2',
    query_validation       text        NOT NULL DEFAULT 'VALID' CHECK (query_validation IN ('VALID', 'INVALID')),
    error_message          text,
    contacts_count         bigint      NOT NULL DEFAULT 0,
    contacts_sample        jsonb       NOT NULL DEFAULT '[]'::jsonb,
    sample_updated_at      timestamptz,
    next_sample_update     timestamptz,
    sample_interval_hours  integer,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    last_refreshed_at      timestamptz,
    -- The IANA zone of the last manual refresh: refreshes_used counts from midnight there.
    refresh_time_zone      text,
    -- query_revision moves on every query_dsl change; evaluated_revision is the one last evaluated.
    query_revision         integer     NOT NULL DEFAULT 1,
    evaluated_revision     integer,
    evaluated_seq          bigint,
    evaluated_at           timestamptz
);
CREATE INDEX segment_parent_list ON segment (parent_list_id);

-- Current members. Rows of deleted contacts are removed by the next evaluation. No foreign keys:
-- a per-row check would cost more than the insert itself at millions of members; segment deletion
-- removes its rows explicitly.
CREATE TABLE segment_member (
    segment_key  integer NOT NULL,
    contact_key  bigint  NOT NULL,
    PRIMARY KEY (segment_key, contact_key)
);

-- One row per evaluation of a segment, scheduled or manual.
CREATE TABLE segment_evaluation (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    segment_id        uuid        NOT NULL,
    job_execution_id  bigint,
    trigger           text        NOT NULL CHECK (trigger IN ('scheduled', 'manual')),
    as_of             timestamptz NOT NULL,
    status            text        NOT NULL CHECK (status IN ('COMPLETED', 'FAILED')),
    -- 'full': the whole query; 'incremental': only the contacts changed since the last evaluation.
    mode              text        CHECK (mode IN ('full', 'incremental')),
    entered           bigint,
    exited            bigint,
    contacts_count    bigint,
    duration_ms       bigint,
    error_message     text
);
CREATE INDEX segment_evaluation_segment ON segment_evaluation (segment_id, id DESC);
CREATE INDEX segment_evaluation_execution ON segment_evaluation (job_execution_id);
CREATE INDEX segment_evaluation_manual ON segment_evaluation (as_of) WHERE trigger = 'manual';
