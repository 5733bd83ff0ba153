-- The import's fast path for unchanged rows.
--
-- import_hash is a digest of the last import row whose values and lists a contact is known to
-- hold in full (see ContactWriter). A row with the same digest would change nothing, so the
-- import skips it without comparing columns. NULL means "unknown": existing contacts, and any
-- contact that lost something since (a list of it was deleted); the next import of an unchanged
-- row fills it in. A writer that takes values or memberships away from a contact must clear it.
ALTER TABLE contact ADD COLUMN import_hash bytea;
