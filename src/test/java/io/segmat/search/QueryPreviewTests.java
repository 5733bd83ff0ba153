package io.segmat.search;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.segmat.NotFoundException;
import io.segmat.query.QueryCompiler;
import io.segmat.query.QueryException;
import io.segmat.refresh.ManualRefresh;
import io.segmat.refresh.RefreshSettings;
import io.segmat.segments.Segments;
import io.segmat.testsupport.SpringTestSupport;
import io.segmat.testsupport.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The dry run of a segment's new query: the counts of who would enter and leave equal a
 * hand-written difference of the new query's contacts and the stored membership, and
 * nothing in the database changes.
 */
class QueryPreviewTests extends SpringTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String UK = "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'";

	private static final String UK_OR_FR_GOLD = "SELECT contact_id, updated_at FROM contact_data "
			+ "WHERE country = 'UK' OR (country = 'FR' AND plan = 'gold')";

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Segments segments;

	@Autowired
	ManualRefresh manualRefresh;

	@Autowired
	QueryPreview preview;

	@Autowired
	QueryCompiler compiler;

	@Autowired
	Clock clock;

	@Autowired
	PlatformTransactionManager transactionManager;

	private SearchTestData.Loaded loaded;

	private UUID segment;

	@BeforeEach
	void materializedSegment() {
		database.truncateAll();
		this.loaded = SearchTestData.load(this.jdbc);
		this.segment = UUID.fromString(this.segments.create("uk", UK, null).id());
		this.manualRefresh.refresh(this.segment, "UTC", null);
		// since the evaluation: one member deleted, one moved out, one non-member moved
		// in
		TestData data = new TestData(this.jdbc);
		data.delete("ann0@example.com");
		data.update("bob3@example.com", "country", "US");
		data.update("bob1@example.com", "country", "UK");
	}

	@Test
	void enteredAndLeftAreTheHandWrittenDifference() {
		QueryPreview.SegmentPreview result = this.preview.segment(this.segment, UK_OR_FR_GOLD);

		List<Long> fresh = keys("SELECT c.contact_key FROM contact c WHERE c.country = 'UK' "
				+ "OR (c.country = 'FR' AND c.custom_fields ->> '" + this.loaded.planFieldId() + "' = 'gold')");
		List<Long> current = keys("SELECT m.contact_key FROM segment_member m JOIN segment s USING (segment_key) "
				+ "WHERE s.id = '" + this.segment + "'");
		List<Long> entered = new ArrayList<>(fresh);
		entered.removeAll(current);
		List<Long> left = new ArrayList<>(current);
		left.removeAll(fresh);
		assertThat(entered).isNotEmpty();
		assertThat(left).hasSize(2);
		assertThat(result.currentCount()).isEqualTo(current.size()).isEqualTo(24);
		assertThat(result.contactsCount()).isEqualTo(fresh.size());
		assertThat(result.enteredCount()).isEqualTo(entered.size());
		assertThat(result.leftCount()).isEqualTo(left.size());
		assertThat(emails(result.enteredSample())).containsExactlyElementsOf(emailsOf(entered, 10));
		// the deleted member leaves, but there is no contact left to show
		assertThat(emails(result.leftSample())).containsExactly("bob3@example.com");
		assertThat(result.currentEvaluatedAt()).isNotNull();
	}

	@Test
	void theSameQueryPreviewsOnlyWhatChangedSinceTheEvaluation() {
		QueryPreview.SegmentPreview result = this.preview.segment(this.segment, UK);

		assertThat(result.enteredCount()).isEqualTo(1);
		assertThat(emails(result.enteredSample())).containsExactly("bob1@example.com");
		assertThat(result.leftCount()).isEqualTo(2);
		assertThat(result.contactsCount()).isEqualTo(23);
	}

	@Test
	void aPreviewWritesNothing() {
		String before = databaseState();

		this.preview.segment(this.segment, UK_OR_FR_GOLD);
		this.preview.query(UK_OR_FR_GOLD, this.loaded.listId());
		QueryException refused = catchThrowableOfType(QueryException.class,
				() -> this.preview.segment(this.segment, "SELECT nonsense"));

		assertThat(refused).isNotNull();
		assertThat(databaseState()).isEqualTo(before);
	}

	@Test
	void aPreviewPastTheRefreshTimeoutIsAnEvaluationTimeout() throws Exception {
		RefreshSettings quick = new RefreshSettings(null, Duration.ofMillis(200), null, null, null, null);
		QueryPreview preview = new QueryPreview(this.jdbc, this.compiler, this.clock, this.transactionManager, quick);
		EvaluationTimeoutException timedOut;
		try (AutoCloseable lock = SearchTestData.lock(database.dataSource(), "contact")) {
			timedOut = catchThrowableOfType(EvaluationTimeoutException.class,
					() -> preview.segment(this.segment, UK_OR_FR_GOLD));
		}

		assertThat(timedOut).hasMessage("the preview ran past its statement timeout of 200 ms");
	}

	@Test
	void anUnknownSegmentOrABadQueryIsRefused() {
		assertThat(catchThrowableOfType(NotFoundException.class, () -> this.preview.segment(UUID.randomUUID(), UK)))
			.hasMessage(Segments.NOT_FOUND);
		assertThat(catchThrowableOfType(QueryException.class,
				() -> this.preview.segment(this.segment, UK.replace("country", "contry"))))
			.hasMessageStartingWith("unknown column 'contry' at line 1, column 55");
	}

	@Test
	void aSegmentWithAParentListPreviewsWithinIt() {
		UUID child = UUID
			.fromString(this.segments.create("uk on the list", UK, List.of(this.loaded.listId().toString())).id());

		QueryPreview.SegmentPreview result = this.preview.segment(child, UK_OR_FR_GOLD);

		assertThat(result.currentEvaluatedAt()).isNull();
		assertThat(result.currentCount()).isZero();
		assertThat(result.enteredCount()).isEqualTo(result.contactsCount())
			.isEqualTo(keys("SELECT c.contact_key FROM contact c JOIN list_member lm ON lm.contact_key = c.contact_key "
					+ "AND lm.list_id = '" + this.loaded.listId() + "' WHERE c.country = 'UK' OR (c.country = 'FR' "
					+ "AND c.custom_fields ->> '" + this.loaded.planFieldId() + "' = 'gold')")
				.size());
	}

	@Test
	void aQueryAlonePreviewsItsCountAndTheFirstFifty() {
		QueryPreview.Preview result = this.preview.query("SELECT contact_id, updated_at FROM contact_data", null);

		List<Long> all = keys("SELECT contact_key FROM contact");
		assertThat(result.contactsCount()).isEqualTo(all.size());
		assertThat(emails(result.contactsSample())).containsExactlyElementsOf(emailsOf(all, 50));
	}

	/** Every table a preview could touch, as text. */
	private String databaseState() {
		List<String> state = new ArrayList<>();
		for (String sql : List.of("SELECT s::text FROM segment s ORDER BY id",
				"SELECT segment_key || ':' || contact_key FROM segment_member ORDER BY segment_key, contact_key",
				"SELECT e::text FROM segment_evaluation e ORDER BY id",
				"SELECT c::text FROM contact c ORDER BY contact_key",
				"SELECT j::text FROM batch_job_execution j ORDER BY job_execution_id",
				"SELECT s::text FROM batch_step_execution s ORDER BY step_execution_id",
				"SELECT x::text FROM batch_job_execution_context x ORDER BY job_execution_id")) {
			state.addAll(this.jdbc.sql(sql).query(String.class).list());
		}
		return String.join("\n", state);
	}

	private List<Long> keys(String sql) {
		return this.jdbc.sql(sql + " ORDER BY 1").query(Long.class).list();
	}

	private List<String> emailsOf(List<Long> keys, int limit) {
		return this.jdbc.sql("SELECT email FROM contact WHERE contact_key = ANY (?) ORDER BY contact_key LIMIT ?")
			.params(keys.toArray(Long[]::new), limit)
			.query(String.class)
			.list();
	}

	private static List<String> emails(String contacts) {
		List<String> emails = new ArrayList<>();
		JSON.readTree(contacts).forEach((contact) -> emails.add(contact.get("email").asString()));
		return emails;
	}

}
