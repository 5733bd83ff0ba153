package io.segmat.metrics;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The gauges the database answers, read with one query per scrape or push, whatever the
 * number of segments: each segment's members and staleness, how many segments are INVALID
 * or overdue, when a refresh last completed, and how many runs are stuck STARTED.
 * <p>
 * A segment is overdue when the refresh would evaluate it (its query is new or changed,
 * something it reads changed since its last evaluation, or its clock passed the instant
 * its answer was proven to stand until) or republish its count and sample, and it has
 * waited for that a whole evaluation interval past its due time: the scheduled runs are
 * not keeping up. It is {@code segmat status}'s definition (RefreshHealth), with the
 * evaluation interval as the grace, in one query. A run is stuck when it is STARTED or
 * STOPPING and neither it nor any of its steps has been updated for 30 minutes, as in the
 * README's "stale runs" query. Per-segment series stop at {@link #MAX_SEGMENT_SERIES},
 * the stalest kept, so that an account raising its segment limit cannot flood Prometheus;
 * the counts cover every segment.
 */
class SegmentGauges implements MultiCollector {

	/** SendGrid's segment limit per account, and segmat's default. */
	static final int MAX_SEGMENT_SERIES = 200;

	static final Duration STUCK_AFTER = Duration.ofMinutes(30);

	private static final Logger logger = LoggerFactory.getLogger(SegmentGauges.class);

	private static final String REFRESH_JOB = "segmentRefreshJob";

	private final JdbcClient jdbc;

	private final Clock clock;

	private final Duration evaluationInterval;

	SegmentGauges(JdbcClient jdbc, Clock clock, Duration evaluationInterval) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.evaluationInterval = evaluationInterval;
	}

	@Override
	public List<String> getPrometheusNames() {
		return List.of("segmat_segment_members", "segmat_segment_staleness_seconds", "segmat_segments",
				"segmat_segments_invalid", "segmat_segments_overdue", "segmat_refresh_last_success_timestamp_seconds",
				"segmat_runs_stuck");
	}

	@Override
	public MetricSnapshots collect() {
		Instant now = this.clock.instant();
		List<Row> rows;
		try {
			rows = read(now);
		}
		catch (DataAccessException ex) {
			// The scrape still answers, with the process's own meters; readiness says
			// that the database is down.
			logger.debug("segment gauges unavailable: {}", ex.getMessage());
			return MetricSnapshots.of();
		}
		Row first = rows.get(0);
		List<Row> segments = rows.stream().filter((row) -> row.segmentId() != null).toList();
		List<Row> series = new ArrayList<>(segments);
		series.sort(Comparator.comparingDouble((Row row) -> staleness(row, now)).reversed());
		series = series.subList(0, Math.min(series.size(), MAX_SEGMENT_SERIES));
		GaugeSnapshot.Builder members = GaugeSnapshot.builder()
			.name("segmat_segment_members")
			.help("Contacts in the segment's current membership");
		GaugeSnapshot.Builder staleness = GaugeSnapshot.builder()
			.name("segmat_segment_staleness_seconds")
			.help("Seconds since the instant the segment was last evaluated as of (since its creation when never)");
		for (Row row : series) {
			Labels labels = Labels.of("segment_id", row.segmentId());
			members.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(row.contactsCount()).build());
			staleness.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(staleness(row, now)).build());
		}
		return MetricSnapshots.of(members.build(), staleness.build(),
				gauge("segmat_segments", "Segments of the account", segments.size()),
				gauge("segmat_segments_invalid", "Segments whose query is INVALID",
						segments.stream().filter(Row::isInvalid).count()),
				gauge("segmat_segments_overdue",
						"Segments due for evaluation for longer than an evaluation interval past their own",
						segments.stream().filter(Row::isOverdue).count()),
				gauge("segmat_refresh_last_success_timestamp_seconds",
						"When the last COMPLETED refresh run ended, in seconds since the epoch (0: never)",
						(first.lastSuccess() != null) ? first.lastSuccess().toInstant().getEpochSecond() : 0),
				gauge("segmat_runs_stuck", "Job executions STARTED or STOPPING with no progress for 30 minutes",
						first.stuck()));
	}

	private static double staleness(Row row, Instant now) {
		Timestamp since = (row.evaluatedAt() != null) ? row.evaluatedAt() : row.createdAt();
		return Math.max(0, Duration.between(since.toInstant(), now).toMillis() / 1000.0);
	}

	private static GaugeSnapshot gauge(String name, String help, double value) {
		return GaugeSnapshot.builder()
			.name(name)
			.help(help)
			.dataPoint(GaugeDataPointSnapshot.builder().value(value).build())
			.build();
	}

	/**
	 * One row per segment, and one with no segment when there are none; the run figures
	 * repeat on every row. Batch keeps its times as local timestamps of the JVM's zone,
	 * which JDBC's Timestamp reads and writes in that same zone.
	 */
	private List<Row> read(Instant now) {
		// Overdue = due for an interval past its due time: a new or changed query is due
		// at once, changed inputs an interval after the evaluation, a clock crossing or
		// a sample at their own instants.
		Timestamp late = Timestamp.from(now.minus(this.evaluationInterval.multipliedBy(2)));
		Timestamp dueBefore = Timestamp.from(now.minus(this.evaluationInterval));
		return this.jdbc
			.sql("""
					WITH marks AS (
					    SELECT (SELECT coalesce(max(change_seq), 0) FROM contact) AS contacts,
					           (SELECT coalesce(max(change_seq), 0) FROM contact_deletion) AS deletions,
					           (SELECT coalesce(max(seq), 0) FROM email_event) AS events
					), runs AS (
					    SELECT (SELECT max(e.end_time) FROM batch_job_execution e
					            JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
					            WHERE i.job_name = :refreshJob AND e.status = 'COMPLETED') AS last_success,
					           (SELECT count(*) FROM batch_job_execution e
					            WHERE e.status IN ('STARTED', 'STOPPING')
					              AND greatest(e.last_updated, (SELECT max(s.last_updated) FROM batch_step_execution s
					                                            WHERE s.job_execution_id = e.job_execution_id)) < :stuckBefore) AS stuck
					)
					SELECT runs.last_success, runs.stuck, s.id::text AS segment_id, s.contacts_count, s.evaluated_at,
					       s.created_at, s.query_validation = 'INVALID' AS invalid,
					       coalesce(s.query_validation = 'VALID' AND (
					           ((s.evaluated_revision IS NULL OR s.evaluated_revision <> s.query_revision)
					               AND s.updated_at < :dueBefore)
					           OR (s.evaluated_revision = s.query_revision AND s.evaluated_at < :late AND (
					               s.dependencies IS NULL OR s.dependencies_revision IS DISTINCT FROM s.query_revision
					               OR m.contacts > coalesce(s.evaluated_seq, -1) OR m.deletions > coalesce(s.evaluated_seq, -1)
					               OR ((s.dependencies ->> 'events') = 'true' AND m.events > coalesce(s.evaluated_seq, -1))
					               OR ((s.dependencies ->> 'clock') = 'true'
					                   AND (s.clock_stable_until IS NULL OR s.clock_stable_until < :dueBefore))))
					           OR s.next_sample_update < :dueBefore), false) AS overdue
					FROM runs LEFT JOIN (segment s CROSS JOIN marks m) ON true
					""")
			.param("refreshJob", REFRESH_JOB)
			.param("stuckBefore", Timestamp.from(now.minus(STUCK_AFTER)))
			.param("late", late)
			.param("dueBefore", dueBefore)
			.query(Row.class)
			.list();
	}

	/**
	 * Boxed: the row of an account with no segment has nulls where a segment would be.
	 */
	record Row(Timestamp lastSuccess, long stuck, String segmentId, Long contactsCount, Timestamp evaluatedAt,
			Timestamp createdAt, Boolean invalid, Boolean overdue) {

		boolean isInvalid() {
			return Boolean.TRUE.equals(this.invalid);
		}

		boolean isOverdue() {
			return Boolean.TRUE.equals(this.overdue);
		}

	}

}
