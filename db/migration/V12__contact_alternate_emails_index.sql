-- The lookup by email (POST /v3/marketing/contacts/search/emails) finds an address among
-- the contacts' alternate emails with `alternate_emails && ARRAY[...]`. Without an index
-- that was a pass over every contact, whose cost grows with the contacts.
-- Only contacts that have alternates are indexed (the import stores none as NULL), so an
-- import of contacts without them pays nothing; the operator is strict, which lets the
-- planner use the partial index for it.
CREATE INDEX contact_alternate_emails ON contact USING gin (alternate_emails) WHERE alternate_emails IS NOT NULL;
