package io.segmat.refresh;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A segment's row as its evaluation or publication read it, locked until the caller's
 * transaction ends so that membership, count and sample change together.
 */
record LockedSegment(UUID id, int key, String queryDsl, UUID parentListId, int queryRevision, long contactsCount,
		Integer sampleIntervalHours, Instant nextSampleUpdate, Integer evaluatedRevision, Long evaluatedSeq,
		Instant evaluatedAt, boolean invalid) {

	/**
	 * Locks the segment's row; empty when the segment is gone. NO KEY UPDATE, so that
	 * inserts elsewhere which only reference the segment are not held up.
	 */
	static Optional<LockedSegment> lock(JdbcClient jdbc, UUID segmentId) {
		return jdbc.sql("""
				SELECT id, segment_key, query_dsl, parent_list_id, query_revision, contacts_count,
				       sample_interval_hours, next_sample_update, evaluated_revision, evaluated_seq, evaluated_at,
				       query_validation
				FROM segment WHERE id = ? FOR NO KEY UPDATE
				""").param(segmentId).query((rs, n) -> {
			Timestamp next = rs.getTimestamp("next_sample_update");
			Timestamp evaluatedAt = rs.getTimestamp("evaluated_at");
			return new LockedSegment(rs.getObject("id", UUID.class), rs.getInt("segment_key"),
					rs.getString("query_dsl"), rs.getObject("parent_list_id", UUID.class), rs.getInt("query_revision"),
					rs.getLong("contacts_count"), (Integer) rs.getObject("sample_interval_hours"),
					(next != null) ? next.toInstant() : null, (Integer) rs.getObject("evaluated_revision"),
					(Long) rs.getObject("evaluated_seq"), (evaluatedAt != null) ? evaluatedAt.toInstant() : null,
					"INVALID".equals(rs.getString("query_validation")));
		}).optional();
	}

	boolean sampleDue(Instant asOf) {
		return this.nextSampleUpdate == null || !this.nextSampleUpdate.isAfter(asOf);
	}

}
