package io.segmat.contacts;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.segmat.db.ChangeSequence;
import io.segmat.ingest.ImportJson;
import io.segmat.ingest.ImportTally;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Upserts a chunk of contacts with a few set-based statements: the whole chunk travels as one
 * JSON array parameter.
 * <p>
 * New emails are inserted first (ON CONFLICT DO NOTHING, so a concurrent import of the same
 * email does not fail the chunk); a second statement then updates every row of the chunk whose
 * given values differ from the stored ones. It runs after the insert, in its own snapshot, so it
 * also sees rows a concurrent import inserted meanwhile; the rows inserted just before compare
 * equal and are left alone. Only contacts whose values really change get a new change_seq and
 * updated_at, which makes a re-import of the same file a no-op.
 * <p>
 * "The row gave this field" is {@code r.doc->'field' IS NOT NULL}: a field given as null is a JSON
 * null there, not SQL NULL, so it clears the stored value while a missing field keeps it.
 */
class ContactWriter implements ItemWriter<ContactRow> {

	static final String IMPORTED = "imported";

	static final String CREATED = "created";

	static final String UPDATED = "updated";

	private static final String TEXT_COLUMNS = String.join(", ", ContactLimits.TEXT_COLUMNS);

	private static final String ALTERNATE_EMAILS = """
			CASE WHEN jsonb_typeof(r.doc->'alternate_emails') = 'array'
			THEN ARRAY(SELECT jsonb_array_elements_text(r.doc->'alternate_emails')) END""";

	private static final String EMAIL_DOMAINS = "ARRAY(SELECT jsonb_array_elements_text(r.doc->'email_domains'))";

	private static final String INSERT = """
			INSERT INTO contact (id, email, %s, alternate_emails, email_domains, custom_fields,
			                     created_at, updated_at, change_seq)
			SELECT gen_random_uuid(), r.doc->>'email', %s, %s, %s,
			       jsonb_strip_nulls(coalesce(r.doc->'custom_fields', '{}'::jsonb)),
			       :now, :now, nextval('change_seq')
			FROM jsonb_array_elements(CAST(:rows AS jsonb)) WITH ORDINALITY AS r(doc, ord)
			WHERE NOT EXISTS (SELECT 1 FROM contact c WHERE c.email = r.doc->>'email')
			ORDER BY r.ord
			ON CONFLICT (email) DO NOTHING
			RETURNING email
			""".formatted(TEXT_COLUMNS,
			ContactLimits.TEXT_COLUMNS.stream().map((c) -> "r.doc->>'" + c + "'").collect(Collectors.joining(", ")),
			ALTERNATE_EMAILS, EMAIL_DOMAINS);

	private static final String UPDATE = """
			UPDATE contact c
			SET %s, alternate_emails = n.alternate_emails, email_domains = n.email_domains,
			    custom_fields = n.custom_fields, updated_at = :now, change_seq = nextval('change_seq')
			FROM (
			    SELECT o.contact_key, %s,
			           CASE WHEN r.doc->'alternate_emails' IS NOT NULL THEN %s ELSE o.alternate_emails END AS alternate_emails,
			           CASE WHEN r.doc->'alternate_emails' IS NOT NULL THEN %s ELSE o.email_domains END AS email_domains,
			           jsonb_strip_nulls(o.custom_fields || coalesce(r.doc->'custom_fields', '{}'::jsonb)) AS custom_fields
			    FROM jsonb_array_elements(CAST(:rows AS jsonb)) AS r(doc)
			    JOIN contact o ON o.email = r.doc->>'email'
			) n
			WHERE c.contact_key = n.contact_key
			  AND (%s, c.alternate_emails, c.email_domains, c.custom_fields)
			      IS DISTINCT FROM (%s, n.alternate_emails, n.email_domains, n.custom_fields)
			""".formatted(
			ContactLimits.TEXT_COLUMNS.stream().map((c) -> c + " = n." + c).collect(Collectors.joining(", ")),
			ContactLimits.TEXT_COLUMNS.stream()
				.map((c) -> "CASE WHEN r.doc->'" + c + "' IS NOT NULL THEN r.doc->>'" + c + "' ELSE o." + c + " END AS " + c)
				.collect(Collectors.joining(", ")),
			ALTERNATE_EMAILS, EMAIL_DOMAINS,
			ContactLimits.TEXT_COLUMNS.stream().map((c) -> "c." + c).collect(Collectors.joining(", ")),
			ContactLimits.TEXT_COLUMNS.stream().map((c) -> "n." + c).collect(Collectors.joining(", ")));

	// A membership that is new moves the contact's list_ids, so the contact gets a new change_seq.
	private static final String ADD_MEMBERSHIPS = """
			WITH wanted AS (
			    SELECT DISTINCT CAST(l.list_id AS uuid) AS list_id, c.contact_key
			    FROM jsonb_array_elements(CAST(:rows AS jsonb)) AS r(doc)
			    CROSS JOIN LATERAL jsonb_array_elements_text(r.doc->'list_ids') AS l(list_id)
			    JOIN contact c ON c.email = r.doc->>'email'
			), added AS (
			    INSERT INTO list_member (list_id, contact_key)
			    SELECT list_id, contact_key FROM wanted ORDER BY contact_key, list_id
			    ON CONFLICT DO NOTHING
			    RETURNING contact_key
			)
			UPDATE contact c SET change_seq = nextval('change_seq')
			FROM (SELECT DISTINCT contact_key FROM added) a
			WHERE c.contact_key = a.contact_key
			""";

	private final JdbcClient jdbc;

	private final ChangeSequence changes;

	private final Clock clock;

	private final ImportTally tally;

	ContactWriter(JdbcClient jdbc, ChangeSequence changes, Clock clock, ImportTally tally) {
		this.jdbc = jdbc;
		this.changes = changes;
		this.clock = clock;
		this.tally = tally;
	}

	@Override
	public void write(Chunk<? extends ContactRow> chunk) {
		if (chunk.isEmpty()) {
			return;
		}
		Map<String, ObjectNode> byEmail = merged(chunk);
		String json = json(byEmail.values());
		Timestamp now = Timestamp.from(this.clock.instant());
		this.changes.joinWrite();
		List<String> inserted = this.jdbc.sql(INSERT).param("rows", json).param("now", now).query(String.class).list();
		int created = inserted.size();
		int updated = 0;
		// Rows just inserted hold their values already; only the others can need an update.
		inserted.forEach(byEmail::remove);
		if (!byEmail.isEmpty()) {
			updated = this.jdbc.sql(UPDATE).param("rows", json(byEmail.values())).param("now", now).update();
		}
		if (chunk.getItems().stream().anyMatch((row) -> row.values().has("list_ids"))) {
			this.jdbc.sql(ADD_MEMBERSHIPS).param("rows", json).update();
		}
		this.tally.add(IMPORTED, chunk.size());
		this.tally.add(CREATED, created);
		this.tally.add(UPDATED, updated);
	}

	private static String json(Collection<ObjectNode> rows) {
		ArrayNode array = ImportJson.MAPPER.createArrayNode();
		rows.forEach(array::add);
		return ImportJson.MAPPER.writeValueAsString(array);
	}

	/**
	 * Rows of one chunk with the same email become one, later values winning field by field, as if
	 * they had been imported one after the other.
	 */
	private static Map<String, ObjectNode> merged(Chunk<? extends ContactRow> chunk) {
		Map<String, ObjectNode> byEmail = new LinkedHashMap<>();
		for (ContactRow row : chunk) {
			ObjectNode earlier = byEmail.get(row.email());
			if (earlier == null) {
				byEmail.put(row.email(), row.values().deepCopy());
				continue;
			}
			for (Map.Entry<String, JsonNode> entry : row.values().properties()) {
				String name = entry.getKey();
				JsonNode value = entry.getValue();
				if (name.equals("custom_fields") && earlier.get(name) instanceof ObjectNode fields) {
					fields.setAll((ObjectNode) value);
				}
				else if (name.equals("list_ids") && earlier.get(name) instanceof ArrayNode lists) {
					java.util.Set<JsonNode> known = new java.util.HashSet<>();
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
		return byEmail;
	}

}
