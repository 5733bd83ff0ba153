package io.segmat.query;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The columns of contact_data and event_data that the language knows, and the shape of a
 * custom field's id. Kept in one place so that a shared public description of the contact
 * columns can replace it without touching the compiler's units.
 */
final class ContactDataColumns {

	/** The contact columns that are plain text, to the SQL that reads them. */
	static final Map<String, String> CONTACT_TEXT_COLUMNS;

	static {
		Map<String, String> text = new LinkedHashMap<>();
		for (String name : List.of("email", "phone_number_id", "external_id", "anonymous_id", "first_name", "last_name",
				"address_line_1", "address_line_2", "city", "state_province_region", "postal_code", "country",
				"phone_number", "whatsapp", "line", "facebook", "unique_name")) {
			text.put(name, "c." + name);
		}
		CONTACT_TEXT_COLUMNS = java.util.Collections.unmodifiableMap(text);
	}

	static final List<String> CONTACT_COLUMNS = List.of("contact_id", "email", "phone_number_id", "external_id",
			"anonymous_id", "first_name", "last_name", "alternate_emails", "address_line_1", "address_line_2", "city",
			"state_province_region", "postal_code", "country", "phone_number", "whatsapp", "line", "facebook",
			"unique_name", "list_ids", "email_domains", "created_at", "updated_at");

	static final List<String> EVENT_COLUMNS = List.of("contact_id", "event_source", "event_type", "timestamp",
			"event_timestamp", "data", "singlesend_id", "automation_id", "template_id", "url");

	/** A custom field's id as segmat issues them: e, a number, _, and T, N or D. */
	static final Pattern FIELD_ID = Pattern.compile("e[0-9]+_[TND]");

	private ContactDataColumns() {
	}

}
