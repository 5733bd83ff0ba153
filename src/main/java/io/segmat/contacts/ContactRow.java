package io.segmat.contacts;

import tools.jackson.databind.node.ObjectNode;

/**
 * A validated contact row ready to be written: {@code values} holds only the fields the row
 * gave (a field it left out keeps its stored value), in storage form: email lower-case,
 * custom_fields keyed by field id, email_domains derived, list_ids as uuids.
 */
record ContactRow(long line, String email, ObjectNode values) {
}
