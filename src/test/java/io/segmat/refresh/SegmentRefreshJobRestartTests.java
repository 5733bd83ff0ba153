package io.segmat.refresh;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.segmat.segments.Segment;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The refresh job's slots across runs: a completed slot is a no-op, a failed one restarts
 * and redoes only the unfinished work, a run left started is recovered, and the lock lets
 * one run at a time.
 */
class SegmentRefreshJobRestartTests extends SegmentRefreshJobTestSupport {

	@Test
	void aFailedSamplesPartitionResumesAfterTheLastChunkItCommitted() {
		// given a chunk and two more segments whose samples are due at T0+1h in a
		// one-worker run, and a database that refuses the sample of the first after the
		// chunk
		List<Segment> all = new ArrayList<>();
		for (int i = 0; i < SegmentPartitions.SAMPLES_PER_CHUNK + 2; i++) {
			all.add(this.segments.create("s" + i, "SELECT contact_id, updated_at FROM contact_data", null));
		}
		refresh(T0);
		this.jdbc
			.sql("""
					ALTER TABLE segment ADD CONSTRAINT refuse_next
					CHECK (name <> '%s' OR sample_updated_at IS DISTINCT FROM '2026-06-01T01:00:00Z')"""
				.formatted("s" + SegmentPartitions.SAMPLES_PER_CHUNK))
			.update();
		String slot = T0.plus(Duration.ofHours(1)).toString();
		RefreshRun failed = this.launcher.launch(slot, slot, 1);
		this.jdbc.sql("ALTER TABLE segment DROP CONSTRAINT refuse_next").update();

		// when the slot is run again
		RefreshRun restarted = this.launcher.launch(slot, slot, 1);

		// then the first run failed after publishing the first chunk, and the restart
		// published only the last two
		assertThat(failed.outcome()).isEqualTo(RefreshRun.Outcome.FAILED);
		assertThat(readCount(failed.executionId(), "evaluateSegmentStep:samples:1"))
			.isEqualTo(SegmentPartitions.SAMPLES_PER_CHUNK);
		assertThat(restarted.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(readCount(restarted.executionId(), "evaluateSegmentStep:samples:1")).isEqualTo(2);
		for (Segment segment : all) {
			assertThat(this.segments.get(id(segment)).sampleUpdatedAt()).isEqualTo("2026-06-01T01:00:00Z");
		}
	}

	@Test
	void aRestartFindsEachSegmentStillDueInTheSamplesPartitionItHad() {
		// given, in a two-worker run, a segment in the first samples partition and two in
		// the second, and a database that refuses the last one's sample
		Segment a = withIdInGroup(this.segments.create("a", "SELECT contact_id, updated_at FROM contact_data", null),
				0);
		Segment b = withIdInGroup(inCountry("b", "US"), 1);
		Segment d = withIdInGroup(inCountry("d", "UK"), 1);
		refresh(T0);
		this.jdbc.sql("""
				ALTER TABLE segment ADD CONSTRAINT refuse_d
				CHECK (name <> 'd' OR sample_updated_at IS DISTINCT FROM '2026-06-01T01:00:00Z')""").update();
		RefreshRun failed = refresh(T0.plus(Duration.ofHours(1)));
		this.jdbc.sql("ALTER TABLE segment DROP CONSTRAINT refuse_d").update();

		// when the slot is run again, with b and d still due
		RefreshRun restarted = refresh(T0.plus(Duration.ofHours(1)));

		// then only the second partition ran again, with the chunk that failed, and every
		// sample is published
		assertThat(failed.outcome()).isEqualTo(RefreshRun.Outcome.FAILED);
		assertThat(restarted.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(stepNames(restarted.executionId())).contains("evaluateSegmentStep:samples:2")
			.doesNotContain("evaluateSegmentStep:samples:1");
		assertThat(readCount(restarted.executionId(), "evaluateSegmentStep:samples:2")).isEqualTo(2);
		for (Segment segment : List.of(a, b, d)) {
			assertThat(this.segments.get(id(segment)).sampleUpdatedAt()).isEqualTo("2026-06-01T01:00:00Z");
		}
	}

	@Test
	void aCompletedSlotIsANoOp() {
		Segment uk = inCountry("uk", "UK");
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
		Segment uk = inCountry("uk", "UK");
		Segment us = inCountry("us", "US");
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
		Segment uk = inCountry("uk", "UK");
		try (Connection other = database.dataSource().getConnection()) {
			io.segmat.db.AdvisoryLock.REFRESH.lock(other);

			RefreshRun run = refresh(T0);

			assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.LOCKED);
			assertThat(run.executionId()).isNull();
		}
		assertThat(evaluationCount(uk)).isZero();
		assertThat(this.jobRepository.getJobInstances(SegmentRefreshJobConfiguration.JOB_NAME, 0, 10)).isEmpty();
	}

	@Test
	void concurrentLaunchesRunOnceAndTheOtherIsLockedOrSeesTheSlotDone() throws Exception {
		inCountry("uk", "UK");
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
		Segment uk = inCountry("uk", "UK");
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
	void aRestartOfAnExecutionFromBeforeTheSamplesPartitionsEvaluatesThePartitionsSegment() {
		// given uk materialized at T0, and a run at T0+1h that failed in uk's partition,
		// whose context says REPUBLISH as executions from before the samples partitions
		// stored it
		Segment uk = inCountry("uk", "UK");
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

}
