package io.segmat.refresh;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.segmat.query.FieldCatalog;
import io.segmat.query.QueryCompiler;
import io.segmat.query.QueryDependencies;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the planner hands the compiler to compile ahead for a segment due: the compiles
 * its evaluation asks for before its first statement.
 */
class CompilesAheadTests {

	private static final Instant AS_OF = Instant.parse("2026-06-01T12:00:00Z");

	private static final Instant LAST = AS_OF.minus(Duration.ofHours(1));

	private static final String WINDOW = "SELECT c.contact_id, c.updated_at FROM contact_data c "
			+ "JOIN event_data e ON c.contact_id = e.contact_id "
			+ "WHERE e.event_type = 'open' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)";

	private static final UUID PARENT = UUID.fromString("6d3c1b2a-0000-4000-8000-000000000001");

	private final FieldCatalog fields = new FieldCatalog(List.of());

	private static RefreshPlanner.SegmentRow evaluated(int queryRevision, Integer evaluatedRevision,
			Instant evaluatedAt) {
		return new RefreshPlanner.SegmentRow(UUID.randomUUID(), "window", WINDOW, PARENT, "VALID", queryRevision,
				evaluatedRevision, 7L, (evaluatedAt != null) ? Timestamp.from(evaluatedAt) : null, null, null, null,
				null);
	}

	private static QueryDependencies readsClock(boolean clock) {
		return new QueryDependencies(Set.of(), Set.of(), false, true, clock);
	}

	@Test
	void aClockSegmentEvaluatedBeforeIsCompiledAtItsInstantAndAtTheLastEvaluations() {
		// given a window evaluated an hour ago with the same query
		RefreshPlanner.SegmentRow segment = evaluated(3, 3, LAST);

		// when the planner finds it due
		List<QueryCompiler.Ahead> ahead = RefreshPlanner.compilesAhead(segment, readsClock(true), this.fields, AS_OF);

		// then its query is compiled ahead at both instants, under its parent list
		assertThat(ahead).containsExactly(new QueryCompiler.Ahead(WINDOW, this.fields, PARENT, AS_OF),
				new QueryCompiler.Ahead(WINDOW, this.fields, PARENT, LAST));
	}

	@Test
	void aChangedQueryIsCompiledAtTheInstantOnly() {
		// given a window whose query changed since its last evaluation
		RefreshPlanner.SegmentRow segment = evaluated(4, 3, LAST);

		// when the planner finds it due
		List<QueryCompiler.Ahead> ahead = RefreshPlanner.compilesAhead(segment, readsClock(true), this.fields, AS_OF);

		// then only the instant's compile is asked for: the evaluation starts afresh
		assertThat(ahead).extracting(QueryCompiler.Ahead::asOf).containsExactly(AS_OF);
	}

	@Test
	void aQueryThatDoesNotReadTheClockIsCompiledOnce() {
		// given a segment evaluated before whose query does not read the clock
		RefreshPlanner.SegmentRow segment = evaluated(3, 3, LAST);

		// when the planner finds it due
		List<QueryCompiler.Ahead> ahead = RefreshPlanner.compilesAhead(segment, readsClock(false), this.fields, AS_OF);

		// then one compile is asked for: its result stands at any instant
		assertThat(ahead).extracting(QueryCompiler.Ahead::asOf).containsExactly(AS_OF);
	}

	@Test
	void aSegmentNeverEvaluatedIsCompiledAtTheInstantOnly() {
		// given a new window
		RefreshPlanner.SegmentRow segment = evaluated(1, null, null);

		// when the planner finds it due
		List<QueryCompiler.Ahead> ahead = RefreshPlanner.compilesAhead(segment, readsClock(true), this.fields, AS_OF);

		// then only the instant's compile is asked for
		assertThat(ahead).extracting(QueryCompiler.Ahead::asOf).containsExactly(AS_OF);
	}

}
