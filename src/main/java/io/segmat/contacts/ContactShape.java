package io.segmat.contacts;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.segmat.CsvCells;
import io.segmat.fields.CustomField;
import io.segmat.ingest.ImportJson;
import io.segmat.query.ContactColumn;
import io.segmat.query.FieldType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a contact is written out, given the account's custom fields: SendGrid's contact
 * object (ContactDetails3), the line of a JSON export, and the CSV export's columns.
 * <p>
 * The object follows the segments sample's contact: unset identifiers (phone_number_id,
 * external_id, anonymous_id) are left out, other unset text fields read {@code ""},
 * custom fields are keyed by name, a Date as an ISO-8601 UTC instant.
 * <p>
 * The CSV columns are the import's field names, so a spreadsheet user recognizes them:
 * {@code email}, the reserved text fields, {@code alternate_emails} and {@code list_ids}
 * ({@code ;}-separated, as the import reads them), then what only segmat sets
 * ({@code created_at}, {@code updated_at}, {@code contact_id}), then the custom fields by
 * name, in the order they were defined; SendGrid's own export puts them in that order.
 */
final class ContactShape {

	private static final Set<ContactColumn> OMITTED_WHEN_UNSET = Set.of(ContactColumn.PHONE_NUMBER_ID,
			ContactColumn.EXTERNAL_ID, ContactColumn.ANONYMOUS_ID);

	private final List<CustomField> fields;

	ContactShape(List<CustomField> fields) {
		this.fields = List.copyOf(fields);
	}

	ObjectNode json(ExportedContact contact) {
		ObjectNode object = ImportJson.MAPPER.createObjectNode();
		object.put("id", contact.id());
		object.put("email", contact.email());
		List<ContactColumn> columns = ContactColumn.writableText();
		for (int i = 0; i < columns.size(); i++) {
			String value = contact.text().get(i);
			if (value != null || !OMITTED_WHEN_UNSET.contains(columns.get(i))) {
				object.put(columns.get(i).fieldName(), (value != null) ? value : "");
			}
		}
		ArrayNode alternates = object.putArray("alternate_emails");
		contact.alternateEmails().forEach(alternates::add);
		ArrayNode lists = object.putArray("list_ids");
		contact.listIds().forEach(lists::add);
		ObjectNode custom = object.putObject("custom_fields");
		JsonNode stored = ImportJson.MAPPER.readTree(contact.customFields());
		for (CustomField field : this.fields) {
			JsonNode value = stored.get(field.id());
			if (value != null && !value.isNull()) {
				if (field.type() == FieldType.DATE) {
					custom.put(field.name(), date(value));
				}
				else {
					custom.set(field.name(), value);
				}
			}
		}
		object.put("created_at", timestamp(contact.createdAt()));
		object.put("updated_at", timestamp(contact.updatedAt()));
		return object;
	}

	List<String> csvHeader() {
		List<String> header = new ArrayList<>();
		header.add(ContactColumn.EMAIL.fieldName());
		ContactColumn.writableText().forEach((column) -> header.add(column.fieldName()));
		header.add(ContactColumn.ALTERNATE_EMAILS.fieldName());
		header.add(ContactColumn.LIST_IDS.fieldName());
		header.add(ContactColumn.CREATED_AT.fieldName());
		header.add(ContactColumn.UPDATED_AT.fieldName());
		header.add(ContactColumn.CONTACT_ID.fieldName());
		this.fields.forEach((field) -> header.add(field.name()));
		return header;
	}

	/** The cells of {@link #csvHeader()}; with {@code escapeFormulas}, formula-safe. */
	List<String> csvRow(ExportedContact contact, boolean escapeFormulas) {
		List<String> row = new ArrayList<>();
		row.add(contact.email());
		row.addAll(contact.text());
		row.add(String.join(";", contact.alternateEmails()));
		row.add(String.join(";", contact.listIds()));
		row.add(timestamp(contact.createdAt()));
		row.add(timestamp(contact.updatedAt()));
		row.add(contact.id());
		JsonNode stored = ImportJson.MAPPER.readTree(contact.customFields());
		for (CustomField field : this.fields) {
			JsonNode value = stored.get(field.id());
			if (value == null || value.isNull()) {
				row.add(null);
			}
			else if (field.type() == FieldType.DATE) {
				row.add(date(value));
			}
			else {
				// plain digits, as the import reads them: 1E-7 is for programs, not
				// people
				row.add(value.isNumber() ? value.decimalValue().toPlainString() : value.asString());
			}
		}
		if (escapeFormulas) {
			row.replaceAll(CsvCells::formulaSafe);
		}
		return row;
	}

	/** Dates are stored as epoch seconds. */
	private static String date(JsonNode epochSeconds) {
		return timestamp(Instant.ofEpochSecond(epochSeconds.asLong()));
	}

	static String timestamp(Instant instant) {
		return instant.truncatedTo(ChronoUnit.SECONDS).toString();
	}

}
