package io.segmat.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.segmat.testsupport.TestData;
import io.segmat.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * contact_last_event (V13) holds each contact's latest event of each type, whatever
 * writes email_event: checked against the same maximum computed from email_event itself.
 */
class ContactLastEventTests {

	private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

	private static TestDatabase database;

	private JdbcClient jdbc;

	private TestData data;

	@BeforeAll
	static void createDatabase() {
		database = TestDatabase.create();
	}

	@BeforeEach
	void emptyDatabase() {
		database.truncateAll();
		this.jdbc = JdbcClient.create(database.dataSource());
		this.data = new TestData(this.jdbc);
		this.data.contact("ada@example.com", "Ada", "UK");
		this.data.contact("bob@example.com", "Bob", "US");
	}

	@Test
	void newEventsMoveTheLatestForwardAndNeverBack() {
		// given opens of ada's, the later one first, and a click of bob's
		this.data.event("ada@example.com", "open", T0);
		this.data.event("ada@example.com", "open", T0.minus(Duration.ofDays(3)));
		this.data.event("bob@example.com", "click", T0.minus(Duration.ofDays(1)));

		// then each pair holds its latest event
		assertThat(latest()).containsExactly("ada@example.com open " + T0,
				"bob@example.com click " + T0.minus(Duration.ofDays(1)));
		assertThat(mismatches()).isZero();
	}

	@Test
	void manyEventsInOneStatementKeepTheLatestOfEachPair() {
		// given one statement inserting events of both contacts over ten days
		this.jdbc.sql("""
				INSERT INTO email_event (seq, sg_event_id, contact_key, event_type, occurred_at, data)
				SELECT nextval('change_seq'), 'bulk-' || c.contact_key || '-' || d, c.contact_key,
				       (ARRAY['open', 'click'])[1 + d % 2], ?::timestamptz - d * interval '1 day', '{}'
				FROM contact c CROSS JOIN generate_series(1, 10) d
				""").param(Timestamp.from(T0)).update();

		// then the table agrees with email_event: the latest click is a day before T0,
		// the
		// latest open two
		assertThat(mismatches()).isZero();
		assertThat(latest()).hasSize(4)
			.contains("ada@example.com click " + T0.minus(Duration.ofDays(1)),
					"ada@example.com open " + T0.minus(Duration.ofDays(2)));
	}

	@Test
	void anEventMovedOrDeletedIsComputedAgain() {
		// given ada's opens three and one day before T0
		this.data.event("ada@example.com", "open", T0.minus(Duration.ofDays(3)));
		this.data.event("ada@example.com", "open", T0.minus(Duration.ofDays(1)));

		// when the latest moves back before the other, then goes
		this.jdbc.sql("UPDATE email_event SET occurred_at = ? WHERE occurred_at = ?")
			.params(Timestamp.from(T0.minus(Duration.ofDays(5))), Timestamp.from(T0.minus(Duration.ofDays(1))))
			.update();
		List<String> afterMove = latest();
		this.jdbc.sql("DELETE FROM email_event WHERE occurred_at = ?")
			.param(Timestamp.from(T0.minus(Duration.ofDays(3))))
			.update();
		List<String> afterDelete = latest();
		this.jdbc.sql("DELETE FROM email_event").update();

		// then the latest follows each change, and no row is left without an event
		assertThat(afterMove).containsExactly("ada@example.com open " + T0.minus(Duration.ofDays(3)));
		assertThat(afterDelete).containsExactly("ada@example.com open " + T0.minus(Duration.ofDays(5)));
		assertThat(latest()).isEmpty();
	}

	@Test
	void aDeletedContactsLatestEventsGoWithIt() {
		// given events of both contacts
		this.data.event("ada@example.com", "open", T0);
		this.data.event("bob@example.com", "open", T0);

		// when ada is deleted, her events cascading
		this.data.delete("ada@example.com");

		// then only bob's remain
		assertThat(latest()).containsExactly("bob@example.com open " + T0);
		assertThat(mismatches()).isZero();
	}

	@Test
	void truncatedEventsLeaveNoLatest() {
		// given an event
		this.data.event("ada@example.com", "open", T0);

		// when email_event is truncated alone
		this.jdbc.sql("TRUNCATE email_event").update();

		// then
		assertThat(latest()).isEmpty();
	}

	@Test
	void anAccountsEventsKeepItsOwnLatestWhateverTheWritersSearchPath() throws SQLException {
		// given an account's schema beside the default one, with a contact of its own
		Flyway.configure()
			.dataSource(database.dataSource())
			.schemas("account_le")
			.locations(SchemaCheckTests.LOCATIONS.get(0))
			.load()
			.migrate();
		try (Connection connection = database.dataSource().getConnection()) {
			JdbcClient account = JdbcClient.create(new SingleConnectionDataSource(connection, true));
			account.sql("SET search_path = account_le").update();
			new TestData(account).contact("cy@example.com", "Cy", "FR");

			// when an event is written into it from a session whose search path is the
			// default schema
			account.sql("SET search_path = public").update();
			account.sql("""
					INSERT INTO account_le.email_event (seq, sg_event_id, contact_key, event_type, occurred_at, data)
					SELECT nextval('account_le.change_seq'), 'acct-1', contact_key, 'open', ?, '{}'
					FROM account_le.contact
					""").param(Timestamp.from(T0)).update();
		}

		// then the account's latest event has it, and the default schema's nothing
		assertThat(this.jdbc.sql("SELECT count(*) FROM account_le.contact_last_event").query(Long.class).single())
			.isEqualTo(1);
		assertThat(latest()).isEmpty();
	}

	private List<String> latest() {
		return this.jdbc
			.sql("""
					SELECT c.email || ' ' || l.event_type || ' ' || to_char(l.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
					FROM contact_last_event l JOIN contact c USING (contact_key) ORDER BY c.email, l.event_type DESC
					""")
			.query(String.class)
			.list();
	}

	private long mismatches() {
		return this.jdbc.sql("""
				SELECT count(*) FROM (SELECT contact_key, event_type, max(occurred_at) AS latest
				                      FROM email_event GROUP BY contact_key, event_type) e
				FULL JOIN contact_last_event l USING (contact_key, event_type)
				WHERE e.latest IS DISTINCT FROM l.occurred_at
				""").query(Long.class).single();
	}

}
