package io.segmat.refresh;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.segmat.segments.Segment;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The refresh job's planning and cadence: which segments a run evaluates or only
 * republishes, membership rewritten as a difference, count and sample, and the sample
 * cadence that backs off and resets on a change.
 */
class SegmentRefreshJobPlanningTests extends SegmentRefreshJobTestSupport {

	@Test
	void firstRunMaterializesNewSegmentsWithCountAndSample() {
		Segment uk = inCountry("uk", "UK");

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
	void membershipIsRewrittenAsADifference() {
		Segment uk = inCountry("uk", "UK");
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
		Segment uk = inCountry("uk", "UK");
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
		Segment uk = inCountry("uk", "UK");
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
		Segment uk = inCountry("uk", "UK");
		Segment us = inCountry("us", "US");
		Segment all = this.segments.create("all", "SELECT contact_id, updated_at FROM contact_data", null);
		refresh(T0);

		// when the run an hour later finds their samples due
		RefreshRun run = refresh(T0.plus(Duration.ofHours(1)));

		// then samples partitions, no more than the run's two workers, republished all
		// three, none was evaluated,
		// and each backs off to two hours
		assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		List<String> partitions = stepNames(run.executionId()).stream()
			.filter((name) -> !name.equals("evaluateSegmentsStep")
					&& !name.equals(SegmentRefreshJobConfiguration.PRUNE_CHANGES_STEP))
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
	void countAndSampleAgreeWithTheMembership() {
		for (int i = 0; i < 120; i++) {
			this.data.contact("p" + i + "@bulk.test", "P" + i, (i % 3 == 0) ? "US" : "UK");
		}
		Segment uk = inCountry("uk", "UK");

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

	/** The row's physical address: a rewritten row moves, an untouched one stays. */
	private String memberRowId(Segment segment, String email) {
		return this.jdbc.sql("""
				SELECT m.ctid::text
				FROM segment s JOIN segment_member m ON m.segment_key = s.segment_key
				JOIN contact c ON c.contact_key = m.contact_key WHERE s.id = ? AND c.email = ?
				""").params(id(segment), email).query(String.class).single();
	}

}
