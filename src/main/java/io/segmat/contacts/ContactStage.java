package io.segmat.contacts;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The temporary table a chunk of contacts is copied into before ContactWriter's
 * statements upsert it, and the COPY text that fills it. Rows are usually encoded ahead,
 * in the reading thread; one instance serves one thread.
 * <p>
 * Each staged row carries {@code row_hash}, a digest of everything after it on its line:
 * the fields the row gave and their values, its alternate emails, its custom fields and
 * its lists. Two rows with the same digest write the same thing. {@code contact_key} is
 * the writer's look-up of the email (null: a new contact), added in front of the line as
 * it is copied.
 */
final class ContactStage {

	private static final List<String> TEXT = ContactLimits.TEXT_COLUMNS;

	// ON COMMIT DELETE ROWS: each chunk starts empty, and other transactions of the
	// session pay nothing for it.
	private static final String CREATE = """
			CREATE TEMP TABLE IF NOT EXISTS contact_import_stage (
			    contact_key      bigint,
			    source_line      bigint  NOT NULL,
			    email            text    NOT NULL,
			    row_hash         bytea   NOT NULL,
			    given            int     NOT NULL,
			    %s,
			    alternate_emails text[],
			    email_domains    text[]  NOT NULL,
			    custom_fields    jsonb,
			    list_ids         uuid[]
			) ON COMMIT DELETE ROWS
			""".formatted(TEXT.stream().map((c) -> c + " text").collect(Collectors.joining(", ")));

	private static final String COPY = "COPY contact_import_stage (contact_key, source_line, email, row_hash, given, "
			+ String.join(", ", TEXT) + ", alternate_emails, email_domains, custom_fields, list_ids) FROM STDIN";

	/**
	 * 16 of SHA-256's bytes: an accidental collision among billions of rows stays out of
	 * reach.
	 */
	private static final int HASH_BYTES = 16;

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private final MessageDigest digest;

	ContactStage() {
		try {
			this.digest = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Copies {@code rows}, encoded by {@link #line}, into the stage, each with its
	 * contact key, null for a new contact. The stage is the session's, made on its first
	 * use; its rows go with the transaction, or with {@code clear}.
	 */
	static void copy(Connection connection, List<ContactRow> rows, List<Long> contactKeys, boolean clear)
			throws SQLException {
		try (Statement create = connection.createStatement()) {
			create.execute(CREATE);
			if (clear) {
				// Another part of the chunk was staged in this transaction.
				create.execute("DELETE FROM contact_import_stage");
			}
		}
		CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
		try {
			byte[] buffer = new byte[1 << 16];
			int length = 0;
			for (int i = 0; i < rows.size(); i++) {
				Long key = contactKeys.get(i);
				byte[] head = (((key != null) ? key.toString() : "\\N") + "\t").getBytes(StandardCharsets.US_ASCII);
				byte[] line = rows.get(i).staged().bytes();
				if (length + head.length + line.length > buffer.length) {
					copy.writeToCopy(buffer, 0, length);
					length = 0;
				}
				if (head.length + line.length > buffer.length) {
					copy.writeToCopy(head, 0, head.length);
					copy.writeToCopy(line, 0, line.length);
					continue;
				}
				System.arraycopy(head, 0, buffer, length, head.length);
				length += head.length;
				System.arraycopy(line, 0, buffer, length, line.length);
				length += line.length;
			}
			copy.writeToCopy(buffer, 0, length);
			copy.endCopy();
		}
		finally {
			if (copy.isActive()) {
				copy.cancelCopy();
			}
		}
	}

	/**
	 * The row in COPY's text format from source_line on, newline included, and its
	 * digest.
	 */
	Line line(ContactRow row) {
		// Builders are new for every row: one that held a non-Latin-1 character stays
		// twice as wide for good.
		StringBuilder out = new StringBuilder(512);
		out.append(row.given());
		for (int column = 0; column < TEXT.size(); column++) {
			out.append('\t');
			copyText(row.text(column), out);
		}
		out.append('\t');
		textArray(row.alternateEmails(), out);
		out.append('\t');
		textArray(row.emailDomains(), out);
		out.append('\t');
		customFields(row.customFields(), out);
		out.append('\t');
		if (row.listIds() == null) {
			out.append("\\N");
		}
		else {
			// Canonical uuids: nothing in them needs quoting.
			out.append('{').append(String.join(",", row.listIds())).append('}');
		}
		out.append('\n');
		byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
		byte[] digest = this.digest.digest(body);
		char[] hash = new char[2 * HASH_BYTES];
		for (int i = 0; i < HASH_BYTES; i++) {
			hash[2 * i] = HEX[(digest[i] >> 4) & 0xF];
			hash[2 * i + 1] = HEX[digest[i] & 0xF];
		}
		StringBuilder head = new StringBuilder(96);
		head.append(row.line()).append('\t');
		copyText(row.email(), head);
		head.append("\t\\\\x").append(hash).append('\t');
		byte[] prefix = head.toString().getBytes(StandardCharsets.UTF_8);
		byte[] line = new byte[prefix.length + body.length];
		System.arraycopy(prefix, 0, line, 0, prefix.length);
		System.arraycopy(body, 0, line, prefix.length, body.length);
		return new Line(line, new String(hash));
	}

	/** A row's COPY line and its digest in hex. */
	// A carrier from staging to COPY, never compared, hashed or printed: the array's
	// identity equality cannot mislead anyone.
	@SuppressWarnings("ArrayRecordComponent")
	record Line(byte[] bytes, String hash) {
	}

	private static void textArray(Collection<String> values, StringBuilder out) {
		if (values == null) {
			out.append("\\N");
			return;
		}
		StringBuilder literal = new StringBuilder(64);
		literal.append('{');
		for (String value : values) {
			if (literal.length() > 1) {
				literal.append(',');
			}
			literal.append('"');
			for (int i = 0; i < value.length(); i++) {
				char c = value.charAt(i);
				if (c == '"' || c == '\\') {
					literal.append('\\');
				}
				literal.append(c);
			}
			literal.append('"');
		}
		copyText(literal.append('}'), out);
	}

	/** The JSON object custom_fields receives; a null value clears the field. */
	private static void customFields(Map<String, Object> fields, StringBuilder out) {
		if (fields == null) {
			out.append("\\N");
			return;
		}
		StringBuilder json = new StringBuilder(128);
		json.append('{');
		for (Map.Entry<String, Object> field : fields.entrySet()) {
			if (json.length() > 1) {
				json.append(',');
			}
			jsonString(field.getKey(), json);
			json.append(':');
			Object value = field.getValue();
			if (value == null) {
				json.append("null");
			}
			else if (value instanceof String text) {
				jsonString(text, json);
			}
			else if (value instanceof BigDecimal number) {
				json.append(number.toString());
			}
			else {
				json.append((long) (Long) value);
			}
		}
		copyText(json.append('}'), out);
	}

	private static void jsonString(String text, StringBuilder json) {
		json.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				case '\n' -> json.append("\\n");
				case '\r' -> json.append("\\r");
				case '\t' -> json.append("\\t");
				default -> {
					if (c < 0x20) {
						json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
					}
					else {
						json.append(c);
					}
				}
			}
		}
		json.append('"');
	}

	/**
	 * COPY's text format: NULL is \N; backslash and the characters COPY reads as
	 * structure are escaped.
	 */
	private static void copyText(CharSequence text, StringBuilder out) {
		if (text == null) {
			out.append("\\N");
			return;
		}
		int plain = 0;
		while (plain < text.length() && !needsEscape(text.charAt(plain))) {
			plain++;
		}
		// Most values have nothing to escape: one bulk append.
		if (plain == text.length()) {
			out.append(text);
			return;
		}
		out.append(text, 0, plain);
		for (int i = plain; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '\\' -> out.append("\\\\");
				case '\t' -> out.append("\\t");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				default -> out.append(c);
			}
		}
	}

	private static boolean needsEscape(char c) {
		return c == '\\' || c == '\t' || c == '\n' || c == '\r';
	}

}
