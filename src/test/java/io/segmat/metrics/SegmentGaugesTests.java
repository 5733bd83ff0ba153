package io.segmat.metrics;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.segmat.testsupport.TestData;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database gauges, read as a scrape reads them, at a fixed instant with an evaluation
 * interval of one hour: a segment is overdue once it has been due for an hour past its
 * own hour, a run is stuck after 30 minutes without progress.
 */
class SegmentGaugesTests {

	private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

	private static final String NO_CLOCK = "{\"events\":false,\"clock\":false}";

	private static final String CLOCK = "{\"events\":false,\"clock\":true}";

	private static final TestDatabase database = TestDatabase.create();

	private final JdbcClient jdbc = JdbcClient.create(database.dataSource());

	private final SegmentGauges gauges = new SegmentGauges(this.jdbc, Clock.fixed(NOW, ZoneOffset.UTC),
			Duration.ofHours(1));

	@BeforeEach
	void emptyDatabase() {
		database.truncateAll();
	}

	@Test
	void aSegmentDueForAnHourPastItsOwnIsOverdueAndAnInvalidOneIsCountedNotOverdue() throws Exception {
		new TestData(this.jdbc).contact("ada@example.com", "Ada", "UK");
		String fresh = segment("fresh", "VALID", "11:30", 0, 5);
		String behind = segment("behind", "VALID", "09:00", 0, 7);
		segment("quiet", "VALID", "08:00", Long.MAX_VALUE, 3);
		segment("broken", "INVALID", "08:00", 0, 0);

		Exposition scrape = scrape();

		assertThat(scrape.value("segmat_segments")).isEqualTo(4);
		assertThat(scrape.value("segmat_segments_overdue")).isEqualTo(1);
		assertThat(scrape.value("segmat_segments_invalid")).isEqualTo(1);
		assertThat(scrape.value("segmat_segment_staleness_seconds", Map.of("segment_id", fresh))).isEqualTo(1800);
		assertThat(scrape.value("segmat_segment_staleness_seconds", Map.of("segment_id", behind))).isEqualTo(10800);
		assertThat(scrape.value("segmat_segment_members", Map.of("segment_id", behind))).isEqualTo(7);
	}

	@Test
	void aClockSegmentIsOverdueAnIntervalPastTheInstantItsAnswerWasProvenToStandUntil() throws Exception {
		// given segments whose queries read the clock, last evaluated at 08:00, nothing
		// they read changed since; their answers proven to stand until 14:00, 10:30,
		// 11:30
		new TestData(this.jdbc).contact("ada@example.com", "Ada", "UK");
		segment("stands", "08:00", CLOCK, "14:00", null);
		segment("crossed at 10:30", "08:00", CLOCK, "10:30", null);
		segment("crossed at 11:30", "08:00", CLOCK, "11:30", null);

		// when scraped at 12:00
		Exposition scrape = scrape();

		// then only the one whose clock passed over an hour ago is overdue: the refresh
		// rightly leaves the first alone, however long ago it was evaluated
		assertThat(scrape.value("segmat_segments")).isEqualTo(3);
		assertThat(scrape.value("segmat_segments_overdue")).isEqualTo(1);
	}

	@Test
	void aSegmentWhoseCountAndSampleWereDueOverAnIntervalAgoIsOverdue() throws Exception {
		// given two segments nothing changed for, whose count and sample were due at
		// 10:30 and at 11:30
		new TestData(this.jdbc).contact("ada@example.com", "Ada", "UK");
		segment("sample due at 10:30", "11:00", NO_CLOCK, null, "10:30");
		segment("sample due at 11:30", "11:00", NO_CLOCK, null, "11:30");

		// when scraped at 12:00
		Exposition scrape = scrape();

		// then the first is overdue, as segmat status says
		assertThat(scrape.value("segmat_segments_overdue")).isEqualTo(1);
	}

	@Test
	void aSegmentNeverEvaluatedIsOverdueAnIntervalAfterItWasCreated() throws Exception {
		// given two segments created, never evaluated, at 10:30 and at 11:30
		new TestData(this.jdbc).contact("ada@example.com", "Ada", "UK");
		created("created at 10:30", "10:30");
		created("created at 11:30", "11:30");

		// when scraped at 12:00
		Exposition scrape = scrape();

		// then the first is overdue: a new query is due at once, as segmat status says
		assertThat(scrape.value("segmat_segments_overdue")).isEqualTo(1);
	}

	@Test
	void aRunWithoutProgressForThirtyMinutesIsStuckAndTheLastCompletedRefreshIsStamped() throws Exception {
		long refresh = instance("segmentRefreshJob");
		execution(refresh, "COMPLETED", NOW.minus(Duration.ofMinutes(15)));
		execution(refresh, "STARTED", NOW.minus(Duration.ofMinutes(45)));
		execution(instance("contactImportJob"), "STARTED", NOW.minus(Duration.ofMinutes(5)));

		Exposition scrape = scrape();

		assertThat(scrape.value("segmat_runs_stuck")).isEqualTo(1);
		assertThat(scrape.value("segmat_refresh_last_success_timestamp_seconds"))
			.isEqualTo(NOW.minus(Duration.ofMinutes(15)).getEpochSecond());
		assertThat(scrape.value("segmat_segments")).isZero();
		assertThat(scrape.names()).doesNotContain("segmat_segment_members");
	}

	private Exposition scrape() throws Exception {
		MetricSnapshots snapshots = this.gauges.collect();
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		PrometheusTextFormatWriter.create().write(out, snapshots);
		return Exposition.parse(out.toString(java.nio.charset.StandardCharsets.UTF_8));
	}

	private String segment(String name, String validation, String evaluatedAt, long evaluatedSeq, long members) {
		return segment(name, validation, evaluatedAt, evaluatedSeq, members, NO_CLOCK, null, null);
	}

	/** A valid segment that nothing it reads changed for since its evaluation. */
	private String segment(String name, String evaluatedAt, String dependencies, String clockStableUntil,
			String nextSample) {
		return segment(name, "VALID", evaluatedAt, Long.MAX_VALUE, 1, dependencies, clockStableUntil, nextSample);
	}

	private String segment(String name, String validation, String evaluatedAt, long evaluatedSeq, long members,
			String dependencies, String clockStableUntil, String nextSample) {
		UUID id = UUID.randomUUID();
		Timestamp evaluated = at(evaluatedAt);
		this.jdbc.sql("""
				INSERT INTO segment (id, name, query_dsl, query_validation, contacts_count, created_at, updated_at,
				    evaluated_revision, evaluated_seq, evaluated_at, dependencies, dependencies_revision,
				    clock_stable_until, next_sample_update)
				VALUES (?, ?, 'SELECT contact_id, updated_at FROM contact_data', ?, ?, ?, ?, 1, ?, ?,
				    CAST(? AS jsonb), 1, ?, ?)
				""")
			.params(id, name, validation, members, evaluated, evaluated, evaluatedSeq, evaluated, dependencies,
					at(clockStableUntil), at(nextSample))
			.update();
		return id.toString();
	}

	/** A segment created at {@code time} and never evaluated. */
	private void created(String name, String time) {
		this.jdbc.sql("""
				INSERT INTO segment (id, name, query_dsl, query_validation, created_at, updated_at)
				VALUES (?, ?, 'SELECT contact_id, updated_at FROM contact_data', 'VALID', ?, ?)
				""").params(UUID.randomUUID(), name, at(time), at(time)).update();
	}

	private static Timestamp at(String time) {
		return (time != null) ? Timestamp.from(Instant.parse("2026-06-01T" + time + ":00Z")) : null;
	}

	private long instance(String job) {
		return this.jdbc.sql("""
				INSERT INTO batch_job_instance (job_instance_id, version, job_name, job_key)
				VALUES (nextval('batch_job_instance_seq'), 0, ?, md5(random()::text)) RETURNING job_instance_id
				""").param(job).query(Long.class).single();
	}

	private void execution(long instance, String status, Instant lastUpdated) {
		Timestamp at = Timestamp.from(lastUpdated);
		this.jdbc.sql("""
				INSERT INTO batch_job_execution (job_execution_id, version, job_instance_id, create_time, start_time,
				    end_time, status, last_updated)
				VALUES (nextval('batch_job_execution_seq'), 0, ?, ?, ?, ?, ?, ?)
				""").params(instance, at, at, "COMPLETED".equals(status) ? at : null, status, at).update();
	}

}
