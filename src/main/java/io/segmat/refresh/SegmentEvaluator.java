package io.segmat.refresh;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.segmat.query.QueryException;
import io.segmat.refresh.MembershipRewrite.MembershipChange;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Evaluates one segment inside the caller's transaction: rewrites its membership
 * ({@link MembershipRewrite}), then publishes count and sample when they are due
 * ({@link SamplePublisher}), so the three stay consistent, and records the evaluation
 * ({@link EvaluationLog}). A failure rolls back to a savepoint and leaves the segment
 * INVALID with the reason, so the caller's transaction (and the other segments) carry on.
 */
@Component
class SegmentEvaluator {

	// With the publication's assignments, when count and sample are due, in the same
	// UPDATE: the row is written once.
	private static final String EVALUATED = """
			UPDATE segment SET evaluated_revision = ?, evaluated_seq = ?, evaluated_at = ?,
			    query_validation = 'VALID', error_message = NULL, clock_stable_until = ?%s
			WHERE segment_key = ?
			""";

	private static final String FAILED = """
			UPDATE segment SET query_validation = 'INVALID', error_message = ?, evaluated_revision = ?,
			    evaluated_at = ?, clock_stable_until = NULL
			WHERE segment_key = ?
			""";

	private final JdbcClient jdbc;

	private final MembershipRewrite membership;

	private final SamplePublisher publisher;

	private final EvaluationLog log;

	private final TransactionTemplate savepoint;

	private final TransactionTemplate transaction;

	private final Duration statementTimeout;

	private final Clock clock;

	SegmentEvaluator(JdbcClient jdbc, MembershipRewrite membership, SamplePublisher publisher, EvaluationLog log,
			PlatformTransactionManager transactionManager, RefreshSettings settings, Clock clock) {
		this.jdbc = jdbc;
		this.membership = membership;
		this.publisher = publisher;
		this.log = log;
		this.savepoint = new TransactionTemplate(transactionManager);
		this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		this.transaction = new TransactionTemplate(transactionManager);
		this.statementTimeout = settings.statementTimeout();
		this.clock = clock;
	}

	/**
	 * Evaluates the segment's query at {@code asOf} and rewrites its membership. Must run
	 * inside a transaction; the membership, count, sample and the evaluation record
	 * commit with it.
	 * @param watermark the committed change number the evaluation is known to include
	 */
	EvaluationResult evaluate(UUID segmentId, Instant asOf, long watermark, Long jobExecutionId,
			EvaluationTrigger trigger) {
		Optional<LockedSegment.ForEvaluation> found = LockedSegment.lockForEvaluation(this.jdbc, segmentId,
				this.statementTimeout);
		if (found.isEmpty()) {
			return EvaluationResult.gone();
		}
		LockedSegment.ForEvaluation evaluation = found.get();
		LockedSegment segment = evaluation.segment();
		long started = this.clock.millis();
		MembershipChange change;
		try {
			change = this.savepoint.execute((status) -> this.membership.rewrite(evaluation, asOf));
		}
		catch (QueryException ex) {
			return fail(segment, evaluation.evaluationId(), asOf, jobExecutionId, trigger, ex.getMessage(),
					ex.getMessage(), started);
		}
		catch (QueryTimeoutException ex) {
			String message = "evaluation exceeded the statement timeout of " + this.statementTimeout.toMillis() + " ms";
			return fail(segment, evaluation.evaluationId(), asOf, jobExecutionId, trigger, message, message, started);
		}
		catch (DataAccessException ex) {
			// The segment's status reaches API users; PostgreSQL's own words stay with
			// the operators' record.
			return fail(segment, evaluation.evaluationId(), asOf, jobExecutionId, trigger,
					"evaluation failed with a database error"
							+ sqlState(ex).map((state) -> " (SQLSTATE " + state + ")").orElse("")
							+ "; the details are in segment_evaluation",
					"evaluation failed: " + rootMessage(ex), started);
		}
		long count = segment.contactsCount() + change.entered() - change.exited();
		List<Object> parameters = new ArrayList<>(
				Arrays.asList(segment.queryRevision(), watermark, Timestamp.from(asOf),
						(change.clockStableUntil() != null) ? Timestamp.from(change.clockStableUntil()) : null));
		String publication = "";
		if (trigger == EvaluationTrigger.MANUAL || change.changed() || segment.sampleDue(asOf)) {
			SamplePublisher.Publication published = this.publisher.publication(segment, asOf, count, change.changed(),
					trigger);
			publication = ",\n    " + published.assignments();
			parameters.addAll(published.parameters());
		}
		parameters.add(segment.key());
		this.log.completed(evaluation.evaluationId(), segment.id(), asOf, jobExecutionId, trigger, change, count,
				elapsed(started), new EvaluationLog.SegmentUpdate(EVALUATED.formatted(publication), parameters));
		return new EvaluationResult(EvaluationResult.Outcome.EVALUATED, change.entered(), change.exited(), count, null);
	}

	/**
	 * Marks a segment INVALID without evaluating it, for the run's planner, which finds
	 * that its query no longer compiles outside any transaction.
	 */
	void markInvalidInOwnTransaction(UUID segmentId, Instant asOf, Long jobExecutionId, String message) {
		this.transaction.executeWithoutResult((status) -> LockedSegment.lock(this.jdbc, segmentId)
			.ifPresent((segment) -> fail(segment, null, asOf, jobExecutionId, EvaluationTrigger.SCHEDULED, message,
					message, this.clock.millis())));
	}

	private EvaluationResult fail(LockedSegment segment, Long evaluationId, Instant asOf, Long jobExecutionId,
			EvaluationTrigger trigger, String message, String detail, long started) {
		this.log.failed(evaluationId, segment.id(), asOf, jobExecutionId, trigger, detail, elapsed(started),
				new EvaluationLog.SegmentUpdate(FAILED,
						Arrays.asList(message, segment.queryRevision(), Timestamp.from(asOf), segment.key())));
		return EvaluationResult.failed(message);
	}

	private long elapsed(long started) {
		return this.clock.millis() - started;
	}

	private static Optional<String> sqlState(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null) {
				return Optional.of(sql.getSQLState());
			}
		}
		return Optional.empty();
	}

	private static String rootMessage(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause.getMessage();
	}

}
