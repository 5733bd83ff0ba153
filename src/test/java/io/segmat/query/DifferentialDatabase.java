package io.segmat.query;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.segmat.testsupport.TestDatabase;
import org.postgresql.ds.PGSimpleDataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * One migrated database for a whole property run, reloaded per try. The rows follow the
 * storage conventions of the compiler contract exactly, because a compiler that reads
 * them differently from how segmat writes them is the kind of bug this test exists to
 * find.
 */
final class DifferentialDatabase implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final OffsetDateTime DEFINED_AT = OffsetDateTime.parse("2026-01-01T00:00:00Z");

	private final DataSource dataSource;

	private final Connection connection;

	DifferentialDatabase() {
		this(TestDatabase.create().dataSource());
	}

	DifferentialDatabase(DataSource dataSource) {
		if (dataSource instanceof PGSimpleDataSource pg) {
			// Batches as multi-row INSERTs: one round trip per table instead of one per
			// row.
			pg.setReWriteBatchedInserts(true);
		}
		this.dataSource = dataSource;
		try {
			this.connection = dataSource.getConnection();
			// Keep the session in UTC so nothing but the compiler's own SQL decides about
			// time zones.
			try (Statement s = this.connection.createStatement()) {
				s.execute("SET TIME ZONE 'UTC'");
			}
			defineCatalog();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void defineCatalog() throws SQLException {
		try (PreparedStatement field = this.connection
			.prepareStatement("INSERT INTO custom_field (id, name, field_type, created_at) VALUES (?, ?, ?, ?)")) {
			for (OracleData.Field f : OracleData.FIELDS) {
				field.setString(1, f.id());
				field.setString(2, f.name());
				field.setString(3, switch (f.kind()) {
					case TEXT -> "Text";
					case NUMBER -> "Number";
					case TIMESTAMP -> "Date";
				});
				field.setObject(4, DEFINED_AT);
				field.addBatch();
			}
			field.executeBatch();
		}
		try (PreparedStatement list = this.connection
			.prepareStatement("INSERT INTO contact_list (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)")) {
			for (int i = 0; i < OracleData.LISTS.size(); i++) {
				list.setObject(1, OracleData.LISTS.get(i));
				list.setString(2, "list " + i);
				list.setObject(3, DEFINED_AT);
				list.setObject(4, DEFINED_AT);
				list.addBatch();
			}
			list.executeBatch();
		}
	}

	DataSource dataSource() {
		return this.dataSource;
	}

	/** Replaces all contacts, memberships and events with {@code data}'s. */
	void load(OracleData data) {
		try {
			// One transaction: a commit per row would make loading, not querying, the
			// test's cost.
			this.connection.setAutoCommit(false);
			// DELETE, not TRUNCATE: for a few hundred rows it is several times faster.
			try (Statement s = this.connection.createStatement()) {
				s.execute("DELETE FROM email_event");
				s.execute("DELETE FROM list_member");
				s.execute("DELETE FROM contact");
			}
			insertContacts(data);
			insertMemberships(data);
			insertEvents(data);
			this.connection.commit();
		}
		catch (SQLException ex) {
			IllegalStateException failure = new IllegalStateException(ex);
			try {
				this.connection.setAutoCommit(true);
			}
			catch (SQLException also) {
				// the load's failure is the one to report
				failure.addSuppressed(also);
			}
			throw failure;
		}
		restoreAutoCommit();
	}

	/** Back to auto-commit after a load that committed. */
	private void restoreAutoCommit() {
		try {
			this.connection.setAutoCommit(true);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void insertContacts(OracleData data) throws SQLException {
		try (PreparedStatement insert = this.connection.prepareStatement("""
				INSERT INTO contact (id, email, first_name, last_name, country, city, postal_code,
				    state_province_region, alternate_emails, email_domains, custom_fields, created_at, updated_at,
				    change_seq)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, nextval('change_seq'))""")) {
			for (OracleData.Contact c : data.contacts()) {
				insert.setObject(1, c.id());
				insert.setString(2, c.email());
				insert.setString(3, c.firstName());
				insert.setString(4, c.lastName());
				insert.setString(5, c.country());
				insert.setString(6, c.city());
				insert.setString(7, c.postalCode());
				insert.setString(8, c.state());
				insert.setArray(9, c.alternateEmails() == null ? null : textArray(c.alternateEmails()));
				insert.setArray(10, textArray(c.emailDomains()));
				insert.setString(11, json(customFields(c)));
				insert.setObject(12, utc(c.createdAt()));
				insert.setObject(13, utc(c.updatedAt()));
				insert.addBatch();
			}
			insert.executeBatch();
		}
	}

	/**
	 * Text as a JSON string, Number as a JSON number, Date as a JSON number of epoch
	 * seconds.
	 */
	private static Map<String, Object> customFields(OracleData.Contact c) {
		Map<String, Object> values = new LinkedHashMap<>();
		c.custom().forEach((id, value) -> values.put(id, value instanceof Instant i ? i.getEpochSecond() : value));
		return values;
	}

	private void insertMemberships(OracleData data) throws SQLException {
		try (PreparedStatement insert = this.connection.prepareStatement(
				"INSERT INTO list_member (list_id, contact_key) SELECT ?, contact_key FROM contact WHERE id = ?")) {
			for (OracleData.Contact c : data.contacts()) {
				for (UUID list : c.listIds()) {
					insert.setObject(1, list);
					insert.setObject(2, c.id());
					insert.addBatch();
				}
			}
			insert.executeBatch();
		}
	}

	private void insertEvents(OracleData data) throws SQLException {
		try (PreparedStatement insert = this.connection.prepareStatement(
				"""
						INSERT INTO email_event (seq, sg_event_id, contact_key, event_source, event_type, occurred_at,
						    singlesend_id, url, data)
						SELECT nextval('change_seq'), ?, contact_key, 'mail', ?, ?, ?, ?, ?::jsonb FROM contact WHERE id = ?""")) {
			for (OracleData.Event e : data.events()) {
				OracleData.Contact c = data.contacts().get(e.contact());
				insert.setString(1, e.sgEventId());
				insert.setString(2, e.type());
				insert.setObject(3, utc(e.occurredAt()));
				insert.setString(4, e.singlesendId());
				insert.setString(5, e.url());
				insert.setString(6, json(Map.of("payload", payload(c, e))));
				insert.setObject(7, c.id());
				insert.addBatch();
			}
			insert.executeBatch();
		}
	}

	/**
	 * The Event Webhook object, with the marketing and custom args also under
	 * unique_args.
	 */
	private static Map<String, Object> payload(OracleData.Contact c, OracleData.Event e) {
		Map<String, Object> uniqueArgs = new LinkedHashMap<>();
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("email", c.email());
		payload.put("event", e.type());
		payload.put("timestamp", e.occurredAt().getEpochSecond());
		payload.put("sg_event_id", e.sgEventId());
		if (e.url() != null) {
			payload.put("url", e.url());
		}
		if (e.singlesendId() != null) {
			payload.put("singlesend_id", e.singlesendId());
			uniqueArgs.put("singlesend_id", e.singlesendId());
		}
		if (e.campaign() != null) {
			uniqueArgs.put("campaign", e.campaign());
		}
		payload.put("unique_args", uniqueArgs);
		return payload;
	}

	/**
	 * The emails of the contact_keys {@code sql} selects, one per row it returns, so
	 * duplicates stay visible.
	 */
	List<String> members(String sql, List<Object> parameters) {
		String wrapped = "SELECT c.email FROM (" + sql + ") m JOIN contact c ON c.contact_key = m.contact_key";
		try (PreparedStatement query = this.connection.prepareStatement(wrapped)) {
			for (int i = 0; i < parameters.size(); i++) {
				Object p = parameters.get(i);
				if (p instanceof String[] texts) {
					query.setArray(i + 1, textArray(List.of(texts)));
				}
				else {
					query.setObject(i + 1, p);
				}
			}
			List<String> emails = new ArrayList<>();
			try (ResultSet rs = query.executeQuery()) {
				while (rs.next()) {
					emails.add(rs.getString(1));
				}
			}
			return emails;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(
					"the compiled SQL failed: " + ex.getMessage() + "\n" + sql + "\n" + parameters, ex);
		}
	}

	/**
	 * A single-column query of this database, for tests that check the stored rows
	 * themselves.
	 */
	List<String> strings(String sql) {
		try (Statement s = this.connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
			List<String> values = new ArrayList<>();
			while (rs.next()) {
				values.add(rs.getString(1));
			}
			return values;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Array textArray(List<String> values) throws SQLException {
		return this.connection.createArrayOf("text", values.toArray());
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	private static String json(Object value) {
		return JSON.writeValueAsString(value);
	}

	@Override
	public void close() {
		try {
			this.connection.close();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
