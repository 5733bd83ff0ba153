package io.segmat.refresh;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;

import io.segmat.query.CompiledQuery;
import io.segmat.query.ContactSelection;
import io.segmat.query.FieldCatalog;
import io.segmat.query.QueryCompiler;
import io.segmat.query.QueryException;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Evaluates one segment inside the caller's transaction: rewrites its membership as a
 * difference, then publishes count and sample when they are due, so the three stay
 * consistent. A failure rolls back to a savepoint and leaves the segment INVALID with the
 * reason, so the caller's transaction (and the other segments) carry on.
 */
@Component
public class SegmentEvaluator {

	static final int SAMPLE_SIZE = 50;

	// One merge of the fresh set with the stored one, both in contact_key order, yields
	// both
	// directions of the difference; two anti-joins would each hash the whole of the other
	// side.
	private static final String DIFF = """
			WITH delta AS MATERIALIZED (
			    SELECT coalesce(f.contact_key, m.contact_key) AS contact_key, f.contact_key IS NULL AS gone
			    FROM (%s) f
			    FULL JOIN (SELECT contact_key FROM segment_member WHERE segment_key = ?) m ON m.contact_key = f.contact_key
			    WHERE f.contact_key IS NULL OR m.contact_key IS NULL),
			removed AS (
			    DELETE FROM segment_member m
			    WHERE m.segment_key = ? AND m.contact_key IN (SELECT contact_key FROM delta WHERE gone)
			    RETURNING 1),
			added AS (
			    INSERT INTO segment_member (segment_key, contact_key)
			    SELECT ?, contact_key FROM delta WHERE NOT gone ORDER BY contact_key
			    RETURNING 1)
			SELECT (SELECT count(*) FROM added) AS entered, (SELECT count(*) FROM removed) AS exited
			""";

	// Only the candidates (changed since the watermark, or swept past by a clock bound)
	// can have
	// entered or left. Every step is driven by them, with key probes into the membership,
	// so the
	// cost follows the change and not the segment's size whatever the planner estimates.
	private static final String INCREMENTAL_DIFF = """
			WITH changed AS MATERIALIZED (%s),
			fresh AS MATERIALIZED (
			    SELECT q.contact_key FROM (%s) q WHERE q.contact_key IN (SELECT contact_key FROM changed)),
			delta AS MATERIALIZED (
			    SELECT s.contact_key, s.member FROM (
			        SELECT ch.contact_key, f.contact_key IS NOT NULL AS member,
			               EXISTS (SELECT 1 FROM segment_member m WHERE m.segment_key = ? AND m.contact_key = ch.contact_key)
			                   AS was_member
			        FROM changed ch LEFT JOIN fresh f ON f.contact_key = ch.contact_key) s
			    WHERE s.member <> s.was_member),
			removed AS (
			    DELETE FROM segment_member m
			    WHERE m.segment_key = ? AND m.contact_key = ANY (ARRAY(SELECT contact_key FROM delta WHERE NOT member))
			    RETURNING 1),
			added AS (
			    INSERT INTO segment_member (segment_key, contact_key)
			    SELECT ?, contact_key FROM delta WHERE member ORDER BY contact_key
			    RETURNING 1)
			SELECT (SELECT count(*) FROM added) AS entered, (SELECT count(*) FROM removed) AS exited
			""";

	// An empty membership has nothing to compare with: a sorted bulk insert is the whole
	// job.
	private static final String FIRST = """
			WITH added AS (
			    INSERT INTO segment_member (segment_key, contact_key)
			    SELECT ?, q.contact_key FROM (%s) q ORDER BY q.contact_key
			    RETURNING 1)
			SELECT count(*) AS entered, 0 AS exited FROM added
			""";

	private static final String CHANGED_ROWS = "SELECT contact_key FROM contact WHERE change_seq > ?";

	private static final String DELETED = "SELECT contact_key FROM contact_deletion WHERE change_seq > ?";

	private static final String CHANGED_BY_EVENTS = "SELECT contact_key FROM email_event WHERE seq > ?";

	// A run of members from a random key onwards, wrapping around: an index range scan,
	// not a sort of the set.
	// Unset identifiers (phone_number_id, external_id, anonymous_id) are left out, not
	// written as null,
	// because the API schema types them as strings.
	private static final String SAMPLE = """
			WITH picked AS (
			    SELECT contact_key FROM (
			        (SELECT contact_key FROM segment_member WHERE segment_key = ? AND contact_key >= ? ORDER BY contact_key LIMIT ?)
			        UNION ALL
			        (SELECT contact_key FROM segment_member WHERE segment_key = ? AND contact_key < ? ORDER BY contact_key LIMIT ?)
			    ) k LIMIT ?)
			SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
			    'id', c.id,
			    'email', c.email,
			    'phone_number_id', c.phone_number_id,
			    'external_id', c.external_id,
			    'anonymous_id', c.anonymous_id,
			    'alternate_emails', coalesce(to_jsonb(c.alternate_emails), '[]'::jsonb),
			    'first_name', coalesce(c.first_name, ''),
			    'last_name', coalesce(c.last_name, ''),
			    'address_line_1', coalesce(c.address_line_1, ''),
			    'address_line_2', coalesce(c.address_line_2, ''),
			    'city', coalesce(c.city, ''),
			    'state_province_region', coalesce(c.state_province_region, ''),
			    'postal_code', coalesce(c.postal_code, ''),
			    'country', coalesce(c.country, ''),
			    'list_ids', coalesce((SELECT jsonb_agg(lm.list_id ORDER BY lm.list_id) FROM list_member lm
			                          WHERE lm.contact_key = c.contact_key), '[]'::jsonb),
			    'custom_fields', coalesce((SELECT jsonb_object_agg(f.name, CASE f.field_type
			                                   WHEN 'Date' THEN to_jsonb(to_char(to_timestamp((c.custom_fields ->> f.id)::float8)
			                                                         AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
			                                   ELSE c.custom_fields -> f.id END)
			                               FROM custom_field f WHERE c.custom_fields -> f.id IS NOT NULL), '{}'::jsonb),
			    'created_at', to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
			    'updated_at', to_char(c.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
			  )) ORDER BY c.contact_key)::text, '[]')
			FROM picked p JOIN contact c ON c.contact_key = p.contact_key
			""";

	private final JdbcClient jdbc;

	private final QueryCompiler compiler;

	private final TransactionTemplate savepoint;

	private final TransactionTemplate transaction;

	private final SampleCadence cadence;

	private final Duration statementTimeout;

	private final double incrementalMaxFraction;

	private final long incrementalMinimum;

	private final Clock clock;

	SegmentEvaluator(JdbcClient jdbc, QueryCompiler compiler, PlatformTransactionManager transactionManager,
			RefreshSettings settings, Clock clock) {
		this.jdbc = jdbc;
		this.compiler = compiler;
		this.savepoint = new TransactionTemplate(transactionManager);
		this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		this.transaction = new TransactionTemplate(transactionManager);
		this.cadence = new SampleCadence(settings.maxSampleInterval());
		this.statementTimeout = settings.statementTimeout();
		this.incrementalMaxFraction = settings.incrementalMaxFraction();
		this.incrementalMinimum = settings.incrementalMinimum();
		this.clock = clock;
	}

	/**
	 * Evaluates the segment's query at {@code asOf} and rewrites its membership. Must run
	 * inside a transaction; the membership, count, sample and the evaluation record
	 * commit with it.
	 * @param watermark the committed change number the evaluation is known to include
	 */
	public EvaluationResult evaluate(UUID segmentId, Instant asOf, long watermark, Long jobExecutionId,
			EvaluationTrigger trigger) {
		Optional<SegmentState> found = lock(segmentId);
		if (found.isEmpty()) {
			return EvaluationResult.gone();
		}
		SegmentState segment = found.get();
		long started = this.clock.millis();
		Diff diff;
		try {
			diff = this.savepoint.execute((status) -> rewriteMembership(segment, asOf));
		}
		catch (QueryException ex) {
			return fail(segment, asOf, jobExecutionId, trigger, ex.getMessage(), started);
		}
		catch (QueryTimeoutException ex) {
			return fail(segment, asOf, jobExecutionId, trigger,
					"evaluation exceeded the statement timeout of " + this.statementTimeout.toMillis() + " ms",
					started);
		}
		catch (DataAccessException ex) {
			// The segment's status reaches API users; PostgreSQL's own words stay with
			// the operators' record.
			return fail(segment, asOf, jobExecutionId, trigger,
					"evaluation failed with a database error"
							+ sqlState(ex).map((state) -> " (SQLSTATE " + state + ")").orElse("")
							+ "; the details are in segment_evaluation",
					"evaluation failed: " + rootMessage(ex), started);
		}
		long count = segment.contactsCount() + diff.entered() - diff.exited();
		boolean changed = diff.entered() + diff.exited() > 0;
		boolean publish = trigger == EvaluationTrigger.MANUAL || changed || segment.sampleDue(asOf);
		this.jdbc.sql("""
				UPDATE segment SET evaluated_revision = ?, evaluated_seq = ?, evaluated_at = ?,
				    query_validation = 'VALID', error_message = NULL
				WHERE segment_key = ?
				""").params(segment.queryRevision(), watermark, Timestamp.from(asOf), segment.key()).update();
		if (publish) {
			publish(segment, asOf, count, changed, trigger);
		}
		record(segment, asOf, jobExecutionId, trigger, "COMPLETED", diff.incremental() ? "incremental" : "full",
				diff.entered(), diff.exited(), count, started, null);
		return new EvaluationResult(EvaluationResult.Outcome.EVALUATED, diff.entered(), diff.exited(), count, publish,
				null);
	}

	/**
	 * Publishes count and a new sample without evaluating the query, for a segment whose
	 * dependencies did not change but whose sample is due.
	 */
	public EvaluationResult republish(UUID segmentId, Instant asOf) {
		Optional<SegmentState> found = lock(segmentId);
		if (found.isEmpty() || !found.get().sampleDue(asOf)) {
			return found.isEmpty() ? EvaluationResult.gone() : new EvaluationResult(EvaluationResult.Outcome.SAMPLED, 0,
					0, found.get().contactsCount(), false, null);
		}
		SegmentState segment = found.get();
		publish(segment, asOf, segment.contactsCount(), false, EvaluationTrigger.SCHEDULED);
		return new EvaluationResult(EvaluationResult.Outcome.SAMPLED, 0, 0, segment.contactsCount(), true, null);
	}

	/**
	 * Marks a segment INVALID without evaluating it, e.g. when its query no longer
	 * compiles.
	 */
	public void markInvalid(UUID segmentId, Instant asOf, Long jobExecutionId, EvaluationTrigger trigger,
			String message) {
		lock(segmentId)
			.ifPresent((segment) -> fail(segment, asOf, jobExecutionId, trigger, message, this.clock.millis()));
	}

	/**
	 * {@link #markInvalid} for callers outside a transaction, such as the run's planner.
	 */
	void markInvalidInOwnTransaction(UUID segmentId, Instant asOf, Long jobExecutionId, String message) {
		this.transaction.executeWithoutResult(
				(status) -> markInvalid(segmentId, asOf, jobExecutionId, EvaluationTrigger.SCHEDULED, message));
	}

	private Diff rewriteMembership(SegmentState segment, Instant asOf) {
		FieldCatalog fields = FieldCatalog.load(this.jdbc);
		CompiledQuery query = this.compiler.compile(segment.queryDsl(), fields, segment.parentListId(), asOf);
		this.jdbc.sql("SELECT set_config('statement_timeout', ?, true)")
			.param(this.statementTimeout.toMillis() + "ms")
			.query()
			.singleRow();
		Rewrite rewrite = rewriteFor(segment, query, fields);
		Diff diff = this.jdbc.sql(rewrite.sql())
			.params(rewrite.parameters())
			.query((rs, n) -> new Diff(rs.getLong("entered"), rs.getLong("exited"), rewrite.incremental()))
			.single();
		this.jdbc.sql("SELECT set_config('statement_timeout', '0', true)").query().singleRow();
		return diff;
	}

	/**
	 * The one statement that brings the membership up to date, with its parameters in
	 * text order.
	 */
	private Rewrite rewriteFor(SegmentState segment, CompiledQuery query, FieldCatalog fields) {
		List<Object> parameters = new ArrayList<>();
		Optional<List<ContactSelection>> candidates = candidates(segment, query, fields);
		boolean incremental = candidates.isPresent() && withinThreshold(candidates.get());
		if (!incremental && isEmpty(segment)) {
			parameters.add(segment.key());
			parameters.addAll(query.parameters());
			return new Rewrite(FIRST.formatted(query.sql()), parameters, false);
		}
		String sql;
		if (incremental) {
			ContactSelection changed = union(candidates.get(), "UNION");
			parameters.addAll(changed.parameters());
			sql = INCREMENTAL_DIFF.formatted(changed.sql(), query.sql());
		}
		else {
			sql = DIFF.formatted(query.sql());
		}
		parameters.addAll(query.parameters());
		parameters.add(segment.key());
		parameters.add(segment.key());
		parameters.add(segment.key());
		return new Rewrite(sql, parameters, incremental);
	}

	/**
	 * The contacts whose membership may have changed since the last evaluation, when the
	 * query is the one evaluated then and that set can be named: contacts changed,
	 * deleted or with new events since the watermark, and, for a query that reads the
	 * clock, those whose values a moving bound swept past between the two instants. Empty
	 * when every contact needs a look.
	 */
	private Optional<List<ContactSelection>> candidates(SegmentState segment, CompiledQuery query,
			FieldCatalog fields) {
		if (segment.evaluatedSeq() == null || segment.evaluatedRevision() == null || segment.evaluatedAt() == null
				|| segment.evaluatedRevision() != segment.queryRevision() || segment.invalid()) {
			return Optional.empty();
		}
		long since = segment.evaluatedSeq();
		List<ContactSelection> selections = new ArrayList<>();
		selections.add(new ContactSelection(CHANGED_ROWS, List.of(since)));
		selections.add(new ContactSelection(DELETED, List.of(since)));
		if (query.dependencies().events()) {
			selections.add(new ContactSelection(CHANGED_BY_EVENTS, List.of(since)));
		}
		if (query.dependencies().clock()) {
			CompiledQuery before;
			try {
				before = this.compiler.compile(segment.queryDsl(), fields, segment.parentListId(),
						segment.evaluatedAt());
			}
			catch (QueryException ex) {
				return Optional.empty();
			}
			Optional<ContactSelection> crossed = query.crossedSince(before);
			if (crossed.isEmpty()) {
				return Optional.empty();
			}
			selections.add(crossed.get());
		}
		return Optional.of(selections);
	}

	/** Whether the candidates are few enough that a targeted pass beats a full one. */
	private boolean withinThreshold(List<ContactSelection> candidates) {
		long limit = Math.max(this.incrementalMinimum, (long) (this.incrementalMaxFraction * estimatedContacts()));
		// UNION ALL with a LIMIT stops reading at the threshold; an overlap only counts
		// twice
		ContactSelection all = union(candidates, "UNION ALL");
		List<Object> parameters = new ArrayList<>(all.parameters());
		parameters.add(limit + 1);
		long counted = this.jdbc.sql("SELECT count(*) FROM (" + all.sql() + "\nLIMIT ?) bounded")
			.params(parameters)
			.query(Long.class)
			.single();
		return counted <= limit;
	}

	private static ContactSelection union(List<ContactSelection> selections, String operator) {
		List<String> selects = new ArrayList<>();
		List<Object> parameters = new ArrayList<>();
		for (ContactSelection selection : selections) {
			selects.add(selection.sql());
			parameters.addAll(selection.parameters());
		}
		return new ContactSelection(String.join("\n" + operator + " ", selects), parameters);
	}

	private boolean isEmpty(SegmentState segment) {
		return !this.jdbc.sql("SELECT EXISTS (SELECT 1 FROM segment_member WHERE segment_key = ?)")
			.param(segment.key())
			.query(Boolean.class)
			.single();
	}

	private long estimatedContacts() {
		// The planner's estimate: free to read, and precise enough to size a threshold.
		return this.jdbc.sql("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'contact'::regclass")
			.query(Long.class)
			.single();
	}

	private void publish(SegmentState segment, Instant asOf, long count, boolean changed, EvaluationTrigger trigger) {
		String sample = pickSample(segment, asOf);
		if (trigger == EvaluationTrigger.MANUAL) {
			// A manual refresh publishes now but leaves the scheduled backoff where it
			// was.
			this.jdbc.sql("""
					UPDATE segment SET contacts_count = ?, contacts_sample = ?::jsonb, sample_updated_at = ?,
					    last_refreshed_at = ?
					WHERE segment_key = ?
					""").params(count, sample, Timestamp.from(asOf), Timestamp.from(asOf), segment.key()).update();
			return;
		}
		int interval = this.cadence.nextIntervalHours(segment.sampleIntervalHours(), changed);
		this.jdbc.sql("""
				UPDATE segment SET contacts_count = ?, contacts_sample = ?::jsonb, sample_updated_at = ?,
				    next_sample_update = ?, sample_interval_hours = ?
				WHERE segment_key = ?
				""")
			.params(count, sample, Timestamp.from(asOf), Timestamp.from(asOf.plus(Duration.ofHours(interval))),
					interval, segment.key())
			.update();
	}

	private String pickSample(SegmentState segment, Instant asOf) {
		var bounds = this.jdbc
			.sql("SELECT min(contact_key), max(contact_key) FROM segment_member WHERE segment_key = ?")
			.param(segment.key())
			.query((rs, n) -> new long[] { rs.getLong(1), rs.getLong(2), rs.wasNull() ? 1 : 0 })
			.single();
		if (bounds[2] == 1) {
			return "[]";
		}
		// Seeded by segment and instant: the same run picks the same sample, a later one
		// another.
		long start = new SplittableRandom(segment.key() * 31L + asOf.getEpochSecond()).nextLong(bounds[0],
				bounds[1] + 1);
		return this.jdbc.sql(SAMPLE)
			.params(segment.key(), start, SAMPLE_SIZE, segment.key(), start, SAMPLE_SIZE, SAMPLE_SIZE)
			.query(String.class)
			.single();
	}

	private EvaluationResult fail(SegmentState segment, Instant asOf, Long jobExecutionId, EvaluationTrigger trigger,
			String message, long started) {
		return fail(segment, asOf, jobExecutionId, trigger, message, message, started);
	}

	private EvaluationResult fail(SegmentState segment, Instant asOf, Long jobExecutionId, EvaluationTrigger trigger,
			String message, String detail, long started) {
		this.jdbc.sql("""
				UPDATE segment SET query_validation = 'INVALID', error_message = ?, evaluated_revision = ?,
				    evaluated_at = ?
				WHERE segment_key = ?
				""").params(message, segment.queryRevision(), Timestamp.from(asOf), segment.key()).update();
		record(segment, asOf, jobExecutionId, trigger, "FAILED", null, null, null, null, started, detail);
		return EvaluationResult.failed(message);
	}

	private void record(SegmentState segment, Instant asOf, Long jobExecutionId, EvaluationTrigger trigger,
			String status, String mode, Long entered, Long exited, Long count, long started, String error) {
		this.jdbc
			.sql("""
					INSERT INTO segment_evaluation (segment_id, job_execution_id, trigger, as_of, status, mode, entered, exited,
					    contacts_count, duration_ms, error_message)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
					""")
			.params(segment.id(), jobExecutionId, trigger.column(), Timestamp.from(asOf), status, mode, entered, exited,
					count, this.clock.millis() - started, error)
			.update();
	}

	private Optional<SegmentState> lock(UUID segmentId) {
		return this.jdbc.sql("""
				SELECT id, segment_key, query_dsl, parent_list_id, query_revision, contacts_count,
				       sample_interval_hours, next_sample_update, evaluated_revision, evaluated_seq, evaluated_at,
				       query_validation
				FROM segment WHERE id = ? FOR NO KEY UPDATE
				""").param(segmentId).query((rs, n) -> {
			Timestamp next = rs.getTimestamp("next_sample_update");
			Timestamp evaluatedAt = rs.getTimestamp("evaluated_at");
			return new SegmentState(rs.getObject("id", UUID.class), rs.getInt("segment_key"), rs.getString("query_dsl"),
					rs.getObject("parent_list_id", UUID.class), rs.getInt("query_revision"),
					rs.getLong("contacts_count"), (Integer) rs.getObject("sample_interval_hours"),
					(next != null) ? next.toInstant() : null, (Integer) rs.getObject("evaluated_revision"),
					(Long) rs.getObject("evaluated_seq"), (evaluatedAt != null) ? evaluatedAt.toInstant() : null,
					"INVALID".equals(rs.getString("query_validation")));
		}).optional();
	}

	private static Optional<String> sqlState(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
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

	private record Diff(long entered, long exited, boolean incremental) {
	}

	private record Rewrite(String sql, List<Object> parameters, boolean incremental) {
	}

	private record SegmentState(UUID id, int key, String queryDsl, UUID parentListId, int queryRevision,
			long contactsCount, Integer sampleIntervalHours, Instant nextSampleUpdate, Integer evaluatedRevision,
			Long evaluatedSeq, Instant evaluatedAt, boolean invalid) {

		boolean sampleDue(Instant asOf) {
			return this.nextSampleUpdate == null || !this.nextSampleUpdate.isAfter(asOf);
		}

	}

}
