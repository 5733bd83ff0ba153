/**
 * Contacts in and out: the {@code contactImportJob} (CSV or NDJSON, checked row by row,
 * upserted by lower-cased email a chunk at a time, new contacts copied straight into
 * their tables, with a stored digest so that an unchanged row is never written again),
 * the {@code contactDeletionJob}, and the {@code contactExportJob} (the contacts of lists
 * and segments, read through one cursor, written to CSV or NDJSON files split at a size
 * limit). {@code list_member} has no foreign keys: deleting a contact deletes its
 * memberships here, as deleting a list does in {@code lists}.
 * <p>
 * Public face: {@link io.segmat.contacts.ContactImporter},
 * {@link io.segmat.contacts.ContactDeleter} and
 * {@link io.segmat.contacts.ContactExporter}, which run the jobs, the
 * {@link io.segmat.contacts.ImportReport} of an import, the
 * {@link io.segmat.contacts.ContactExport} of an export, and
 * {@link io.segmat.contacts.ContactDetails}, one contact in SendGrid's shape, and
 * {@link io.segmat.contacts.ContactJson}, the SQL that builds that object for it, for
 * search and for a segment's sample. Every write takes part in the change sequence
 * ({@code db.ChangeSequence}), so the refresh sees it.
 */
package io.segmat.contacts;
