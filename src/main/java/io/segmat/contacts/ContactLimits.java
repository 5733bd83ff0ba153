package io.segmat.contacts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writable reserved text fields and their length limits. Where SendGrid's
 * ContactRequest gives a maxLength it is used; other text, custom Text values included,
 * may be {@link #DEFAULT_MAX_LENGTH} characters.
 */
final class ContactLimits {

	static final int DEFAULT_MAX_LENGTH = 1000;

	static final int EMAIL_MAX_LENGTH = 254;

	static final int MAX_ALTERNATE_EMAILS = 5;

	/** Column name → maximum length, in the order of the contact table. */
	static final Map<String, Integer> TEXT_FIELDS;

	static {
		Map<String, Integer> fields = new LinkedHashMap<>();
		fields.put("phone_number_id", DEFAULT_MAX_LENGTH);
		fields.put("external_id", 254);
		fields.put("anonymous_id", 254);
		fields.put("first_name", 50);
		fields.put("last_name", 50);
		fields.put("address_line_1", 100);
		fields.put("address_line_2", 100);
		fields.put("city", 60);
		fields.put("state_province_region", 50);
		fields.put("postal_code", DEFAULT_MAX_LENGTH);
		fields.put("country", 50);
		fields.put("phone_number", DEFAULT_MAX_LENGTH);
		fields.put("whatsapp", DEFAULT_MAX_LENGTH);
		fields.put("line", DEFAULT_MAX_LENGTH);
		fields.put("facebook", DEFAULT_MAX_LENGTH);
		fields.put("unique_name", DEFAULT_MAX_LENGTH);
		TEXT_FIELDS = Map.copyOf(fields);
		TEXT_COLUMNS = List.copyOf(fields.keySet());
	}

	static final List<String> TEXT_COLUMNS;

	private ContactLimits() {
	}

}
