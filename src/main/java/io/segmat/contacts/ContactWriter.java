package io.segmat.contacts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.segmat.db.ChangeSequence;
import io.segmat.ingest.ImportJson;
import io.segmat.ingest.ImportTally;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Upserts a chunk of contacts set-based: the chunk is streamed with COPY into a temporary staging
 * table, and a few statements then work on the whole of it inside PostgreSQL.
 * <p>
 * Each staged row carries a digest of what it would write (its given values and lists, in
 * storage form). A contact whose {@code import_hash} equals it already holds all of that, so the
 * row is dropped unread: re-importing an unchanged file costs one index probe a row. The other
 * rows go on: new emails are inserted with their lists (ON CONFLICT DO NOTHING, so a concurrent
 * import of the same email does not fail the chunk, and its row falls through to the update);
 * then every remaining row whose given values differ from the stored ones is updated, in a later
 * snapshot that also sees rows a concurrent import inserted meanwhile; then the lists. Only
 * contacts whose values or lists really change get a new change_seq, and only value changes move
 * updated_at, so a re-import changes nothing a segment could see.
 * <p>
 * Storing the digest keeps an invariant: a contact's {@code import_hash} names a row whose values
 * and lists the contact holds. It is set with every write of a row, and filled in (without a new
 * change_seq) where it is unknown; a contact that already holds the row under another digest
 * keeps its own, so two files that alternate over the same contacts do not rewrite them each time.
 */
class ContactWriter implements ItemWriter<ContactRow> {

	static final String IMPORTED = "imported";

	static final String CREATED = "created";

	static final String UPDATED = "updated";

	/** Rows skipped by their digest; kept in the step's tally for operators, not in the report. */
	static final String UNCHANGED = "unchanged";

	private static final List<String> TEXT = ContactLimits.TEXT_COLUMNS;

	/** Bit of {@code given} saying the row gave alternate_emails (the text columns use bits 0 to 15). */
	private static final int ALTERNATE_EMAILS_BIT = TEXT.size();

	private static final String STAGE_COLUMNS = "ord, email, row_hash, given, " + String.join(", ", TEXT)
			+ ", alternate_emails, email_domains, custom_fields, list_ids";

	// ON COMMIT DELETE ROWS: each chunk starts empty, and a session that merely holds the table pays nothing.
	private static final String CREATE_STAGE = """
			CREATE TEMP TABLE IF NOT EXISTS contact_import_stage (
			    ord              int     NOT NULL,
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

	private static final String COPY = "COPY contact_import_stage (" + STAGE_COLUMNS + ") FROM STDIN";

	private static final String SKIP_UNCHANGED = """
			DELETE FROM contact_import_stage s USING contact c
			WHERE c.email = s.email AND c.import_hash = s.row_hash
			""";

	// Rows inserted here leave the stage, so the statements after it see existing contacts only.
	private static final String INSERT = """
			WITH inserted AS (
			    INSERT INTO contact (id, email, %s, alternate_emails, email_domains, custom_fields,
			                         created_at, updated_at, change_seq, import_hash)
			    SELECT gen_random_uuid(), s.email, %s, s.alternate_emails, s.email_domains,
			           jsonb_strip_nulls(coalesce(s.custom_fields, '{}'::jsonb)), :now, :now, nextval('change_seq'), s.row_hash
			    FROM contact_import_stage s
			    WHERE NOT EXISTS (SELECT 1 FROM contact c WHERE c.email = s.email)
			    ORDER BY s.ord
			    ON CONFLICT (email) DO NOTHING
			    RETURNING contact_key, email
			), joined AS (
			    INSERT INTO list_member (list_id, contact_key)
			    SELECT l.list_id, i.contact_key
			    FROM inserted i JOIN contact_import_stage s ON s.email = i.email
			    CROSS JOIN LATERAL unnest(s.list_ids) AS l(list_id)
			    ORDER BY i.contact_key, l.list_id
			    ON CONFLICT DO NOTHING
			), done AS (
			    DELETE FROM contact_import_stage s USING inserted i WHERE s.email = i.email
			)
			SELECT count(*) FROM inserted
			""".formatted(String.join(", ", TEXT), TEXT.stream().map((c) -> "s." + c).collect(Collectors.joining(", ")));

	/** What the contact becomes: a given value replaces the stored one, a left-out one keeps it. */
	private static final List<String> MERGED = merged();

	private static final String UPDATE = """
			UPDATE contact c
			SET (%s, alternate_emails, email_domains, custom_fields) = (%s),
			    updated_at = :now, change_seq = nextval('change_seq'), import_hash = s.row_hash
			FROM contact_import_stage s
			WHERE c.email = s.email
			  AND (%s, c.alternate_emails, c.email_domains, c.custom_fields) IS DISTINCT FROM (%s)
			""".formatted(String.join(", ", TEXT), String.join(", ", MERGED),
			TEXT.stream().map((c) -> "c." + c).collect(Collectors.joining(", ")), String.join(", ", MERGED));

	// A membership that is new moves the contact's list_ids, so the contact gets a new change_seq, unless the
	// update above gave it one already (its digest is the row's now). Where the digest is unknown, the contact
	// holds the row by now, so it gets the row's digest without a new change_seq.
	private static final String ADD_MEMBERSHIPS = """
			WITH added AS (
			    INSERT INTO list_member (list_id, contact_key)
			    SELECT l.list_id, c.contact_key
			    FROM contact_import_stage s JOIN contact c ON c.email = s.email
			    CROSS JOIN LATERAL unnest(s.list_ids) AS l(list_id)
			    ORDER BY c.contact_key, l.list_id
			    ON CONFLICT DO NOTHING
			    RETURNING contact_key
			)
			UPDATE contact c
			SET change_seq = CASE WHEN c.contact_key IN (SELECT contact_key FROM added)
			                      THEN nextval('change_seq') ELSE c.change_seq END,
			    import_hash = s.row_hash
			FROM contact_import_stage s
			WHERE c.email = s.email AND c.import_hash IS DISTINCT FROM s.row_hash
			  AND (c.import_hash IS NULL OR c.contact_key IN (SELECT contact_key FROM added))
			""";

	private final JdbcClient jdbc;

	private final JdbcTemplate jdbcTemplate;

	private final ChangeSequence changes;

	private final Clock clock;

	private final ImportTally tally;

	ContactWriter(JdbcClient jdbc, JdbcTemplate jdbcTemplate, ChangeSequence changes, Clock clock, ImportTally tally) {
		this.jdbc = jdbc;
		this.jdbcTemplate = jdbcTemplate;
		this.changes = changes;
		this.clock = clock;
		this.tally = tally;
	}

	@Override
	public void write(Chunk<? extends ContactRow> chunk) {
		if (chunk.isEmpty()) {
			return;
		}
		List<ObjectNode> rows = merged(chunk);
		Timestamp now = Timestamp.from(this.clock.instant());
		this.changes.joinWrite();
		this.jdbc.sql(CREATE_STAGE).update();
		long staged = this.jdbcTemplate.execute((ConnectionCallback<Long>) (connection) -> copy(connection, rows));
		long unchanged = this.jdbc.sql(SKIP_UNCHANGED).update();
		long created = 0;
		long updated = 0;
		if (unchanged < staged) {
			created = this.jdbc.sql(INSERT).param("now", now).query(Long.class).single();
		}
		if (unchanged + created < staged) {
			updated = this.jdbc.sql(UPDATE).param("now", now).update();
			this.jdbc.sql(ADD_MEMBERSHIPS).update();
		}
		this.tally.add(IMPORTED, chunk.size());
		this.tally.add(CREATED, created);
		this.tally.add(UPDATED, updated);
		this.tally.add(UNCHANGED, unchanged);
	}

	/**
	 * Rows of one chunk with the same email become one, later values winning field by field, as if
	 * they had been imported one after the other. A row is copied only when a later one changes it.
	 */
	private static List<ObjectNode> merged(Chunk<? extends ContactRow> chunk) {
		Map<String, ObjectNode> byEmail = new LinkedHashMap<>();
		Set<String> copied = new HashSet<>();
		for (ContactRow row : chunk) {
			ObjectNode earlier = byEmail.get(row.email());
			if (earlier == null) {
				byEmail.put(row.email(), row.values());
				continue;
			}
			if (copied.add(row.email())) {
				earlier = earlier.deepCopy();
				byEmail.put(row.email(), earlier);
			}
			for (Map.Entry<String, JsonNode> entry : row.values().properties()) {
				String name = entry.getKey();
				JsonNode value = entry.getValue();
				if (name.equals("custom_fields") && earlier.get(name) instanceof ObjectNode fields) {
					fields.setAll((ObjectNode) value);
				}
				else if (name.equals("list_ids") && earlier.get(name) instanceof ArrayNode lists) {
					Set<JsonNode> known = new HashSet<>();
					lists.forEach(known::add);
					value.forEach((id) -> {
						if (known.add(id)) {
							lists.add(id);
						}
					});
				}
				else if (name.equals("email_domains") && !row.values().has("alternate_emails")) {
					// Domains follow the alternate emails: keep those of the row that last gave them.
				}
				else {
					earlier.set(name, value);
				}
			}
		}
		return new ArrayList<>(byEmail.values());
	}

	private static long copy(Connection connection, List<ObjectNode> rows) throws SQLException {
		CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
		try {
			StagedRows encoder = new StagedRows();
			byte[] buffer = new byte[1 << 16];
			int length = 0;
			for (int i = 0; i < rows.size(); i++) {
				byte[] line = encoder.line(i, rows.get(i));
				if (length + line.length > buffer.length) {
					copy.writeToCopy(buffer, 0, length);
					length = 0;
				}
				if (line.length > buffer.length) {
					copy.writeToCopy(line, 0, line.length);
				}
				else {
					System.arraycopy(line, 0, buffer, length, line.length);
					length += line.length;
				}
			}
			copy.writeToCopy(buffer, 0, length);
			return copy.endCopy();
		}
		finally {
			if (copy.isActive()) {
				copy.cancelCopy();
			}
		}
	}

	private static List<String> merged() {
		List<String> merged = new ArrayList<>();
		IntStream.range(0, TEXT.size())
			.forEach((i) -> merged.add("CASE WHEN s.given & %d <> 0 THEN s.%s ELSE c.%s END".formatted(1 << i,
					TEXT.get(i), TEXT.get(i))));
		String alternateGiven = "s.given & " + (1 << ALTERNATE_EMAILS_BIT) + " <> 0";
		merged.add("CASE WHEN " + alternateGiven + " THEN s.alternate_emails ELSE c.alternate_emails END");
		merged.add("CASE WHEN " + alternateGiven + " THEN s.email_domains ELSE c.email_domains END");
		merged.add("jsonb_strip_nulls(c.custom_fields || coalesce(s.custom_fields, '{}'::jsonb))");
		return List.copyOf(merged);
	}

	/**
	 * Writes rows in COPY's text format, in the stage's column order. The digest covers everything
	 * after {@code row_hash}, which is all the row would write: "the row gave this field" is a bit
	 * of {@code given}, so a field given as null (it clears the stored value) differs from one left
	 * out (it keeps it).
	 */
	private static final class StagedRows {

		private final StringBuilder body = new StringBuilder(1024);

		private final StringBuilder head = new StringBuilder(128);

		private final MessageDigest digest;

		StagedRows() {
			try {
				this.digest = MessageDigest.getInstance("SHA-256");
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

		byte[] line(int ord, ObjectNode row) {
			StringBuilder out = this.body;
			out.setLength(0);
			int given = 0;
			for (int i = 0; i < TEXT.size(); i++) {
				if (row.has(TEXT.get(i))) {
					given |= 1 << i;
				}
			}
			JsonNode alternates = row.get("alternate_emails");
			if (alternates != null) {
				given |= 1 << ALTERNATE_EMAILS_BIT;
			}
			out.append(given);
			for (String column : TEXT) {
				out.append('\t');
				JsonNode value = row.get(column);
				if (value == null || value.isNull()) {
					out.append("\\N");
				}
				else {
					escape(value.stringValue(), out);
				}
			}
			out.append('\t');
			array(alternates, out);
			out.append('\t');
			array(row.get("email_domains"), out);
			out.append('\t');
			JsonNode custom = row.get("custom_fields");
			if (custom == null) {
				out.append("\\N");
			}
			else {
				escape(ImportJson.MAPPER.writeValueAsString(custom), out);
			}
			out.append('\t');
			array(row.get("list_ids"), out);
			out.append('\n');
			byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
			// 16 of SHA-256's bytes: an accidental collision among billions of rows stays out of reach.
			byte[] hash = this.digest.digest(body);
			StringBuilder head = this.head;
			head.setLength(0);
			head.append(ord).append('\t');
			escape(row.get("email").stringValue(), head);
			head.append("\t\\\\x");
			for (int i = 0; i < 16; i++) {
				head.append(Character.forDigit((hash[i] >> 4) & 0xF, 16)).append(Character.forDigit(hash[i] & 0xF, 16));
			}
			head.append('\t');
			byte[] prefix = head.toString().getBytes(StandardCharsets.UTF_8);
			byte[] line = new byte[prefix.length + body.length];
			System.arraycopy(prefix, 0, line, 0, prefix.length);
			System.arraycopy(body, 0, line, prefix.length, body.length);
			return line;
		}

		/** An array literal of the values as text ({@code \N} for null or absent), for COPY. */
		private static void array(JsonNode values, StringBuilder out) {
			if (values == null || values.isNull()) {
				out.append("\\N");
				return;
			}
			StringBuilder literal = new StringBuilder(64).append('{');
			for (JsonNode value : values) {
				if (literal.length() > 1) {
					literal.append(',');
				}
				literal.append('"');
				String text = value.stringValue();
				for (int i = 0; i < text.length(); i++) {
					char c = text.charAt(i);
					if (c == '"' || c == '\\') {
						literal.append('\\');
					}
					literal.append(c);
				}
				literal.append('"');
			}
			escape(literal.append('}'), out);
		}

		/** COPY's text format: backslash, and the delimiters it would otherwise read as structure. */
		private static void escape(CharSequence text, StringBuilder out) {
			for (int i = 0; i < text.length(); i++) {
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

	}

}
