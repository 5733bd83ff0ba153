package io.segmat.contacts;

import java.util.List;

import io.segmat.query.ContactColumn;

/** The writable reserved text fields, in the order a contact row keeps them. */
final class ContactLimits {

	/**
	 * The text columns in the order of the contact table. The order is part of the stored
	 * import digest, so it follows the table, not the API.
	 */
	static final List<String> TEXT_COLUMNS = ContactColumn.writableText()
		.stream()
		.map(ContactColumn::fieldName)
		.toList();

	private ContactLimits() {
	}

}
