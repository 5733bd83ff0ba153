-- The import's bulk path.
--
-- list_member loses its foreign keys. Their per-row checks (a locking look-up of the contact and
-- of the list for every membership written) cost about a quarter of importing new contacts, and
-- they stood in the way of copying new contacts' memberships straight into the table. Their
-- cascades are done by hand now, as segment_member's always were: deleting a contact deletes its
-- memberships (ContactDeletion), deleting a list deletes its own (ContactLists.delete). Writers
-- that add a membership lock the list (and an existing contact) FOR KEY SHARE first, as the
-- foreign key did, so that a concurrent deletion never leaves a membership behind.
ALTER TABLE list_member DROP CONSTRAINT list_member_list_id_fkey;
ALTER TABLE list_member DROP CONSTRAINT list_member_contact_key_fkey;
