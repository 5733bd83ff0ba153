/**
 * Contacts in and out: the {@code contactImportJob} (CSV or NDJSON, checked row by row,
 * upserted by lower-cased email a chunk at a time, with a stored digest so that an
 * unchanged row is never written again) and the {@code contactDeletionJob}.
 * <p>
 * Public face: {@link io.segmat.contacts.ContactImporter} and
 * {@link io.segmat.contacts.ContactDeleter}, which run the jobs, the
 * {@link io.segmat.contacts.ImportReport} of an import, and
 * {@link io.segmat.contacts.ContactJson}, a contact as the API answers it. Every write
 * takes part in the change sequence ({@code db.ChangeSequence}), so the refresh sees it.
 */
package io.segmat.contacts;
