package io.segmat.refresh;

import java.time.Instant;

import io.segmat.testsupport.SpringTestSupport;
import io.segmat.testsupport.SweptContacts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contacts a moving time bound swept past since a segment's last evaluation are read
 * from an index alone, without a heap fetch per swept row: for an event window and for a
 * window over the contacts' creation time. (A Date custom field's expression index cannot
 * be read alone: DateFieldIndexTests checks that it is used.)
 */
class ClockSweepIndexTests extends SpringTestSupport {

	private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private TransactionTemplate transaction;

	@Test
	void eventsSweptPastAnEventWindowComeFromTheIndexAlone() {
		// given a segment of the contacts who opened in the last 30 days
		String query = "SELECT c.contact_id, c.updated_at FROM contact_data c "
				+ "JOIN event_data e ON c.contact_id = e.contact_id "
				+ "WHERE e.event_type = 'open' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)";

		// when the lookup of the events the bound swept past in an hour is planned
		String plan = sweptPlan(query);

		// then it is an index-only range of the events' type and time
		assertThat(plan).contains("Index Only Scan using email_event_type_time");
	}

	@Test
	void contactsSweptPastACreationWindowComeFromTheIndexAlone() {
		// given a segment of the contacts created in the last 7 days
		String query = "SELECT contact_id, updated_at FROM contact_data WHERE created_at > timestampadd(day, -7, NOW())";

		// when the lookup of the contacts the bound swept past in an hour is planned
		String plan = sweptPlan(query);

		// then it is an index-only range of their creation time
		assertThat(plan).contains("Index Only Scan using contact_created_at");
	}

	private String sweptPlan(String query) {
		return SweptContacts.plan(this.jdbc, this.transaction, query, NOW);
	}

}
