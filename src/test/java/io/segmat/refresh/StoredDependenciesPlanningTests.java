package io.segmat.refresh;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.segmat.query.QueryCompiler;
import io.segmat.query.QueryDependencies;
import io.segmat.query.StoredDependencies;
import io.segmat.segments.Segment;
import io.segmat.segments.Segments;
import io.segmat.testsupport.SpringTestSupport;
import io.segmat.testsupport.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doNothing;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;

/**
 * The planner decides from the dependencies stored with each query: it compiles a query
 * only when they are missing or name a custom field that is gone.
 */
class StoredDependenciesPlanningTests extends SpringTestSupport {

	private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

	private static final String UK = "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'";

	private static final String OPENERS = "SELECT c.contact_id, c.updated_at FROM contact_data c "
			+ "JOIN event_data e ON c.contact_id = e.contact_id WHERE e.event_type = 'open'";

	@Autowired
	private RefreshLauncher launcher;

	@Autowired
	private Segments segments;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private RefreshSettings settings;

	private TestData data;

	@BeforeEach
	void emptyDatabase() {
		database.truncateAll();
		this.data = new TestData(this.jdbc);
		this.data.contact("ada@example.com", "Ada", "UK");
		this.data.contact("bob@example.com", "Bob", "US");
	}

	@Test
	void segmentsWithStoredDependenciesArePlannedWithoutCompilingAQuery() {
		// given a segment over contacts and one over events, materialized, and then only
		// an event
		Segment uk = this.segments.create("uk", UK, null);
		Segment openers = this.segments.create("openers", OPENERS, null);
		refresh(T0);
		this.data.event("bob@example.com", "open", T0.plus(Duration.ofMinutes(10)));
		QueryCompiler compiler = handedAheadOnly();
		List<UUID> invalid = new ArrayList<>();

		// when a run an hour later is planned
		Instant asOf = T0.plus(Duration.ofHours(1));
		Map<UUID, PlannedSegment.Work> plan = plan(compiler, asOf, invalid);

		// then only the segment reading events is evaluated, the other only has its
		// sample due, and no query was compiled: the evaluated one's was handed to the
		// compiler to compile ahead, at the run's instant
		assertThat(plan).containsEntry(id(openers), PlannedSegment.Work.EVALUATE)
			.containsEntry(id(uk), PlannedSegment.Work.REPUBLISH);
		assertThat(invalid).isEmpty();
		verify(compiler, never()).compile(any(), any(), any(), any());
		verify(compiler, never()).validate(any(), any());
		verify(compiler, never()).validate(any(), any(), any());
		assertThat(handedAhead(compiler)).extracting(QueryCompiler.Ahead::queryDsl, QueryCompiler.Ahead::asOf)
			.containsExactly(tuple(OPENERS, asOf));
	}

	@Test
	void aSegmentWhoseStoredDependenciesSayNoEventsIsNotEvaluatedAfterOnlyAnEvent() {
		// given two segments materialized at T0, and then only an event
		Segment uk = this.segments.create("uk", UK, null);
		Segment openers = this.segments.create("openers", OPENERS, null);
		refresh(T0);
		this.data.event("bob@example.com", "open", T0.plus(Duration.ofMinutes(10)));

		// when the next hourly run comes
		refresh(T0.plus(Duration.ofHours(1)));

		// then the segment over contacts only was not evaluated again; the one reading
		// events was, and has Bob
		assertThat(evaluationCount(uk)).isEqualTo(1);
		assertThat(evaluationCount(openers)).isEqualTo(2);
		assertThat(this.data.members(id(openers))).containsExactly("bob@example.com");
	}

	@Test
	void aRowFromBeforeTheMigrationGetsItsDependenciesOnceAndIsPlannedAsBefore() {
		// given segments materialized at T0 whose rows, like those from before
		// dependencies were stored, have none
		String plan = this.data.field("plan", "Text");
		UUID newsletter = this.data.list("newsletter");
		Segment gold = this.segments.create("gold",
				"SELECT contact_id, updated_at FROM contact_data WHERE plan = 'gold'", List.of(newsletter.toString()));
		Segment openers = this.segments.create("openers", OPENERS, null);
		refresh(T0);
		this.jdbc.sql("UPDATE segment SET dependencies = NULL, dependencies_revision = NULL").update();
		this.data.event("bob@example.com", "open", T0.plus(Duration.ofMinutes(10)));

		// when a run is planned, and then another
		Map<UUID, PlannedSegment.Work> first = plan(new QueryCompiler(), T0.plus(Duration.ofHours(1)),
				new ArrayList<>());
		QueryCompiler compiler = handedAheadOnly();
		Map<UUID, PlannedSegment.Work> second = plan(compiler, T0.plus(Duration.ofHours(1)), new ArrayList<>());

		// then the first stored what the queries depend on, for their revision, and the
		// second compiled nothing
		assertThat(first).containsEntry(id(openers), PlannedSegment.Work.EVALUATE)
			.containsEntry(id(gold), PlannedSegment.Work.REPUBLISH);
		assertThat(second).isEqualTo(first);
		assertThat(storedRevision(gold)).isEqualTo(1);
		assertThat(stored(gold).contactColumns()).contains(plan);
		assertThat(stored(gold).listIds()).containsExactly(newsletter);
		assertThat(stored(gold).events()).isFalse();
		assertThat(stored(openers).events()).isTrue();
		verify(compiler, never()).compile(any(), any(), any(), any());
	}

	@Test
	void dependenciesStoredForAnEarlierRevisionAreNotTrusted() {
		// given a segment whose stored dependencies, saying it reads no events, belong to
		// an earlier query
		Segment openers = this.segments.create("openers", OPENERS, null);
		refresh(T0);
		this.jdbc.sql("UPDATE segment SET dependencies = ?::jsonb, dependencies_revision = 0")
			.param(StoredDependencies
				.toJson(new QueryDependencies(java.util.Set.of(), java.util.Set.of(), false, false, false)))
			.update();
		this.data.event("bob@example.com", "open", T0.plus(Duration.ofMinutes(10)));

		// when the next hourly run comes
		refresh(T0.plus(Duration.ofHours(1)));

		// then the query's own dependencies decided: it reads events, so it was
		// evaluated, and they are stored now
		assertThat(evaluationCount(openers)).isEqualTo(2);
		assertThat(storedRevision(openers)).isEqualTo(1);
		assertThat(stored(openers).events()).isTrue();
	}

	@Test
	void aDeletedCustomFieldMakesTheSegmentInvalidAtTheNextRunEvenWhenNothingElseChanged() {
		// given a segment over a custom field, materialized, and then the field deleted
		String plan = this.data.field("plan", "Text");
		this.data.customField("ada@example.com", plan, "\"gold\"");
		Segment gold = this.segments.create("gold",
				"SELECT contact_id, updated_at FROM contact_data WHERE plan = 'gold'", null);
		Segment uk = this.segments.create("uk", UK, null);
		refresh(T0);
		this.jdbc.sql("DELETE FROM custom_field WHERE id = ?").param(plan).update();

		// when a run comes, within the hour and with no contact changed
		RefreshRun run = refresh(T0.plus(Duration.ofMinutes(15)));

		// then the segment is INVALID, naming the field, and the other is untouched
		assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED_WITH_FAILED_SEGMENTS);
		assertThat(run.failedSegments()).singleElement().asString().startsWith("gold: ").contains("plan");
		Segment invalid = this.segments.get(id(gold));
		assertThat(invalid.status().queryValidation()).isEqualTo("INVALID");
		assertThat(invalid.status().errorMessage()).contains("plan");
		assertThat(evaluationCount(uk)).isEqualTo(1);
	}

	@Test
	void aFieldDeletedAndCreatedAgainUnderItsNameIsReadByItsNewId() {
		// given a segment over a custom field whose field is deleted and created again
		// with the same name
		String old = this.data.field("plan", "Text");
		Segment gold = this.segments.create("gold",
				"SELECT contact_id, updated_at FROM contact_data WHERE plan = 'gold'", null);
		refresh(T0);
		this.jdbc.sql("DELETE FROM custom_field WHERE id = ?").param(old).update();
		String again = this.data.field("plan", "Text");

		// when a run comes
		RefreshRun run = refresh(T0.plus(Duration.ofMinutes(15)));

		// then the query still compiles, stays VALID, and its stored dependencies name
		// the new field
		assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(this.segments.get(id(gold)).status().queryValidation()).isEqualTo("VALID");
		assertThat(stored(gold).contactColumns()).contains(again).doesNotContain(old);
	}

	private Map<UUID, PlannedSegment.Work> plan(QueryCompiler compiler, Instant asOf, List<UUID> invalid) {
		return new RefreshPlanner(this.jdbc, compiler, this.settings).plan(asOf, (id, message) -> invalid.add(id))
			.stream()
			.collect(Collectors.toMap(PlannedSegment::segmentId, PlannedSegment::work));
	}

	/**
	 * A compiler that records what it is asked, and does not compile ahead what it is
	 * handed: a compile seen is the planner's own.
	 */
	private static QueryCompiler handedAheadOnly() {
		QueryCompiler compiler = spy(new QueryCompiler());
		doNothing().when(compiler).compileAhead(any());
		return compiler;
	}

	@SuppressWarnings("unchecked")
	private static List<QueryCompiler.Ahead> handedAhead(QueryCompiler compiler) {
		ArgumentCaptor<List<QueryCompiler.Ahead>> requests = ArgumentCaptor.forClass(List.class);
		verify(compiler).compileAhead(requests.capture());
		return requests.getValue();
	}

	private RefreshRun refresh(Instant asOf) {
		return this.launcher.launch(asOf.toString(), asOf.toString(), 2);
	}

	private QueryDependencies stored(Segment segment) {
		String json = this.jdbc.sql("SELECT dependencies::text FROM segment WHERE id = ?")
			.param(id(segment))
			.query(String.class)
			.single();
		return StoredDependencies.fromJson(json).orElseThrow();
	}

	private Integer storedRevision(Segment segment) {
		return this.jdbc.sql("SELECT dependencies_revision FROM segment WHERE id = ?")
			.param(id(segment))
			.query(Integer.class)
			.single();
	}

	private long evaluationCount(Segment segment) {
		return this.jdbc.sql("SELECT count(*) FROM segment_evaluation WHERE segment_id = ?")
			.param(id(segment))
			.query(Long.class)
			.single();
	}

	private static UUID id(Segment segment) {
		return UUID.fromString(segment.id());
	}

}
