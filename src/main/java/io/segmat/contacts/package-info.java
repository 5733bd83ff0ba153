/**
 * Contacts in and out: the {@code contactImportJob} (CSV or NDJSON, checked row by row,
 * upserted by lower-cased email a chunk at a time, new contacts copied straight into
 * their tables, with a stored digest so that an unchanged row is never written again) and
 * the {@code contactDeletionJob}. {@code list_member} has no foreign keys: deleting a
 * contact deletes its memberships here, as deleting a list does in {@code lists}.
 * <p>
 * Public face: {@link io.segmat.contacts.ContactImporter} and
 * {@link io.segmat.contacts.ContactDeleter}, which run the jobs, and the
 * {@link io.segmat.contacts.ImportReport} of an import. Every write takes part in the
 * change sequence ({@code db.ChangeSequence}), so the refresh sees it.
 */
package io.segmat.contacts;
