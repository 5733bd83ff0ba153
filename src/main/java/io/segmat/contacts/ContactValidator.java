package io.segmat.contacts;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.segmat.fields.CustomField;
import io.segmat.ingest.ImportJson;
import io.segmat.ingest.ImportTally;
import io.segmat.ingest.SourceRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Checks one contact row against the field definitions and lists, and turns it into storage
 * form. A bad row is counted and reported with its line, and filtered out of the chunk, so the
 * good rows of the same chunk still land.
 */
class ContactValidator implements ItemProcessor<SourceRecord, ContactRow> {

	static final String READ = "read";

	static final String SKIPPED = "skipped";

	/** Deliberately loose, like SendGrid's: one @, no spaces, a dot in the domain. */
	private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");

	private final Map<String, CustomField> fieldsById;

	private final Map<String, CustomField> fieldsByName;

	private final Set<UUID> listIds;

	private final UUID importListId;

	private final ImportTally tally;

	ContactValidator(List<CustomField> fields, Set<UUID> listIds, UUID importListId, ImportTally tally) {
		this.fieldsById = new java.util.HashMap<>();
		this.fieldsByName = new java.util.HashMap<>();
		for (CustomField field : fields) {
			this.fieldsById.put(field.id(), field);
			this.fieldsByName.put(field.name().toLowerCase(Locale.ROOT), field);
		}
		this.listIds = Set.copyOf(listIds);
		this.importListId = importListId;
		this.tally = tally;
	}

	@Override
	public ContactRow process(SourceRecord record) {
		this.tally.increment(READ);
		if (!record.readable()) {
			this.tally.reject(SKIPPED, record.line(), record.error());
			return null;
		}
		try {
			return toRow(record.line(), record.value());
		}
		catch (RowRejected ex) {
			this.tally.reject(SKIPPED, record.line(), ex.getMessage());
			return null;
		}
	}

	private ContactRow toRow(long line, JsonNode value) {
		if (!value.isObject()) {
			throw new RowRejected("a contact must be a JSON object");
		}
		JsonNode emailNode = value.get("email");
		if (emailNode == null || emailNode.isNull() || !emailNode.isString() || emailNode.stringValue().isBlank()) {
			throw new RowRejected("email is required");
		}
		String email = checkEmail("email", emailNode.stringValue());
		ObjectNode out = ImportJson.MAPPER.createObjectNode();
		out.put("email", email);
		Set<String> domains = new LinkedHashSet<>();
		domains.add(domain(email));
		Set<String> lists = new LinkedHashSet<>();
		for (Map.Entry<String, JsonNode> entry : value.properties()) {
			String name = entry.getKey();
			JsonNode field = entry.getValue();
			switch (name) {
				case "email" -> {
				}
				case "alternate_emails" -> alternateEmails(field, out, domains);
				case "list_ids" -> listIds(field, lists);
				case "custom_fields" -> customFields(field, out);
				default -> {
					Integer max = ContactLimits.TEXT_FIELDS.get(name);
					if (max == null) {
						throw new RowRejected("unknown field '" + name + "'");
					}
					out.put(name, text(name, field, max));
				}
			}
		}
		ArrayNode domainArray = out.putArray("email_domains");
		domains.forEach(domainArray::add);
		if (this.importListId != null) {
			lists.add(this.importListId.toString());
		}
		if (!lists.isEmpty()) {
			ArrayNode listArray = out.putArray("list_ids");
			lists.forEach(listArray::add);
		}
		return new ContactRow(line, email, out);
	}

	private void alternateEmails(JsonNode field, ObjectNode out, Set<String> domains) {
		if (field.isNull()) {
			out.putNull("alternate_emails");
			return;
		}
		if (!field.isArray()) {
			throw new RowRejected("alternate_emails must be an array of emails");
		}
		if (field.size() > ContactLimits.MAX_ALTERNATE_EMAILS) {
			throw new RowRejected("alternate_emails may hold at most " + ContactLimits.MAX_ALTERNATE_EMAILS + " emails");
		}
		Set<String> emails = new LinkedHashSet<>();
		for (JsonNode element : field) {
			if (!element.isString()) {
				throw new RowRejected("alternate_emails must be an array of emails");
			}
			String email = checkEmail("alternate_emails", element.stringValue());
			emails.add(email);
			domains.add(domain(email));
		}
		if (emails.isEmpty()) {
			out.putNull("alternate_emails");
		}
		else {
			ArrayNode array = out.putArray("alternate_emails");
			emails.forEach(array::add);
		}
	}

	private void listIds(JsonNode field, Set<String> lists) {
		if (field.isNull()) {
			return;
		}
		if (!field.isArray()) {
			throw new RowRejected("list_ids must be an array of list ids");
		}
		for (JsonNode element : field) {
			String text = element.isString() ? element.stringValue().trim() : element.toString();
			UUID id;
			try {
				id = UUID.fromString(text);
			}
			catch (IllegalArgumentException ex) {
				throw new RowRejected("unknown list id '" + text + "'");
			}
			if (!this.listIds.contains(id)) {
				throw new RowRejected("unknown list id '" + text + "'");
			}
			lists.add(id.toString());
		}
	}

	private void customFields(JsonNode field, ObjectNode out) {
		if (field.isNull()) {
			return;
		}
		if (!field.isObject()) {
			throw new RowRejected("custom_fields must be an object");
		}
		ObjectNode values = out.putObject("custom_fields");
		for (Map.Entry<String, JsonNode> entry : field.properties()) {
			CustomField definition = this.fieldsById.get(entry.getKey());
			if (definition == null) {
				definition = this.fieldsByName.get(entry.getKey().toLowerCase(Locale.ROOT));
			}
			if (definition == null) {
				throw new RowRejected("unknown field '" + entry.getKey() + "'");
			}
			JsonNode value = entry.getValue();
			if (value.isNull() || (value.isString() && value.stringValue().isEmpty())) {
				values.putNull(definition.id());
				continue;
			}
			switch (definition.fieldType()) {
				case "Number" -> values.put(definition.id(), number(definition.name(), value));
				case "Date" -> values.put(definition.id(), epochSeconds(definition.name(), value));
				default -> values.put(definition.id(), text(definition.name(), value, ContactLimits.DEFAULT_MAX_LENGTH));
			}
		}
	}

	private static String text(String name, JsonNode value, int max) {
		if (value.isNull()) {
			return null;
		}
		if (!value.isValueNode()) {
			throw new RowRejected(name + " must be text");
		}
		String text = value.isString() ? value.stringValue() : value.asString();
		if (text.codePointCount(0, text.length()) > max) {
			throw new RowRejected(name + " is longer than " + max + " characters");
		}
		return text.isEmpty() ? null : text;
	}

	private static BigDecimal number(String name, JsonNode value) {
		if (value.isNumber()) {
			return value.decimalValue();
		}
		if (value.isString()) {
			try {
				return new BigDecimal(value.stringValue().trim());
			}
			catch (NumberFormatException ex) {
				// reported below
			}
		}
		throw new RowRejected(name + " must be a number, not " + shown(value));
	}

	/** ISO-8601 date (midnight UTC) or date-time (UTC without an offset); a number is epoch seconds. */
	private static long epochSeconds(String name, JsonNode value) {
		if (value.isIntegralNumber() && value.canConvertToLong()) {
			return value.longValue();
		}
		if (value.isString()) {
			String text = value.stringValue().trim();
			try {
				if (text.length() == 10) {
					return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
				}
				if (text.endsWith("Z") || text.endsWith("z")) {
					return Instant.parse(text.toUpperCase(Locale.ROOT)).getEpochSecond();
				}
				try {
					return OffsetDateTime.parse(text).toEpochSecond();
				}
				catch (DateTimeParseException ex) {
					return LocalDateTime.parse(text).toEpochSecond(ZoneOffset.UTC);
				}
			}
			catch (DateTimeParseException ex) {
				// reported below
			}
		}
		throw new RowRejected(name + " must be an ISO-8601 date or date-time, not " + shown(value));
	}

	private static String checkEmail(String name, String raw) {
		String email = raw.trim().toLowerCase(Locale.ROOT);
		if (email.length() > ContactLimits.EMAIL_MAX_LENGTH) {
			throw new RowRejected(name + " is longer than " + ContactLimits.EMAIL_MAX_LENGTH + " characters");
		}
		if (!EMAIL.matcher(email).matches()) {
			throw new RowRejected("invalid email '" + raw + "'");
		}
		return email;
	}

	private static String domain(String email) {
		return email.substring(email.lastIndexOf('@') + 1);
	}

	private static String shown(JsonNode value) {
		String text = value.toString();
		return (text.length() > 40) ? text.substring(0, 40) + "..." : text;
	}

	/** A row's problem; never leaves this class. */
	private static final class RowRejected extends RuntimeException {

		RowRejected(String message) {
			super(message, null, false, false);
		}

	}

}
