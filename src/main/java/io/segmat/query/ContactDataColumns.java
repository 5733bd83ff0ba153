package io.segmat.query;

import java.util.Arrays;
import java.util.List;

/**
 * The column names of the language's two tables, for resolving and suggesting names:
 * contact_data's come from {@link ContactColumn}, event_data's are the language's own.
 */
final class ContactDataColumns {

	static final List<String> CONTACT_COLUMNS = Arrays.stream(ContactColumn.values())
		.map(ContactColumn::fieldName)
		.toList();

	static final List<String> EVENT_COLUMNS = List.of("contact_id", "event_source", "event_type", "timestamp",
			"event_timestamp", "data", "singlesend_id", "automation_id", "template_id", "url");

	private ContactDataColumns() {
	}

}
