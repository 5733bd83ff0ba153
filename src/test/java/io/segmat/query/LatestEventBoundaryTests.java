package io.segmat.query;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which windows only a contact's latest event of a type can cross (V13's
 * contact_last_event): one event above a lower bound on its timestamp is all the query
 * asks, and nothing but the event's type decides which events count. Any other shape
 * sweeps every event, as before.
 */
class LatestEventBoundaryTests {

	private static final Instant EARLIER = Instant.parse("2026-06-01T00:00:00Z");

	private static final Instant LATER = EARLIER.plus(Duration.ofHours(1));

	private static final String SELECT = "SELECT contact_id, updated_at FROM contact_data WHERE ";

	private static final String JOIN = "SELECT c.contact_id, c.updated_at FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id WHERE ";

	private final QueryCompiler compiler = new QueryCompiler();

	private final FieldCatalog fields = new FieldCatalog(List.of(new CatalogField("e1_T", "plan", FieldType.TEXT)));

	private String crossedSql(String query) {
		CompiledQuery before = this.compiler.compile(query, this.fields, null, EARLIER);
		CompiledQuery after = this.compiler.compile(query, this.fields, null, LATER);
		return after.crossedSince(before).orElseThrow().sql();
	}

	private String distanceSql(String query) {
		return ClockHorizon.nearestValueAhead(this.compiler.compile(query, this.fields, null, LATER))
			.orElseThrow()
			.sql();
	}

	@ParameterizedTest
	@ValueSource(strings = { JOIN + "e.event_type = 'open' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)",
			JOIN + "(e.event_type = 'open' OR e.event_type = 'click') AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)",
			JOIN + "e.event_type IN ('open', 'click') AND e.timestamp >= timestampadd(day, -30, CURRENT_TIMESTAMP)",
			JOIN + "timestampadd(day, -30, CURRENT_TIMESTAMP) < e.timestamp",
			JOIN + "c.country = 'UK' AND e.event_type = 'click' AND e.timestamp > timestampadd(day, -7, CURRENT_TIMESTAMP)",
			SELECT + "contact_id NOT IN (SELECT contact_id FROM event_data WHERE event_type = 'open' AND timestamp > timestampadd(day, -90, CURRENT_TIMESTAMP))",
			SELECT + "contact_id IN (SELECT contact_id FROM event_data WHERE timestamp > timestampadd(day, -90, CURRENT_TIMESTAMP) AND event_type = 'open')",
			SELECT + "NOT EXISTS (SELECT 1 FROM event_data e WHERE e.contact_id = contact_data.contact_id AND e.event_type = 'open' AND e.timestamp > timestampadd(day, -90, CURRENT_TIMESTAMP))",
			SELECT + "EXISTS (SELECT 1 FROM event_data e WHERE e.contact_id = contact_data.contact_id AND e.timestamp > timestampadd(day, -90, CURRENT_TIMESTAMP))" })
	void aWindowThatOneRecentEventOfATypeSatisfiesIsCrossedByTheLatestEventsAlone(String query) {
		// given a window that asks for one event above a bound, of types named by the
		// event's type alone

		// then the contacts swept past are those whose latest event of a type crossed,
		// and the next crossing is the nearest such latest event ahead
		assertThat(crossedSql(query)).matches("(?s)SELECT e\\d+\\.contact_key FROM contact_last_event e\\d+ WHERE .*");
		assertThat(distanceSql(query)).contains(" FROM contact_last_event e").doesNotContain("email_event");
	}

	@ParameterizedTest
	@ValueSource(strings = {
			// a count: an older event leaving the window lowers it
			JOIN + "e.event_type = 'open' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP) "
					+ "GROUP BY c.contact_id, c.updated_at HAVING COUNT(*) >= 3",
			// an upper bound: the earliest event enters first, not the latest
			JOIN + "e.event_type = 'open' AND e.timestamp < timestampadd(day, -30, CURRENT_TIMESTAMP)",
			// two edges: an event entering the inner one need not be anyone's latest
			JOIN + "e.timestamp BETWEEN timestampadd(day, -60, CURRENT_TIMESTAMP) AND timestampadd(day, -30, CURRENT_TIMESTAMP)",
			// which events count depends on more than their type
			JOIN + "e.event_type = 'click' AND e.url = 'https://example.com/a' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)",
			JOIN + "(e.event_type = 'open' OR c.country = 'UK') AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)",
			SELECT + "contact_id IN (SELECT contact_id FROM event_data WHERE singlesend_id = 'ss-1' AND timestamp > timestampadd(day, -90, CURRENT_TIMESTAMP))",
			// a condition tied to the joined event: the subquery's events count with it
			JOIN + "e.event_type = 'click' AND e.contact_id NOT IN (SELECT contact_id FROM event_data x "
					+ "WHERE x.event_type = e.event_type AND x.timestamp > timestampadd(day, -7, CURRENT_TIMESTAMP))",
			// the bound is not a plain conjunct
			JOIN + "e.event_type = 'open' AND (e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP) OR e.event_type = 'click')" })
	void anyOtherWindowIsCrossedByEveryEvent(String query) {
		// given a window that an event other than a contact's latest of its type can
		// decide

		// then every event the bounds swept past still names its contact
		assertThat(crossedSql(query)).doesNotContain("contact_last_event").contains(" FROM email_event ");
		assertThat(distanceSql(query)).doesNotContain("contact_last_event");
	}

}
