package io.segmat.contacts;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
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

	private static final String COPY_NEW = "COPY contact (contact_key, id, email, " + String.join(", ", TEXT)
			+ ", alternate_emails, email_domains, custom_fields, created_at, updated_at, change_seq, import_hash)"
			+ " FROM STDIN";

	private static final String COPY_MEMBERS = "COPY list_member (list_id, contact_key) FROM STDIN";

	private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.US_ASCII);

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
		try (CopyBuffer copy = new CopyBuffer(connection, COPY)) {
			for (int i = 0; i < rows.size(); i++) {
				Long key = contactKeys.get(i);
				copy.write((((key != null) ? key.toString() : "\\N") + "\t").getBytes(StandardCharsets.US_ASCII));
				copy.write(rows.get(i).staged().bytes());
			}
			copy.end();
		}
	}

	/**
	 * Copies new contacts, encoded by {@link #line}, straight into {@code contact}, and
	 * their lists into {@code list_member}: no stage, no statement per row, nothing but
	 * the rows and their indexes for PostgreSQL to write. {@code keys} are taken from
	 * contact_key's sequence, one a row; {@code now}, in COPY's text form, is their
	 * created_at and updated_at.
	 */
	static void copyNew(Connection connection, List<ContactRow> rows, long[] keys, long changeSeq, String now)
			throws SQLException {
		// created_at to the digest's escape: the same for every row
		byte[] common = ("\t" + now + "\t" + now + "\t" + changeSeq + "\t\\\\x").getBytes(StandardCharsets.US_ASCII);
		boolean anyList = false;
		try (CopyBuffer copy = new CopyBuffer(connection, COPY_NEW)) {
			StringBuilder head = new StringBuilder(128);
			for (int i = 0; i < rows.size(); i++) {
				ContactRow row = rows.get(i);
				Line line = row.staged();
				head.setLength(0);
				head.append(keys[i]).append('\t').append(UUID.randomUUID()).append('\t');
				copyText(row.email(), head);
				head.append('\t');
				copy.write(head.toString().getBytes(StandardCharsets.UTF_8));
				// the text columns to email_domains, each followed by its tab
				copy.write(line.bytes(), line.values(), line.custom() - line.values());
				Map<String, Object> fields = row.customFields();
				if (fields == null) {
					copy.write(EMPTY_OBJECT);
				}
				else if (!fields.containsValue(null)) {
					copy.write(line.bytes(), line.custom(), line.lists() - line.custom());
				}
				else {
					// A new contact stores no cleared field: what jsonb_strip_nulls left.
					Map<String, Object> stored = new LinkedHashMap<>(fields);
					stored.values().removeIf(Objects::isNull);
					StringBuilder json = new StringBuilder(128);
					customFields(stored, json);
					copy.write(json.toString().getBytes(StandardCharsets.UTF_8));
				}
				copy.write(common);
				copy.write((line.hash() + "\n").getBytes(StandardCharsets.US_ASCII));
				anyList |= row.listIds() != null;
			}
			copy.end();
		}
		if (!anyList) {
			return;
		}
		try (CopyBuffer copy = new CopyBuffer(connection, COPY_MEMBERS)) {
			for (int i = 0; i < rows.size(); i++) {
				if (rows.get(i).listIds() != null) {
					byte[] key = ("\t" + keys[i] + "\n").getBytes(StandardCharsets.US_ASCII);
					for (String list : rows.get(i).listIds()) {
						copy.write(list.getBytes(StandardCharsets.US_ASCII));
						copy.write(key);
					}
				}
			}
			copy.end();
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
		for (int column = 0; column < TEXT.size(); column++) {
			copyText(row.text(column), out);
			out.append('\t');
		}
		textArray(row.alternateEmails(), out);
		out.append('\t');
		textArray(row.emailDomains(), out);
		out.append('\t');
		byte[] given = (row.given() + "\t").getBytes(StandardCharsets.US_ASCII);
		byte[] values = out.toString().getBytes(StandardCharsets.UTF_8);
		out.setLength(0);
		customFields(row.customFields(), out);
		byte[] custom = out.toString().getBytes(StandardCharsets.UTF_8);
		out.setLength(0);
		out.append('\t');
		if (row.listIds() == null) {
			out.append("\\N");
		}
		else {
			// Canonical uuids: nothing in them needs quoting.
			out.append('{').append(String.join(",", row.listIds())).append('}');
		}
		out.append('\n');
		byte[] lists = out.toString().getBytes(StandardCharsets.US_ASCII);
		// The digest of the body, given to lists, as it always was: stored digests stay
		// valid.
		this.digest.update(given);
		this.digest.update(values);
		this.digest.update(custom);
		byte[] digest = this.digest.digest(lists);
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
		byte[] line = new byte[prefix.length + given.length + values.length + custom.length + lists.length];
		int at = 0;
		for (byte[] part : List.of(prefix, given, values, custom, lists)) {
			System.arraycopy(part, 0, line, at, part.length);
			at += part.length;
		}
		int valuesAt = prefix.length + given.length;
		return new Line(line, new String(hash), valuesAt, valuesAt + values.length,
				valuesAt + values.length + custom.length);
	}

	/**
	 * A row's COPY line and its digest in hex, with where in the line its text columns,
	 * its custom fields and its lists (the tab before them) start.
	 */
	// A carrier from staging to COPY, never compared, hashed or printed: the array's
	// identity equality cannot mislead anyone.
	@SuppressWarnings("ArrayRecordComponent")
	record Line(byte[] bytes, String hash, int values, int custom, int lists) {
	}

	/**
	 * COPY FROM STDIN through a buffer of its own: one message per 64 kB, not per row.
	 */
	private static final class CopyBuffer implements AutoCloseable {

		private final CopyIn copy;

		private final byte[] buffer = new byte[1 << 16];

		private int length;

		CopyBuffer(Connection connection, String sql) throws SQLException {
			this.copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
		}

		void write(byte[] bytes) throws SQLException {
			write(bytes, 0, bytes.length);
		}

		void write(byte[] bytes, int from, int count) throws SQLException {
			if (this.length + count > this.buffer.length) {
				flush();
				if (count > this.buffer.length) {
					this.copy.writeToCopy(bytes, from, count);
					return;
				}
			}
			System.arraycopy(bytes, from, this.buffer, this.length, count);
			this.length += count;
		}

		private void flush() throws SQLException {
			if (this.length > 0) {
				this.copy.writeToCopy(this.buffer, 0, this.length);
				this.length = 0;
			}
		}

		void end() throws SQLException {
			flush();
			this.copy.endCopy();
		}

		@Override
		public void close() throws SQLException {
			if (this.copy.isActive()) {
				this.copy.cancelCopy();
			}
		}

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
