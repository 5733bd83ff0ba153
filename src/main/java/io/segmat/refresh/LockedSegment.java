package io.segmat.refresh;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.segmat.query.FieldCatalog;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A segment's row as its evaluation or publication read it, locked until the caller's
 * transaction ends so that membership, count and sample change together.
 */
record LockedSegment(UUID id, int key, String queryDsl, UUID parentListId, int queryRevision, long contactsCount,
		Integer sampleIntervalHours, Instant nextSampleUpdate, Integer evaluatedRevision, Long evaluatedSeq,
		Instant evaluatedAt, boolean invalid) {

	private static final String COLUMNS = """
			s.id, s.segment_key, s.query_dsl, s.parent_list_id, s.query_revision, s.contacts_count,
			       s.sample_interval_hours, s.next_sample_update, s.evaluated_revision, s.evaluated_seq, s.evaluated_at,
			       s.query_validation""";

	// NO KEY UPDATE, so that inserts elsewhere which only reference the segment are not
	// held up. In id order, as every taker of several rows: two of them never wait on
	// each other in a cycle.
	private static final String LOCK_SEVERAL = """
			SELECT %s
			FROM segment s WHERE s.id = ANY (CAST(? AS uuid[])) ORDER BY s.id FOR NO KEY UPDATE
			""".formatted(COLUMNS);

	// Everything an evaluation reads before its query, in the round trip that locks the
	// row: the id of its record (so that the changes it records in the feed can name
	// it), the field catalogue its query compiles against, and where the segment's
	// partition stands (MemberPartition.State: segment_member's schema, and whether the
	// partition MemberPartition.name names is attached). The settings last until the
	// transaction ends: the timeout bounds each statement of the evaluation, and of the
	// step's bookkeeping before its commit. JIT compiling costs more than it saves on
	// these statements: on PostgreSQL 15 with llvmjit, with its threshold crossed, the
	// grouped scan took 0.9 s without and 1.1–1.5 s with it, the broad attribute scan
	// 0.27 s against 0.33 s.
	private static final String LOCK_FOR_EVALUATION = """
			SELECT %s,
			       nextval(pg_get_serial_sequence('segment_evaluation', 'id')) AS evaluation_id,
			       f.ids AS field_ids, f.names AS field_names, f.types AS field_types,
			       n.nspname AS member_schema, coalesce(p.relispartition, false) AS member_attached,
			       set_config('statement_timeout', ?, true) AS statement_timeout, set_config('jit', 'off', true) AS jit
			FROM segment s
			CROSS JOIN LATERAL (
			    SELECT array_agg(id ORDER BY id) AS ids, array_agg(name ORDER BY id) AS names,
			           array_agg(field_type ORDER BY id) AS types
			    FROM custom_field) f
			JOIN pg_class m ON m.oid = 'segment_member'::regclass
			JOIN pg_namespace n ON n.oid = m.relnamespace
			LEFT JOIN pg_class p ON p.relnamespace = m.relnamespace
			    AND p.relname = %s
			WHERE s.id = ?
			FOR NO KEY UPDATE OF s
			""".formatted(COLUMNS, MemberPartition.nameSql("s.segment_key"));

	/** Locks the segment's row; empty when the segment is gone. */
	static Optional<LockedSegment> lock(JdbcClient jdbc, UUID segmentId) {
		return lock(jdbc, List.of(segmentId)).stream().findFirst();
	}

	/** Locks the rows of the segments still there, in id order. */
	static List<LockedSegment> lock(JdbcClient jdbc, List<UUID> segmentIds) {
		return jdbc.sql(LOCK_SEVERAL)
			.param("{" + String.join(",", segmentIds.stream().map(UUID::toString).toList()) + "}")
			.query((rs, n) -> of(rs))
			.list();
	}

	/**
	 * Locks the segment's row for its evaluation and sets the transaction's statement
	 * timeout; empty when the segment is gone.
	 */
	static Optional<ForEvaluation> lockForEvaluation(JdbcClient jdbc, UUID segmentId, Duration statementTimeout) {
		return jdbc.sql(LOCK_FOR_EVALUATION)
			.params(statementTimeout.toMillis() + "ms", segmentId)
			.query((rs, n) -> new ForEvaluation(of(rs), rs.getLong("evaluation_id"), fields(rs),
					new MemberPartition.State(rs.getString("member_schema"), rs.getBoolean("member_attached"))))
			.optional();
	}

	private static LockedSegment of(ResultSet rs) throws SQLException {
		Timestamp next = rs.getTimestamp("next_sample_update");
		Timestamp evaluatedAt = rs.getTimestamp("evaluated_at");
		return new LockedSegment(rs.getObject("id", UUID.class), rs.getInt("segment_key"), rs.getString("query_dsl"),
				rs.getObject("parent_list_id", UUID.class), rs.getInt("query_revision"), rs.getLong("contacts_count"),
				(Integer) rs.getObject("sample_interval_hours"), (next != null) ? next.toInstant() : null,
				(Integer) rs.getObject("evaluated_revision"), (Long) rs.getObject("evaluated_seq"),
				(evaluatedAt != null) ? evaluatedAt.toInstant() : null,
				"INVALID".equals(rs.getString("query_validation")));
	}

	private static FieldCatalog fields(ResultSet rs) throws SQLException {
		return FieldCatalog.of(strings(rs.getArray("field_ids")), strings(rs.getArray("field_names")),
				strings(rs.getArray("field_types")));
	}

	private static String[] strings(Array array) throws SQLException {
		return (array != null) ? (String[]) array.getArray() : new String[0];
	}

	boolean sampleDue(Instant asOf) {
		return this.nextSampleUpdate == null || !this.nextSampleUpdate.isAfter(asOf);
	}

	/**
	 * What an evaluation read as it locked the segment.
	 *
	 * @param segment the segment's row
	 * @param evaluationId the id of the evaluation's record in segment_evaluation
	 * @param fields the field catalogue, as of the lock
	 * @param partition where the segment's partition of segment_member stands
	 */
	record ForEvaluation(LockedSegment segment, long evaluationId, FieldCatalog fields,
			MemberPartition.State partition) {
	}

}
