package io.segmat.testsupport;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Writes contacts, lists, events and segments straight into a test database, following
 * the storage conventions (lower-case emails, change_seq on every change), for tests that
 * are about what happens after the data arrived.
 */
public final class TestData {

	private static final Timestamp CREATED = Timestamp.from(Instant.parse("2026-01-01T00:00:00Z"));

	private final JdbcClient jdbc;

	public TestData(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public long contact(String email, String firstName, String country) {
		return this.jdbc.sql("""
				INSERT INTO contact (id, email, first_name, country, email_domains, created_at, updated_at, change_seq)
				VALUES (?, lower(?), ?, ?, ARRAY[split_part(lower(?), '@', 2)], ?, ?, nextval('change_seq'))
				RETURNING contact_key
				""")
			.params(UUID.randomUUID(), email, firstName, country, email, CREATED, CREATED)
			.query(Long.class)
			.single();
	}

	public void update(String email, String column, Object value) {
		if (!column.matches("[a-z_0-9]+")) {
			throw new IllegalArgumentException(column);
		}
		this.jdbc.sql("UPDATE contact SET " + column + " = ?, change_seq = nextval('change_seq') WHERE email = ?")
			.params(value, email)
			.update();
	}

	public void customField(String email, String fieldId, Object jsonValue) {
		this.jdbc.sql("""
				UPDATE contact SET custom_fields = custom_fields || jsonb_build_object(?::text, ?::jsonb),
				    change_seq = nextval('change_seq')
				WHERE email = ?
				""").params(fieldId, String.valueOf(jsonValue), email).update();
	}

	public void delete(String email) {
		this.jdbc.sql("""
				WITH gone AS (DELETE FROM contact WHERE email = ? RETURNING contact_key, id),
				members AS (DELETE FROM list_member WHERE contact_key IN (SELECT contact_key FROM gone))
				INSERT INTO contact_deletion (change_seq, contact_key, contact_id, deleted_at)
				SELECT nextval('change_seq'), contact_key, id, ? FROM gone
				""").params(email, CREATED).update();
	}

	public UUID list(String name) {
		UUID id = UUID.randomUUID();
		this.jdbc.sql("INSERT INTO contact_list (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)")
			.params(id, name, CREATED, CREATED)
			.update();
		return id;
	}

	public void addToList(String email, UUID listId) {
		this.jdbc.sql("""
				INSERT INTO list_member (list_id, contact_key) SELECT ?, contact_key FROM contact WHERE email = ?
				""").params(listId, email).update();
		this.jdbc.sql("UPDATE contact SET change_seq = nextval('change_seq') WHERE email = ?").param(email).update();
	}

	public void removeFromList(String email, UUID listId) {
		this.jdbc
			.sql("""
					DELETE FROM list_member WHERE list_id = ? AND contact_key = (SELECT contact_key FROM contact WHERE email = ?)
					""")
			.params(listId, email)
			.update();
		this.jdbc.sql("UPDATE contact SET change_seq = nextval('change_seq') WHERE email = ?").param(email).update();
	}

	public void event(String email, String type, Instant at) {
		this.jdbc
			.sql("""
					INSERT INTO email_event (seq, sg_event_id, contact_key, event_type, occurred_at, data)
					SELECT nextval('change_seq'), ?, contact_key, ?, ?, jsonb_build_object('payload', jsonb_build_object('event', ?::text))
					FROM contact WHERE email = ?
					""")
			.params(UUID.randomUUID().toString(), type, Timestamp.from(at), type, email)
			.update();
	}

	public String field(String name, String type) {
		String id = "e" + this.jdbc.sql("SELECT nextval('custom_field_number_seq')").query(Long.class).single() + "_"
				+ type.charAt(0);
		this.jdbc.sql("INSERT INTO custom_field (id, name, field_type, created_at) VALUES (?, ?, ?, ?)")
			.params(id, name, type, CREATED)
			.update();
		return id;
	}

	/**
	 * A segment whose membership is written directly, as an evaluation would have left
	 * it: its row, its partition of segment_member (V9) and the contacts of
	 * {@code emails}. Its query selects everyone; no refresh is meant to run over it.
	 */
	public UUID segmentWithMembers(String name, java.util.Collection<String> emails) {
		UUID id = UUID.randomUUID();
		int key = this.jdbc.sql("""
				INSERT INTO segment (id, name, query_dsl, created_at, updated_at)
				VALUES (?, ?, 'SELECT contact_id, updated_at FROM contact_data', ?, ?) RETURNING segment_key
				""").params(id, name, CREATED, CREATED).query(Integer.class).single();
		this.jdbc
			.sql("CREATE TABLE segment_member_%d PARTITION OF segment_member FOR VALUES IN (%d)".formatted(key, key))
			.update();
		this.jdbc.sql("""
				INSERT INTO segment_member (segment_key, contact_key)
				SELECT ?, contact_key FROM contact WHERE email = ANY (?)
				""").params(key, emails.toArray(String[]::new)).update();
		return id;
	}

	public java.util.List<String> members(UUID segmentId) {
		return this.jdbc.sql("""
				SELECT c.email FROM segment_member m JOIN contact c ON c.contact_key = m.contact_key
				WHERE m.segment_key = (SELECT segment_key FROM segment WHERE id = ?) ORDER BY c.email
				""").param(segmentId).query(String.class).list();
	}

}
