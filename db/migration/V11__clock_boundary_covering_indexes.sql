-- A clock segment's evaluation names the contacts a moving bound swept past since its last
-- run (V5): a range of these indexes, of which it needs only contact_key. Carrying it in the
-- index makes the range an index-only scan; without it, each swept row is a heap fetch,
-- and at 1,000,000 contacts the few hundred events an hour moves past a 30-day bound cost
-- 3-4 ms in heap pages (twice per evaluation: its candidate count, then its rewrite), against
-- 0.1-0.2 ms from the index alone.
CREATE INDEX email_event_type_time_contact ON email_event (event_type, occurred_at) INCLUDE (contact_key);
DROP INDEX email_event_type_time;
ALTER INDEX email_event_type_time_contact RENAME TO email_event_type_time;

CREATE INDEX contact_created_at_contact ON contact (created_at) INCLUDE (contact_key);
DROP INDEX contact_created_at;
ALTER INDEX contact_created_at_contact RENAME TO contact_created_at;

-- The Date custom fields' indexes (V5) stay as they are: their key is an expression over
-- custom_fields, and PostgreSQL reads such an index alone only when the query needs no
-- column outside it, custom_fields included.
