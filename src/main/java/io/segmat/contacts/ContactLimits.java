package io.segmat.contacts;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.segmat.query.ContactColumn;

/**
 * The writable reserved text fields and their length limits, taken from
 * {@link ContactColumn}. Custom Text values may be {@link #DEFAULT_MAX_LENGTH}
 * characters.
 */
final class ContactLimits {

	static final int DEFAULT_MAX_LENGTH = ContactColumn.DEFAULT_MAX_LENGTH;

	static final int EMAIL_MAX_LENGTH = ContactColumn.EMAIL.maxLength();

	static final int MAX_ALTERNATE_EMAILS = ContactColumn.MAX_ALTERNATE_EMAILS;

	/**
	 * The text columns in the order of the contact table. The order is part of the stored
	 * import digest, so it follows the table, not the API.
	 */
	static final List<String> TEXT_COLUMNS = ContactColumn.writableText()
		.stream()
		.map(ContactColumn::fieldName)
		.toList();

	/** Column name → maximum length. */
	static final Map<String, Integer> TEXT_FIELDS = ContactColumn.writableText()
		.stream()
		.collect(Collectors.toUnmodifiableMap(ContactColumn::fieldName, ContactColumn::maxLength));

	private ContactLimits() {
	}

}
