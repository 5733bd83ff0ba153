package io.segmat.refresh;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.segmat.refresh.MembershipRewrite.MembershipChange;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * segment_evaluation: one row per evaluation, scheduled or manual, completed or failed,
 * written in the evaluation's transaction. It is the operators' record (with the
 * database's own words when one failed), and what the run's outcome and the manual
 * refresh quotas are counted from.
 */
@Component
class EvaluationLog {

	private final JdbcClient jdbc;

	EvaluationLog(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	// The update of the segment's row rides ahead of the record in the same statement:
	// what the segment shows and what the operators' record keeps are written in one
	// round trip. A failed evaluation's record takes a new id when it has none.
	private static final String INSERT = """
			WITH segment_row AS (%s)
			INSERT INTO segment_evaluation (id, segment_id, job_execution_id, trigger, as_of, status, mode, entered,
			    exited, contacts_count, duration_ms, error_message)
			OVERRIDING SYSTEM VALUE
			VALUES (coalesce(CAST(? AS bigint), nextval(pg_get_serial_sequence('segment_evaluation', 'id'))), ?, ?, ?,
			    ?, ?, ?, ?, ?, ?, ?, ?)
			""";

	/**
	 * Records a completed evaluation, with the update of the segment's row that goes with
	 * it.
	 * @param id the id the evaluation took as it locked the segment
	 */
	void completed(long id, UUID segmentId, Instant asOf, Long jobExecutionId, EvaluationTrigger trigger,
			MembershipChange change, long contactsCount, long durationMs, SegmentUpdate update) {
		insert(update, id, segmentId, asOf, jobExecutionId, trigger, "COMPLETED", change.mode(), change.entered(),
				change.exited(), contactsCount, durationMs, null);
	}

	/**
	 * Records a failed evaluation, with the update of the segment's row that goes with
	 * it.
	 * @param id the id the evaluation took as it locked the segment, or null for a new
	 * one
	 */
	void failed(Long id, UUID segmentId, Instant asOf, Long jobExecutionId, EvaluationTrigger trigger, String detail,
			long durationMs, SegmentUpdate update) {
		insert(update, id, segmentId, asOf, jobExecutionId, trigger, "FAILED", null, null, null, null, durationMs,
				detail);
	}

	private void insert(SegmentUpdate update, Long id, UUID segmentId, Instant asOf, Long jobExecutionId,
			EvaluationTrigger trigger, String status, String mode, Long entered, Long exited, Long count,
			long durationMs, String error) {
		List<Object> parameters = new ArrayList<>(update.parameters());
		parameters.addAll(Arrays.asList(id, segmentId, jobExecutionId, trigger.column(), Timestamp.from(asOf), status,
				mode, entered, exited, count, durationMs, error));
		this.jdbc.sql(INSERT.formatted(update.sql())).params(parameters).update();
	}

	/**
	 * "name: reason" of each segment that failed in any execution of the slot's instance.
	 */
	List<String> failedSegments(long jobInstanceId) {
		return this.jdbc.sql("""
				SELECT coalesce(s.name, e.segment_id::text) || ': ' || e.error_message
				FROM segment_evaluation e
				JOIN batch_job_execution j ON j.job_execution_id = e.job_execution_id
				LEFT JOIN segment s ON s.id = e.segment_id
				WHERE j.job_instance_id = ? AND e.status = 'FAILED'
				ORDER BY e.id
				""").param(jobInstanceId).query(String.class).list();
	}

	/**
	 * The latest manual refresh of the segment after {@code after}, up to {@code asOf}.
	 */
	Optional<Instant> latestManual(UUID segmentId, Instant after, Instant asOf) {
		return this.jdbc.sql("""
				SELECT max(as_of) FROM segment_evaluation
				WHERE segment_id = ? AND trigger = 'manual' AND as_of > ? AND as_of <= ?
				""")
			.params(segmentId, Timestamp.from(after), Timestamp.from(asOf))
			.query(Timestamp.class)
			.optional()
			.map(Timestamp::toInstant);
	}

	/**
	 * Manual refreshes of the segment (or of all, when null) from {@code since} up to
	 * {@code asOf}.
	 */
	int manualSince(UUID segmentId, Instant since, Instant asOf) {
		return this.jdbc.sql("""
				SELECT count(*) FROM segment_evaluation
				WHERE trigger = 'manual' AND (CAST(? AS uuid) IS NULL OR segment_id = ?) AND as_of >= ? AND as_of <= ?
				""")
			.params(segmentId, segmentId, Timestamp.from(since), Timestamp.from(asOf))
			.query(Integer.class)
			.single();
	}

	/**
	 * The UPDATE of the segment's row that goes with an evaluation's record.
	 *
	 * @param sql the statement
	 * @param parameters its parameters, in text order
	 */
	record SegmentUpdate(String sql, List<Object> parameters) {
	}

}
