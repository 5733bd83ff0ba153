package io.segmat.query;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which clock reads the compiler can bound: a comparison of a clock-free value with a
 * bound that only moves forward as time passes. Anything else must leave the refresh to
 * evaluate everyone.
 */
class ClockBoundaryTests {

	private static final Instant EARLIER = Instant.parse("2026-06-01T00:00:00Z");

	private static final Instant LATER = EARLIER.plus(Duration.ofHours(1));

	private static final String SELECT = "SELECT contact_id, updated_at FROM contact_data WHERE ";

	private static final String JOIN = "SELECT c.contact_id, c.updated_at FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id WHERE ";

	private final QueryCompiler compiler = new QueryCompiler();

	private final FieldCatalog fields = new FieldCatalog(List.of(new CatalogField("e1_T", "plan", FieldType.TEXT),
			new CatalogField("e4_D", "renewal", FieldType.DATE)));

	private Optional<ContactSelection> crossed(String query) {
		CompiledQuery before = this.compiler.compile(query, this.fields, null, EARLIER);
		CompiledQuery after = this.compiler.compile(query, this.fields, null, LATER);
		return after.crossedSince(before);
	}

	@Test
	void anEventWindowIsBoundedByTheEventsItsEdgeSweptPast() {
		// given an engagement window over the joined events
		CompiledQuery query = this.compiler.compile(
				JOIN + "e.event_type = 'open' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)", this.fields,
				null, LATER);

		// then the window's edge is one boundary over the event rows
		assertThat(query.clockBounded()).isTrue();
		assertThat(query.boundaries()).singleElement().satisfies((boundary) -> {
			assertThat(boundary.eventAlias()).isNotNull();
			assertThat(boundary.valueSql()).endsWith(".occurred_at");
		});

		// and the crossed contacts are read from events between the two edges, with both
		// edges bound
		ContactSelection crossed = crossed(
				JOIN + "e.event_type = 'open' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)")
			.orElseThrow();
		// (of each contact's latest open: LatestEventBoundaryTests)
		assertThat(crossed.sql()).startsWith("SELECT e0.contact_key FROM contact_last_event e0 WHERE");
		assertThat(crossed.parameters()).contains(java.time.OffsetDateTime.parse("2026-05-02T00:00Z"),
				java.time.OffsetDateTime.parse("2026-05-02T01:00Z"));
	}

	@Test
	void anEventWindowIsCrossedOnlyByTheEventsItsJoinCounts() {
		// given an engagement window over opens
		ContactSelection crossed = crossed(
				JOIN + "e.event_type = 'open' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)")
			.orElseThrow();

		// then only opens between the two edges are candidates, not every event there
		assertThat(crossed.sql()).endsWith(" AND (e0.event_type = ?::text)");
		assertThat(crossed.parameters()).last().isEqualTo("open");
	}

	@ParameterizedTest
	@ValueSource(strings = {
			"contact_id NOT IN (SELECT contact_id FROM event_data WHERE event_type = 'open' AND timestamp > timestampadd(day, -90, CURRENT_TIMESTAMP))",
			"contact_id IN (SELECT contact_id FROM event_data WHERE timestamp > timestampadd(day, -90, CURRENT_TIMESTAMP) AND event_type = 'open')",
			"NOT EXISTS (SELECT 1 FROM event_data e WHERE e.contact_id = contact_data.contact_id AND e.event_type = 'open' AND e.timestamp > timestampadd(day, -90, CURRENT_TIMESTAMP))" })
	void aSubqueryWindowIsCrossedOnlyByTheEventsItsSubqueryCounts(String where) {
		// given an engagement window inside an event subquery, over opens
		ContactSelection crossed = crossed(SELECT + where).orElseThrow();

		// then only opens between the two edges are candidates, not every event there
		assertThat(crossed.sql()).matches("(?s).* AND \\(e\\d+\\.event_type = \\?::text\\)$");
		assertThat(crossed.parameters()).last().isEqualTo("open");
	}

	@Test
	void aSubqueryWindowsNearestValueAheadIsAmongTheEventsItsSubqueryCounts() {
		// given a "never opened in 90 days" segment
		CompiledQuery query = this.compiler.compile(SELECT
				+ "contact_id NOT IN (SELECT contact_id FROM event_data WHERE event_type = 'open' AND timestamp > timestampadd(day, -90, CURRENT_TIMESTAMP))",
				this.fields, null, LATER);

		// then the distance to the next crossing is measured to the next open, not to the
		// next event of any type (which at scale also read every event ahead of the
		// bound)
		ClockHorizon.DistanceQuery distance = ClockHorizon.nearestValueAhead(query).orElseThrow();
		assertThat(distance.sql()).matches("(?s).* AND \\(e\\d+\\.event_type = \\?::text\\)\\) distances$");
		assertThat(distance.parameters()).last().isEqualTo("open");
	}

	@Test
	void aSubqueryConditionOnTheJoinedEventDoesNotFilterTheSubquerysEvents() {
		// given a subquery window whose other condition reads the outer join's event
		CompiledQuery query = this.compiler.compile(JOIN + "e.event_type = 'click' AND e.contact_id NOT IN "
				+ "(SELECT contact_id FROM event_data x WHERE x.event_type = e.event_type "
				+ "AND x.timestamp > timestampadd(day, -7, CURRENT_TIMESTAMP))", this.fields, null, LATER);

		// then the subquery's boundary has no filter: its other condition holds or fails
		// for an event with the joined event, not of itself
		assertThat(query.boundaries()).singleElement()
			.satisfies((boundary) -> assertThat(boundary.filterSql()).isNull());
	}

	@ParameterizedTest
	@ValueSource(strings = { "renewal < timestampadd(hour, 2, CURRENT_TIMESTAMP)",
			"renewal BETWEEN NOW() - INTERVAL 2 HOUR AND NOW() + INTERVAL 3 HOUR",
			"created_at >= timestampadd(hour, -3, date_trunc('hour', CURRENT_TIMESTAMP))",
			"NOW() > created_at AND plan = 'gold'", "NOT (updated_at > NOW() - INTERVAL '7 days') OR renewal IS NULL",
			"contact_id NOT IN (SELECT contact_id FROM event_data WHERE event_type = 'open' AND timestamp > NOW() - INTERVAL 4 HOUR)", })
	void comparisonsWithAForwardMovingBoundAreBounded(String where) {
		// given a clock read only as a bound that moves forward / then the crossed
		// contacts can be named
		assertThat(crossed(SELECT + where)).isPresent();
	}

	@Test
	void anAggregateInHavingIsBoundedByTheEventValuesItAggregates() {
		// given the latest open compared with a moving bound
		Optional<ContactSelection> crossed = crossed(JOIN + "e.event_type = 'open' GROUP BY c.contact_id, c.updated_at "
				+ "HAVING MAX(e.timestamp) > timestampadd(minute, -150, CURRENT_TIMESTAMP)");

		// then the crossed contacts are those with any event whose time the bound swept
		// past
		assertThat(crossed)
			.hasValueSatisfying((selection) -> assertThat(selection.sql()).contains("occurred_at) BETWEEN"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "coalesce(renewal, CURRENT_TIMESTAMP) < timestampadd(hour, 1, NOW())",
			"NOW() > timestampadd(day, 1, NOW())", "created_at IN (NOW(), '2026-01-01')", "concat(NOW()) = 'x'",
			"timestampadd(day, length(plan), NOW()) > created_at", "CURRENT_TIMESTAMP IS NULL", })
	void otherClockReadsAreNotBounded(String where) {
		// given the clock read in a way whose change is not confined to an interval of
		// values
		// then no shortcut is offered
		assertThat(crossed(SELECT + where)).isEmpty();
	}

	@Test
	void aQueryWithoutTheClockCrossesNothing() {
		// given no clock read / then nothing is crossed, and no boundary is recorded
		CompiledQuery query = this.compiler.compile(SELECT + "plan = 'gold'", this.fields, null, LATER);
		assertThat(query.boundaries()).isEmpty();
		assertThat(crossed(SELECT + "plan = 'gold'"))
			.hasValueSatisfying((selection) -> assertThat(selection.sql()).contains("WHERE false"));
	}

}
