package io.segmat.contacts;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.segmat.fields.CustomField;
import io.segmat.ingest.SourceRecord;
import io.segmat.ingest.Storable;
import io.segmat.query.ContactColumn;
import tools.jackson.databind.JsonNode;

/**
 * Checks one contact row against the field definitions and lists, and turns it into
 * storage form. It holds no state but what it was made with, so it may check rows ahead
 * of the step, in the reading thread; {@link ContactRowCounter} counts them as the step
 * takes them.
 */
final class ContactValidator {

	/** Reserved text field → its column in {@link ContactLimits#TEXT_COLUMNS}. */
	private static final Map<String, Integer> TEXT_COLUMN = new HashMap<>();

	static {
		for (int column = 0; column < ContactLimits.TEXT_COLUMNS.size(); column++) {
			TEXT_COLUMN.put(ContactLimits.TEXT_COLUMNS.get(column), column);
		}
	}

	/** Deliberately loose, like SendGrid's: one @, no spaces, a dot in the domain. */
	private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");

	private final Map<String, CustomField> fieldsByIdOrName;

	private final Map<String, CustomField> fieldsByName;

	/** The ids of the lists that exist, in canonical form. */
	private final Set<String> listIds;

	private final String importListId;

	ContactValidator(List<CustomField> fields, Set<UUID> listIds, UUID importListId) {
		this.fieldsByIdOrName = new HashMap<>();
		this.fieldsByName = new HashMap<>();
		for (CustomField field : fields) {
			this.fieldsByIdOrName.putIfAbsent(field.name(), field);
			this.fieldsByName.put(field.name().toLowerCase(Locale.ROOT), field);
		}
		// An id wins over a name that looks like one, as it did when ids were looked up
		// first.
		for (CustomField field : fields) {
			this.fieldsByIdOrName.put(field.id(), field);
		}
		this.listIds = new HashSet<>();
		listIds.forEach((id) -> this.listIds.add(id.toString()));
		this.importListId = (importListId != null) ? importListId.toString() : null;
	}

	/** The row in storage form, or why it is rejected. */
	CheckedRow check(SourceRecord record) {
		if (!record.readable()) {
			return CheckedRow.rejected(record.line(), null, record.error());
		}
		try {
			return CheckedRow.valid(toRow(record.line(), record.value()));
		}
		catch (RowRejected ex) {
			return CheckedRow.rejected(record.line(), ex.field, ex.getMessage());
		}
	}

	private ContactRow toRow(long line, JsonNode value) {
		if (!value.isObject()) {
			throw new RowRejected(null, "a contact must be a JSON object");
		}
		JsonNode emailNode = value.get("email");
		if (emailNode == null || emailNode.isNull() || !emailNode.isString() || emailNode.stringValue().isBlank()) {
			throw new RowRejected("email", "email is required");
		}
		ContactRow row = new ContactRow(line, checkEmail("email", emailNode.stringValue()));
		for (Map.Entry<String, JsonNode> entry : value.properties()) {
			String name = entry.getKey();
			JsonNode field = entry.getValue();
			switch (name) {
				case "email" -> {
				}
				case "alternate_emails" -> alternateEmails(field, row);
				case "list_ids" -> listIds(field, row);
				case "custom_fields" -> customFields(field, row);
				default -> {
					Integer column = TEXT_COLUMN.get(name);
					if (column == null) {
						throw new RowRejected(name, "unknown field '" + name + "'");
					}
					row.text(column, text(name, field, ContactColumn.writableText().get(column).maxLength()));
				}
			}
		}
		if (this.importListId != null) {
			row.listId(this.importListId);
		}
		return row;
	}

	private void alternateEmails(JsonNode field, ContactRow row) {
		if (field.isNull()) {
			row.alternateEmails(null);
			return;
		}
		if (!field.isArray()) {
			throw new RowRejected("alternate_emails", "alternate_emails must be an array of emails");
		}
		if (field.size() > ContactColumn.MAX_ALTERNATE_EMAILS) {
			throw new RowRejected("alternate_emails",
					"alternate_emails may hold at most " + ContactColumn.MAX_ALTERNATE_EMAILS + " emails");
		}
		Set<String> emails = new LinkedHashSet<>();
		for (JsonNode element : field) {
			if (!element.isString()) {
				throw new RowRejected("alternate_emails", "alternate_emails must be an array of emails");
			}
			emails.add(checkEmail("alternate_emails", element.stringValue()));
		}
		row.alternateEmails(List.copyOf(emails));
	}

	private void listIds(JsonNode field, ContactRow row) {
		if (field.isNull()) {
			return;
		}
		if (!field.isArray()) {
			throw new RowRejected("list_ids", "list_ids must be an array of list ids");
		}
		for (JsonNode element : field) {
			String text = element.isString() ? element.stringValue().trim() : element.toString();
			// Most ids arrive in canonical form: looked up as given, they need no
			// parsing.
			String id = this.listIds.contains(text) ? text : canonical(text);
			if (id == null || !this.listIds.contains(id)) {
				throw new RowRejected("list_ids", "unknown list id '" + text + "'");
			}
			row.listId(id);
		}
	}

	private static String canonical(String uuid) {
		try {
			return UUID.fromString(uuid).toString();
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private void customFields(JsonNode field, ContactRow row) {
		if (field.isNull()) {
			return;
		}
		if (!field.isObject()) {
			throw new RowRejected("custom_fields", "custom_fields must be an object");
		}
		row.givesCustomFields();
		for (Map.Entry<String, JsonNode> entry : field.properties()) {
			// By id, by name as defined, else by name in any case: the last costs a
			// lower-casing per value.
			CustomField definition = this.fieldsByIdOrName.get(entry.getKey());
			if (definition == null) {
				definition = this.fieldsByName.get(entry.getKey().toLowerCase(Locale.ROOT));
			}
			if (definition == null) {
				throw new RowRejected(entry.getKey(), "unknown field '" + entry.getKey() + "'");
			}
			JsonNode value = entry.getValue();
			if (value.isNull() || (value.isString() && value.stringValue().isEmpty())) {
				row.customField(definition.id(), null);
				continue;
			}
			switch (definition.fieldType()) {
				case "Number" -> row.customField(definition.id(), number(definition.name(), value));
				case "Date" -> row.customField(definition.id(), epochSeconds(definition.name(), value));
				default ->
					row.customField(definition.id(), text(definition.name(), value, ContactColumn.DEFAULT_MAX_LENGTH));
			}
		}
	}

	private static String text(String name, JsonNode value, int max) {
		if (value.isNull()) {
			return null;
		}
		if (!value.isValueNode()) {
			throw new RowRejected(name, name + " must be text");
		}
		String text = value.isString() ? value.stringValue() : value.asString();
		if (text.codePointCount(0, text.length()) > max) {
			throw new RowRejected(name, name + " is longer than " + max + " characters");
		}
		storable(name, text);
		return text.isEmpty() ? null : text;
	}

	/**
	 * A Long when the value is a whole JSON number: the same JSON number, without a
	 * BigDecimal's cost.
	 */
	private static Object number(String name, JsonNode value) {
		if (value.isIntegralNumber() && value.canConvertToLong()) {
			return value.longValue();
		}
		BigDecimal number = null;
		if (value.isNumber()) {
			try {
				number = value.decimalValue();
			}
			catch (RuntimeException ex) {
				// NaN or an infinity, read as a double: reported below
			}
		}
		else if (value.isString()) {
			try {
				number = new BigDecimal(value.stringValue().trim());
			}
			catch (NumberFormatException ex) {
				// reported below
			}
		}
		if (number == null) {
			throw new RowRejected(name, name + " must be a number, not " + shown(value));
		}
		String problem = Storable.numberProblem(number);
		if (problem != null) {
			throw new RowRejected(name, name + " " + problem + ", not " + shown(value));
		}
		return number;
	}

	/**
	 * ISO-8601 date (midnight UTC) or date-time (UTC without an offset); a number is
	 * epoch seconds.
	 */
	private static long epochSeconds(String name, JsonNode value) {
		long seconds = parseEpochSeconds(name, value);
		String problem = Storable.epochSecondProblem(seconds);
		if (problem != null) {
			throw new RowRejected(name, name + " " + problem + ", not " + shown(value));
		}
		return seconds;
	}

	private static long parseEpochSeconds(String name, JsonNode value) {
		if (value.isIntegralNumber() && value.canConvertToLong()) {
			return value.longValue();
		}
		if (value.isString()) {
			String text = value.stringValue().trim();
			long plain = plainEpochSeconds(text);
			if (plain != NOT_PLAIN) {
				return plain;
			}
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
		throw new RowRejected(name, name + " must be an ISO-8601 date or date-time, not " + shown(value));
	}

	private static final long NOT_PLAIN = Long.MIN_VALUE;

	/**
	 * The two forms nearly every file uses, yyyy-MM-dd and yyyy-MM-ddTHH:mm:ssZ, read
	 * without a formatter, which costs more than the rest of a row's checks. Anything
	 * else, out-of-range values included, is {@link #NOT_PLAIN} and left to the
	 * formatters to read or reject.
	 */
	private static long plainEpochSeconds(String text) {
		int length = text.length();
		boolean dateTime = length == 20 && (text.charAt(10) == 'T' || text.charAt(10) == 't') && text.charAt(13) == ':'
				&& text.charAt(16) == ':' && (text.charAt(19) == 'Z' || text.charAt(19) == 'z');
		if ((length != 10 && !dateTime) || text.charAt(4) != '-' || text.charAt(7) != '-') {
			return NOT_PLAIN;
		}
		int year = digits(text, 0, 4);
		int month = digits(text, 5, 7);
		int day = digits(text, 8, 10);
		if (year < 0 || month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year))) {
			return NOT_PLAIN;
		}
		long seconds = LocalDate.of(year, month, day).toEpochDay() * 86_400;
		if (!dateTime) {
			return seconds;
		}
		int hour = digits(text, 11, 13);
		int minute = digits(text, 14, 16);
		int second = digits(text, 17, 19);
		if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
			return NOT_PLAIN;
		}
		return seconds + hour * 3_600L + minute * 60L + second;
	}

	/**
	 * The decimal number in text[from, to), or -1 if anything there is not an ASCII
	 * digit.
	 */
	private static int digits(String text, int from, int to) {
		int number = 0;
		for (int i = from; i < to; i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			number = number * 10 + (c - '0');
		}
		return number;
	}

	private static String checkEmail(String name, String raw) {
		String email = raw.trim().toLowerCase(Locale.ROOT);
		if (email.length() > ContactColumn.EMAIL_MAX_LENGTH) {
			throw new RowRejected(name, name + " is longer than " + ContactColumn.EMAIL_MAX_LENGTH + " characters");
		}
		storable(name, email);
		if (!EMAIL.matcher(email).matches()) {
			throw new RowRejected(name, "invalid email '" + raw + "'");
		}
		return email;
	}

	private static void storable(String name, String text) {
		String problem = Storable.textProblem(text);
		if (problem != null) {
			throw new RowRejected(name, name + " " + problem);
		}
	}

	private static String shown(JsonNode value) {
		String text = value.toString();
		return (text.length() > 40) ? text.substring(0, 40) + "..." : text;
	}

	/** A row's problem; never leaves this class. */
	private static final class RowRejected extends RuntimeException {

		private final String field;

		RowRejected(String field, String message) {
			super(message, null, false, false);
			this.field = field;
		}

	}

}
