package io.segmat.query;

/**
 * The contacts a top-level condition selects, as a SELECT of {@code contact_key} that
 * does not read the contact table: the condition's own rows (list memberships, events)
 * are the plainest plan for it, where a semi-join from contact would walk every contact.
 * Only tables whose rows exist only for existing contacts qualify: email_event (its
 * foreign key cascades) and list_member (its cascade is done by hand, in the transaction
 * that deletes the contact).
 *
 * @param select the SELECT, with the same parameters in the same order as the condition
 * it stands for
 * @param unique whether it returns each key at most once
 */
record KeySet(Frag select, boolean unique) {
}
