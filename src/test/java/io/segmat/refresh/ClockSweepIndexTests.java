package io.segmat.refresh;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.segmat.query.ClockHorizon;
import io.segmat.query.CompiledQuery;
import io.segmat.query.FieldCatalog;
import io.segmat.query.QueryCompiler;
import io.segmat.testsupport.SpringTestSupport;
import io.segmat.testsupport.SweptContacts;
import io.segmat.testsupport.TestData;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contacts a moving time bound swept past since a segment's last evaluation are read
 * from an index alone, without a heap fetch per swept row: for an event window and for a
 * window over the contacts' creation time. (A Date custom field's expression index cannot
 * be read alone: DateFieldIndexTests checks that it is used.) And the value nearest ahead
 * of a bound, which decides until when the segment may be skipped, is first looked for in
 * the interval ahead alone.
 */
class ClockSweepIndexTests extends SpringTestSupport {

	private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

	private static final Pattern ACTUAL_ROWS = Pattern.compile("actual .*rows=([0-9.]+)");

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private TransactionTemplate transaction;

	@Test
	void latestEventsSweptPastAnEventWindowComeFromTheIndexAlone() {
		// given a segment of the contacts who opened in the last 30 days
		String query = "SELECT c.contact_id, c.updated_at FROM contact_data c "
				+ "JOIN event_data e ON c.contact_id = e.contact_id "
				+ "WHERE e.event_type = 'open' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)";

		// when the lookup of the latest opens the bound swept past in an hour is planned
		String plan = sweptPlan(query);

		// then it is an index-only range of their type and time
		assertThat(plan).contains("Index Only Scan using contact_last_event_type_time");
	}

	@Test
	void eventsSweptPastACountedWindowComeFromTheIndexAlone() {
		// given a segment of the contacts who opened three times in the last 30 days
		String query = "SELECT c.contact_id, c.updated_at FROM contact_data c "
				+ "JOIN event_data e ON c.contact_id = e.contact_id "
				+ "WHERE e.event_type = 'open' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP) "
				+ "GROUP BY c.contact_id, c.updated_at HAVING COUNT(*) >= 3";

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

	@Test
	void theNextCrossingOfAWindowOverTwoEventTypesIsLookedForInTheIntervalAheadAlone() {
		// given a segment of contacts engaged by mail in the last 30 days (a condition
		// besides the type: every event counts, not only each type's latest), and an
		// open or a click every 10 minutes for the last 30 days
		database.truncateAll();
		TestData data = new TestData(this.jdbc);
		data.contact("ada@example.com", "Ada", "UK");
		this.jdbc
			.sql("""
					INSERT INTO email_event (seq, sg_event_id, contact_key, event_type, occurred_at, data)
					SELECT nextval('change_seq'), 'sweep-' || g, c.contact_key, CASE WHEN g % 2 = 0 THEN 'open' ELSE 'click' END,
					       ?::timestamptz - g * interval '10 minutes', '{}'::jsonb
					FROM contact c, generate_series(1, 4319) g
					""")
			.param(Timestamp.from(NOW))
			.update();
		this.jdbc.sql("ANALYZE email_event").update();
		CompiledQuery query = new QueryCompiler().compile("SELECT c.contact_id, c.updated_at FROM contact_data c "
				+ "JOIN event_data e ON c.contact_id = e.contact_id WHERE (e.event_type = 'open' OR e.event_type = 'click') "
				+ "AND e.event_source = 'mail' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)",
				FieldCatalog.load(this.jdbc), null, NOW);

		// when the value nearest ahead of the window's edge is looked for within the hour
		ClockHorizon.DistanceQuery near = ClockHorizon.nearestValueAhead(query, Duration.ofHours(1)).orElseThrow();
		List<String> plan = SweptContacts.indexPlan(this.jdbc, this.transaction, "EXPLAIN (ANALYZE, COSTS OFF)",
				near.sql(), near.parameters());

		// then only the events of that hour are read (the unbounded lookup reads all
		// 4,319: no index returns the two types' events together in time order)
		assertThat(plan).as(String.join("\n", plan))
			.filteredOn((line) -> line.contains("Scan using email_event_type_time"))
			.singleElement()
			.satisfies((line) -> assertThat(actualRows(line)).isLessThanOrEqualTo(7));
		assertThat(this.jdbc.sql(near.sql()).params(near.parameters()).query(Double.class).single()).isCloseTo(600.0,
				Offset.offset(1.0));
	}

	private static double actualRows(String planLine) {
		Matcher rows = ACTUAL_ROWS.matcher(planLine);
		assertThat(rows.find()).as(planLine).isTrue();
		return Double.parseDouble(rows.group(1));
	}

}
