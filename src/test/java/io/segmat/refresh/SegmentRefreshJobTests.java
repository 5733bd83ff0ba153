package io.segmat.refresh;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.segmat.SegmatApplication;
import io.segmat.segments.Segment;
import io.segmat.segments.Segments;
import io.segmat.testsupport.TestData;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(classes = SegmatApplication.class, properties = "segmat.refresh.statement-timeout=1500ms")
@SpringBatchTest
class SegmentRefreshJobTests {

	private static final TestDatabase database = TestDatabase.create();

	private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		database.register(registry);
	}

	@Autowired
	private RefreshLauncher launcher;

	@Autowired
	private Segments segments;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private JobRepository jobRepository;

	private TestData data;

	@BeforeEach
	void emptyDatabase() {
		database.truncateAll();
		this.data = new TestData(this.jdbc);
		this.data.contact("ada@example.com", "Ada", "UK");
		this.data.contact("bob@example.com", "Bob", "US");
		this.data.contact("cy@mail.test", "Cy", "UK");
	}

	@Test
	void firstRunMaterializesNewSegmentsWithCountAndSample() {
		Segment uk = this.segments.create("uk", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'",
				null);

		RefreshRun run = refresh(T0);

		assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(this.jobRepository.getJobExecution(run.executionId()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.data.members(id(uk))).containsExactly("ada@example.com", "cy@mail.test");
		Segment published = this.segments.get(id(uk));
		assertThat(published.contactsCount()).isEqualTo(2);
		assertThat(published.contactsSample()).contains("ada@example.com").contains("cy@mail.test");
		assertThat(published.sampleUpdatedAt()).isEqualTo("2026-06-01T00:00:00Z");
		assertThat(published.nextSampleUpdate()).isEqualTo("2026-06-01T01:00:00Z");
		assertThat(evaluation(uk)).containsEntry("entered", 2L)
			.containsEntry("exited", 0L)
			.containsEntry("job_execution_id", run.executionId());
	}

	@Test
	void deletingASegmentRemovesItsMembershipAndNoContact() {
		Segment uk = this.segments.create("uk", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'",
				null);
		refresh(T0);

		this.segments.delete(id(uk));

		assertThat(this.jdbc.sql("SELECT count(*) FROM segment_member").query(Long.class).single()).isZero();
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact").query(Long.class).single()).isEqualTo(3);
		assertThat(this.segments.find(id(uk))).isEmpty();
	}

	@Test
	void membershipIsRewrittenAsADifference() {
		Segment uk = this.segments.create("uk", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'",
				null);
		refresh(T0);
		String adaRowBefore = memberRowId(uk, "ada@example.com");

		this.data.update("cy@mail.test", "country", "FR");
		this.data.contact("dee@example.com", "Dee", "UK");
		RefreshRun run = refresh(T0.plus(Duration.ofHours(1)));

		assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(this.data.members(id(uk))).containsExactly("ada@example.com", "dee@example.com");
		assertThat(memberRowId(uk, "ada@example.com")).as("untouched member keeps its row").isEqualTo(adaRowBefore);
		assertThat(evaluation(uk)).containsEntry("entered", 1L)
			.containsEntry("exited", 1L)
			.containsEntry("contacts_count", 2L);
	}

	@Test
	void deletedContactsAndListMovesCountAsChanges() {
		UUID vip = this.data.list("vip");
		this.data.addToList("bob@example.com", vip);
		Segment inVip = this.segments.create("in-vip",
				"SELECT contact_id, updated_at FROM contact_data WHERE array_contains(list_ids, '" + vip + "')", null);
		Segment all = this.segments.create("all", "SELECT contact_id, updated_at FROM contact_data", null);
		refresh(T0);

		this.data.addToList("ada@example.com", vip);
		this.data.delete("cy@mail.test");
		refresh(T0.plus(Duration.ofHours(1)));

		assertThat(this.data.members(id(inVip))).containsExactly("ada@example.com", "bob@example.com");
		assertThat(this.data.members(id(all))).containsExactly("ada@example.com", "bob@example.com");
		assertThat(this.segments.get(id(all)).contactsCount()).isEqualTo(2);
	}

	@Test
	void aSegmentThatIsNotDueIsNotEvaluated() {
		Segment uk = this.segments.create("uk", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'",
				null);
		refresh(T0);

		// nothing changed, and within the hour: neither evaluation nor sample
		RefreshRun quiet = refresh(T0.plus(Duration.ofMinutes(30)));
		// a change, but less than an hour since the last evaluation
		this.data.update("bob@example.com", "country", "UK");
		RefreshRun early = refresh(T0.plus(Duration.ofMinutes(45)));

		assertThat(quiet.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(early.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(evaluationCount(uk)).isEqualTo(1);
		assertThat(this.data.members(id(uk))).hasSize(2);
	}

	@Test
	void sampleCadenceBacksOffAndResetsOnChange() {
		Segment uk = this.segments.create("uk", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'",
				null);
		refresh(T0);
		List<Long> intervals = new java.util.ArrayList<>();
		Instant now = T0;
		// every hour for three days, nothing changing: publications at +1, +3, +7, +15,
		// +31, +55 h
		for (int hour = 1; hour <= 72; hour++) {
			now = T0.plus(Duration.ofHours(hour));
			refresh(now);
			Segment s = this.segments.get(id(uk));
			if (s.sampleUpdatedAt().equals(now.toString())) {
				intervals.add(Duration.between(now, Instant.parse(s.nextSampleUpdate())).toHours());
			}
		}
		assertThat(intervals).containsExactly(2L, 4L, 8L, 16L, 24L, 24L);

		this.data.update("bob@example.com", "country", "UK");
		Instant changed = now.plus(Duration.ofHours(1));
		refresh(changed);

		Segment reset = this.segments.get(id(uk));
		assertThat(reset.contactsCount()).isEqualTo(3);
		assertThat(reset.sampleUpdatedAt()).isEqualTo(changed.toString());
		assertThat(reset.nextSampleUpdate()).isEqualTo(changed.plus(Duration.ofHours(1)).toString());
	}

	@Test
	void segmentsThatOnlyNeedTheirSampleRepublishedShareAtMostAPartitionPerWorker() {
		// given three segments materialized at T0, and nothing changed since
		Segment uk = this.segments.create("uk", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'",
				null);
		Segment us = this.segments.create("us", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'US'",
				null);
		Segment all = this.segments.create("all", "SELECT contact_id, updated_at FROM contact_data", null);
		refresh(T0);

		// when the run an hour later finds their samples due
		RefreshRun run = refresh(T0.plus(Duration.ofHours(1)));

		// then samples partitions, no more than the run's two workers, republished all
		// three, none was evaluated,
		// and each backs off to two hours
		assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		List<String> partitions = stepNames(run.executionId()).stream()
			.filter((name) -> !name.equals("evaluateSegmentsStep"))
			.toList();
		assertThat(partitions).hasSizeBetween(1, 2).allMatch((name) -> name.startsWith("evaluateSegmentStep:samples:"));
		assertThat(partitions.stream().mapToLong((name) -> readCount(run.executionId(), name)).sum()).isEqualTo(3);
		for (Segment segment : List.of(uk, us, all)) {
			Segment published = this.segments.get(id(segment));
			assertThat(published.sampleUpdatedAt()).isEqualTo("2026-06-01T01:00:00Z");
			assertThat(published.nextSampleUpdate()).isEqualTo("2026-06-01T03:00:00Z");
			assertThat(evaluationCount(segment)).isEqualTo(1);
		}
		assertThat(this.segments.get(id(all)).contactsSample()).contains("bob@example.com");
	}

	@Test
	void aFailedSamplesPartitionResumesAfterTheLastSegmentItPublished() {
		// given three segments whose samples are due at T0+1h in a one-worker run, and a
		// database that refuses the second one's
		Segment a = this.segments.create("a", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'",
				null);
		Segment b = this.segments.create("b", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'US'",
				null);
		Segment c = this.segments.create("c", "SELECT contact_id, updated_at FROM contact_data", null);
		refresh(T0);
		this.jdbc.sql("""
				ALTER TABLE segment ADD CONSTRAINT refuse_b
				CHECK (name <> 'b' OR sample_updated_at IS DISTINCT FROM '2026-06-01T01:00:00Z')""").update();
		String slot = T0.plus(Duration.ofHours(1)).toString();
		RefreshRun failed = this.launcher.launch(slot, slot, 1);
		this.jdbc.sql("ALTER TABLE segment DROP CONSTRAINT refuse_b").update();

		// when the slot is run again
		RefreshRun restarted = this.launcher.launch(slot, slot, 1);

		// then the first run failed after publishing a, and the restart published only b
		// and c
		assertThat(failed.outcome()).isEqualTo(RefreshRun.Outcome.FAILED);
		assertThat(readCount(failed.executionId(), "evaluateSegmentStep:samples:1")).isEqualTo(1);
		assertThat(restarted.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(readCount(restarted.executionId(), "evaluateSegmentStep:samples:1")).isEqualTo(2);
		for (Segment segment : List.of(a, b, c)) {
			assertThat(this.segments.get(id(segment)).sampleUpdatedAt()).isEqualTo("2026-06-01T01:00:00Z");
		}
	}

	@Test
	void aRestartFindsEachSegmentStillDueInTheSamplesPartitionItHad() {
		// given, in a two-worker run, a segment in the first samples partition and two in
		// the second,
		// and a database that refuses the last one's sample
		Segment a = withIdInGroup(this.segments.create("a", "SELECT contact_id, updated_at FROM contact_data", null),
				0);
		Segment b = withIdInGroup(
				this.segments.create("b", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'US'", null),
				1);
		Segment d = withIdInGroup(
				this.segments.create("d", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'", null),
				1);
		refresh(T0);
		this.jdbc.sql("""
				ALTER TABLE segment ADD CONSTRAINT refuse_d
				CHECK (name <> 'd' OR sample_updated_at IS DISTINCT FROM '2026-06-01T01:00:00Z')""").update();
		RefreshRun failed = refresh(T0.plus(Duration.ofHours(1)));
		this.jdbc.sql("ALTER TABLE segment DROP CONSTRAINT refuse_d").update();

		// when the slot is run again, with only d still due
		RefreshRun restarted = refresh(T0.plus(Duration.ofHours(1)));

		// then the second partition resumed with d, and every sample is published
		assertThat(failed.outcome()).isEqualTo(RefreshRun.Outcome.FAILED);
		assertThat(restarted.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(stepNames(restarted.executionId())).contains("evaluateSegmentStep:samples:2")
			.doesNotContain("evaluateSegmentStep:samples:1");
		assertThat(readCount(restarted.executionId(), "evaluateSegmentStep:samples:2")).isEqualTo(1);
		for (Segment segment : List.of(a, b, d)) {
			assertThat(this.segments.get(id(segment)).sampleUpdatedAt()).isEqualTo("2026-06-01T01:00:00Z");
		}
	}

	@Test
	void aCompletedSlotIsANoOp() {
		Segment uk = this.segments.create("uk", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'",
				null);
		RefreshRun first = this.launcher.launch("2026-06-01T00:00:00Z", T0.toString(), 2);
		this.data.update("bob@example.com", "country", "UK");

		RefreshRun again = this.launcher.launch("2026-06-01T00:00Z", T0.plus(Duration.ofHours(2)).toString(), 2);

		assertThat(first.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(again.outcome()).isEqualTo(RefreshRun.Outcome.ALREADY_COMPLETED);
		assertThat(again.message()).contains("already completed");
		assertThat(again.executionId()).isEqualTo(first.executionId());
		assertThat(evaluationCount(uk)).isEqualTo(1);
	}

	@Test
	void aFailedSlotRestartsAndRedoesOnlyTheUnfinishedSegments() {
		Segment uk = this.segments.create("uk", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'",
				null);
		Segment us = this.segments.create("us", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'US'",
				null);
		// given a database that refuses to record the evaluation of one segment
		this.jdbc.sql("ALTER TABLE segment_evaluation ADD CONSTRAINT refuse_us CHECK (segment_id <> '" + id(us) + "')")
			.update();
		RefreshRun failed = refresh(T0);
		this.jdbc.sql("ALTER TABLE segment_evaluation DROP CONSTRAINT refuse_us").update();

		RefreshRun restarted = refresh(T0);

		assertThat(failed.outcome()).isEqualTo(RefreshRun.Outcome.FAILED);
		assertThat(this.jobRepository.getJobExecution(failed.executionId()).getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(restarted.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(restarted.executionId()).isNotEqualTo(failed.executionId());
		assertThat(evaluationCount(uk)).as("uk completed in the first run and is not redone").isEqualTo(1);
		assertThat(evaluationCount(us)).isEqualTo(1);
		assertThat(this.data.members(id(us))).containsExactly("bob@example.com");
		assertThat(stepNames(restarted.executionId())).contains("evaluateSegmentStep:segment:" + id(us))
			.doesNotContain("evaluateSegmentStep:segment:" + id(uk));
	}

	@Test
	void anotherRunHoldingTheLockMeansLocked() throws Exception {
		Segment uk = this.segments.create("uk", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'",
				null);
		try (Connection other = database.dataSource().getConnection(); Statement statement = other.createStatement()) {
			statement.execute("SELECT pg_advisory_lock(" + io.segmat.db.AdvisoryLock.REFRESH.key() + ")");

			RefreshRun run = refresh(T0);

			assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.LOCKED);
			assertThat(run.executionId()).isNull();
		}
		assertThat(evaluationCount(uk)).isZero();
		assertThat(this.jobRepository.getJobInstances(SegmentRefreshJobConfiguration.JOB_NAME, 0, 10)).isEmpty();
	}

	@Test
	void concurrentLaunchesRunOnceAndTheOtherIsLockedOrSeesTheSlotDone() throws Exception {
		this.segments.create("uk", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'", null);
		var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
		try {
			var a = pool.submit(() -> refresh(T0));
			var b = pool.submit(() -> refresh(T0));
			List<RefreshRun.Outcome> outcomes = List.of(a.get().outcome(), b.get().outcome());

			assertThat(outcomes).containsOnlyOnce(RefreshRun.Outcome.COMPLETED);
			assertThat(outcomes).containsAnyOf(RefreshRun.Outcome.LOCKED, RefreshRun.Outcome.ALREADY_COMPLETED);
			assertThat(this.jdbc.sql("SELECT count(*) FROM batch_job_execution").query(Long.class).single())
				.isEqualTo(1);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aRunStillMarkedStartedIsRecoveredAndItsSlotCompletes() {
		Segment uk = this.segments.create("uk", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'",
				null);
		RefreshRun first = refresh(T0);
		// given an execution left STARTED, as by a process that was killed
		this.jdbc.sql(
				"UPDATE batch_job_execution SET status = 'STARTED', exit_code = 'UNKNOWN', end_time = NULL WHERE job_execution_id = ?")
			.param(first.executionId())
			.update();

		RefreshRun next = refresh(T0);

		assertThat(this.jobRepository.getJobExecution(first.executionId()).getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(next.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(this.data.members(id(uk))).containsExactly("ada@example.com", "cy@mail.test");
	}

	@Test
	void aSegmentWhoseFieldWasDeletedBecomesInvalidAndTheOthersContinue() {
		String plan = this.data.field("plan", "Text");
		this.data.customField("ada@example.com", plan, "\"gold\"");
		Segment gold = this.segments.create("gold",
				"SELECT contact_id, updated_at FROM contact_data WHERE plan = 'gold'", null);
		Segment uk = this.segments.create("uk", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'",
				null);
		refresh(T0);
		assertThat(this.data.members(id(gold))).containsExactly("ada@example.com");

		this.jdbc.sql("DELETE FROM custom_field WHERE id = ?").param(plan).update();
		this.data.update("bob@example.com", "country", "UK");
		RefreshRun run = refresh(T0.plus(Duration.ofHours(1)));

		assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED_WITH_FAILED_SEGMENTS);
		assertThat(run.failedSegments()).singleElement().asString().startsWith("gold: ").contains("plan");
		assertThat(this.jobRepository.getJobExecution(run.executionId()).getExitStatus().getExitCode())
			.isEqualTo(RefreshOutcomeListener.COMPLETED_WITH_FAILED_SEGMENTS);
		Segment invalid = this.segments.get(id(gold));
		assertThat(invalid.status().queryValidation()).isEqualTo("INVALID");
		assertThat(invalid.status().errorMessage()).contains("plan");
		assertThat(this.data.members(id(uk))).hasSize(3);
	}

	@Test
	void aStatementTimeoutIsolatesItsSegment() throws Exception {
		this.data.event("bob@example.com", "click", T0.minus(Duration.ofDays(1)));
		Segment clicked = this.segments.create("clicked", "SELECT c.contact_id, c.updated_at FROM contact_data c "
				+ "JOIN event_data e ON c.contact_id = e.contact_id WHERE e.event_type = 'click'", null);
		Segment uk = this.segments.create("uk", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'",
				null);
		RefreshRun run;
		try (Connection blocker = database.dataSource().getConnection();
				Statement statement = blocker.createStatement()) {
			// given another transaction writing the very membership row the evaluation
			// must insert, and not finishing
			blocker.setAutoCommit(false);
			statement
				.execute("INSERT INTO segment_member (segment_key, contact_key) SELECT s.segment_key, c.contact_key "
						+ "FROM segment s, contact c WHERE s.name = 'clicked' AND c.email = 'bob@example.com'");

			run = refresh(T0);

			blocker.rollback();
		}
		assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED_WITH_FAILED_SEGMENTS);
		assertThat(run.failedSegments()).singleElement()
			.asString()
			.startsWith("clicked: ")
			.contains("statement timeout");
		assertThat(this.segments.get(id(clicked)).status().queryValidation()).isEqualTo("INVALID");
		assertThat(this.data.members(id(clicked))).isEmpty();
		assertThat(this.segments.get(id(uk)).contactsCount()).isEqualTo(2);
		assertThat(this.data.members(id(uk))).containsExactly("ada@example.com", "cy@mail.test");
	}

	@Test
	void aDatabaseErrorMakesTheSegmentInvalidWithoutShowingPostgresWords() {
		Segment uk = this.segments.create("uk", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'",
				null);
		Segment us = this.segments.create("us", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'US'",
				null);
		// given a database that refuses one segment's membership rows
		this.jdbc
			.sql("ALTER TABLE segment_member ADD CONSTRAINT refuse_uk CHECK (segment_key <> "
					+ this.jdbc.sql("SELECT segment_key FROM segment WHERE name = 'uk'").query(Integer.class).single()
					+ ")")
			.update();
		RefreshRun run;
		try {
			run = refresh(T0);
		}
		finally {
			this.jdbc.sql("ALTER TABLE segment_member DROP CONSTRAINT refuse_uk").update();
		}

		assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED_WITH_FAILED_SEGMENTS);
		Segment invalid = this.segments.get(id(uk));
		assertThat(invalid.status().queryValidation()).isEqualTo("INVALID");
		assertThat(invalid.status().errorMessage()).contains("SQLSTATE 23514").doesNotContain("refuse_uk");
		assertThat(evaluation(uk)).containsEntry("status", "FAILED");
		assertThat((String) evaluation(uk).get("error_message")).contains("refuse_uk");
		assertThat(this.data.members(id(uk))).isEmpty();
		assertThat(this.data.members(id(us))).containsExactly("bob@example.com");
	}

	@Test
	void countAndSampleAgreeWithTheMembership() {
		for (int i = 0; i < 120; i++) {
			this.data.contact("p" + i + "@bulk.test", "P" + i, (i % 3 == 0) ? "US" : "UK");
		}
		Segment uk = this.segments.create("uk", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'",
				null);

		refresh(T0);

		Segment published = this.segments.get(id(uk));
		List<String> members = this.data.members(id(uk));
		List<String> sample = this.jdbc
			.sql("SELECT jsonb_array_elements(contacts_sample) ->> 'email' FROM segment WHERE id = ?")
			.param(id(uk))
			.query(String.class)
			.list();
		assertThat(published.contactsCount()).isEqualTo(members.size()).isEqualTo(82);
		assertThat(sample).hasSize(50).doesNotHaveDuplicates();
		assertThat(members).containsAll(sample);
	}

	@Test
	void aRestartOfAnExecutionFromBeforeTheSamplesPartitionsEvaluatesThePartitionsSegment() {
		// given uk materialized at T0, and a run at T0+1h that failed in uk's partition,
		// whose context says REPUBLISH as executions from before the samples partitions
		// stored it
		Segment uk = this.segments.create("uk", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'",
				null);
		refresh(T0);
		this.data.update("bob@example.com", "country", "UK");
		this.jdbc
			.sql("ALTER TABLE segment_evaluation ADD CONSTRAINT refuse_uk CHECK (segment_id <> '" + id(uk)
					+ "') NOT VALID")
			.update();
		Instant slot = T0.plus(Duration.ofHours(1));
		RefreshRun failed = refresh(slot);
		this.jdbc.sql("ALTER TABLE segment_evaluation DROP CONSTRAINT refuse_uk").update();
		storeOldWork(failed.executionId(), "evaluateSegmentStep:segment:" + id(uk));

		// when the slot is run again
		RefreshRun restarted = refresh(slot);

		// then the restart evaluates uk, so its count and sample include bob
		assertThat(failed.outcome()).isEqualTo(RefreshRun.Outcome.FAILED);
		assertThat(restarted.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(stepNames(restarted.executionId())).contains("evaluateSegmentStep:segment:" + id(uk));
		assertThat(this.segments.get(id(uk)).sampleUpdatedAt()).isEqualTo("2026-06-01T01:00:00Z");
		assertThat(this.segments.get(id(uk)).contactsCount())
			.isEqualTo(this.jdbc.sql("SELECT count(*) FROM contact WHERE country = 'UK'").query(Long.class).single());
		assertThat(evaluation(uk)).containsEntry("job_execution_id", restarted.executionId());
	}

	/**
	 * Stores the "work" key that partitions of executions from before the samples
	 * partitions had, saying REPUBLISH. Not a method returning a StepExecution:
	 * {@code @SpringBatchTest} would take it for the step scope's.
	 */
	private void storeOldWork(long executionId, String stepName) {
		long stepExecutionId = this.jdbc
			.sql("SELECT step_execution_id FROM batch_step_execution WHERE job_execution_id = ? AND step_name = ?")
			.params(executionId, stepName)
			.query(Long.class)
			.single();
		StepExecution partition = this.jobRepository.getStepExecution(executionId, stepExecutionId);
		partition.getExecutionContext().putString("work", "REPUBLISH");
		this.jobRepository.updateExecutionContext(partition);
	}

	private RefreshRun refresh(Instant asOf) {
		return this.launcher.launch(asOf.toString(), asOf.toString(), 2);
	}

	private static UUID id(Segment segment) {
		return UUID.fromString(segment.id());
	}

	private Map<String, Object> evaluation(Segment segment) {
		return this.jdbc.sql("SELECT * FROM segment_evaluation WHERE segment_id = ? ORDER BY id DESC LIMIT 1")
			.param(id(segment))
			.query()
			.singleRow();
	}

	private long evaluationCount(Segment segment) {
		return this.jdbc.sql("SELECT count(*) FROM segment_evaluation WHERE segment_id = ?")
			.param(id(segment))
			.query(Long.class)
			.single();
	}

	/** The row's physical address: a rewritten row moves, an untouched one stays. */
	private String memberRowId(Segment segment, String email) {
		return this.jdbc.sql("""
				SELECT m.ctid::text
				FROM segment s JOIN segment_member m ON m.segment_key = s.segment_key
				JOIN contact c ON c.contact_key = m.contact_key WHERE s.id = ? AND c.email = ?
				""").params(id(segment), email).query(String.class).single();
	}

	/**
	 * Gives the segment an id that a two-worker run puts in samples partition
	 * {@code group + 1}.
	 */
	private Segment withIdInGroup(Segment segment, int group) {
		UUID id;
		do {
			id = UUID.randomUUID();
		}
		while (Math.floorMod(id.hashCode(), 2) != group);
		this.jdbc.sql("UPDATE segment SET id = ? WHERE id = ?").params(id, id(segment)).update();
		return this.segments.get(id);
	}

	private long readCount(long executionId, String stepName) {
		return this.jdbc.sql("SELECT read_count FROM batch_step_execution WHERE job_execution_id = ? AND step_name = ?")
			.params(executionId, stepName)
			.query(Long.class)
			.single();
	}

	private List<String> stepNames(long executionId) {
		return this.jdbc.sql("SELECT step_name FROM batch_step_execution WHERE job_execution_id = ?")
			.param(executionId)
			.query(String.class)
			.list();
	}

}
