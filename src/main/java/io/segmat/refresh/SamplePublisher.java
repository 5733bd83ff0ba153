package io.segmat.refresh;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;

import io.segmat.contacts.ContactJson;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Publishes a segment's count and a sample of its members, as the API shows them, and
 * sets when the next publication is due ({@link SampleCadence}).
 */
@Component
class SamplePublisher {

	static final int SAMPLE_SIZE = 50;

	// A run of members from a random key onwards, wrapping around: an index range scan,
	// not a sort of the set.
	private static final String SAMPLE = """
			WITH picked AS (
			    SELECT contact_key FROM (
			        (SELECT contact_key FROM segment_member WHERE segment_key = ? AND contact_key >= ? ORDER BY contact_key LIMIT ?)
			        UNION ALL
			        (SELECT contact_key FROM segment_member WHERE segment_key = ? AND contact_key < ? ORDER BY contact_key LIMIT ?)
			    ) k LIMIT ?)
			SELECT coalesce(jsonb_agg(jsonb_strip_nulls(%s) ORDER BY c.contact_key)::text, '[]')
			FROM picked p JOIN contact c ON c.contact_key = p.contact_key
			"""
		.formatted(ContactJson.SAMPLE_OBJECT);

	private final JdbcClient jdbc;

	private final SampleCadence cadence;

	SamplePublisher(JdbcClient jdbc, RefreshSettings settings) {
		this.jdbc = jdbc;
		this.cadence = new SampleCadence(settings.maxSampleInterval());
	}

	/**
	 * Publishes {@code count} and a new sample of the segment's membership as it stands
	 * in the caller's transaction. A manual refresh publishes now but leaves the
	 * scheduled cadence where it was.
	 * @param membershipChanged whether the evaluation before it changed the membership,
	 * which restarts the cadence
	 */
	void publish(LockedSegment segment, Instant asOf, long count, boolean membershipChanged,
			EvaluationTrigger trigger) {
		String sample = pickSample(segment, asOf);
		if (trigger == EvaluationTrigger.MANUAL) {
			// The scheduled cadence stays where it was; a segment no scheduled run has
			// published yet starts one here, so a segment with a sample has a next one.
			int first = this.cadence.nextIntervalHours(null, true);
			this.jdbc.sql("""
					UPDATE segment SET contacts_count = ?, contacts_sample = ?::jsonb, sample_updated_at = ?,
					    last_refreshed_at = ?, next_sample_update = coalesce(next_sample_update, ?),
					    sample_interval_hours = coalesce(sample_interval_hours, ?)
					WHERE segment_key = ?
					""")
				.params(count, sample, Timestamp.from(asOf), Timestamp.from(asOf),
						Timestamp.from(asOf.plus(Duration.ofHours(first))), first, segment.key())
				.update();
			return;
		}
		int interval = this.cadence.nextIntervalHours(segment.sampleIntervalHours(), membershipChanged);
		this.jdbc.sql("""
				UPDATE segment SET contacts_count = ?, contacts_sample = ?::jsonb, sample_updated_at = ?,
				    next_sample_update = ?, sample_interval_hours = ?
				WHERE segment_key = ?
				""")
			.params(count, sample, Timestamp.from(asOf), Timestamp.from(asOf.plus(Duration.ofHours(interval))),
					interval, segment.key())
			.update();
	}

	/**
	 * Publishes the stored count and a new sample without evaluating the query, for a
	 * segment the plan found unchanged but due for its sample. Must run inside a
	 * transaction.
	 */
	EvaluationResult republish(UUID segmentId, Instant asOf) {
		Optional<LockedSegment> found = LockedSegment.lock(this.jdbc, segmentId);
		if (found.isEmpty()) {
			return EvaluationResult.gone();
		}
		LockedSegment segment = found.get();
		// The plan may be stale by now (a restart resumes the list an earlier execution
		// planned): the locked row decides.
		if (segment.sampleDue(asOf)) {
			publish(segment, asOf, segment.contactsCount(), false, EvaluationTrigger.SCHEDULED);
		}
		return new EvaluationResult(EvaluationResult.Outcome.SAMPLED, 0, 0, segment.contactsCount(), null);
	}

	private String pickSample(LockedSegment segment, Instant asOf) {
		var bounds = this.jdbc
			.sql("SELECT min(contact_key), max(contact_key) FROM segment_member WHERE segment_key = ?")
			.param(segment.key())
			.query((rs, n) -> new long[] { rs.getLong(1), rs.getLong(2), rs.wasNull() ? 1 : 0 })
			.single();
		if (bounds[2] == 1) {
			return "[]";
		}
		// Seeded by segment and instant: the same run picks the same sample, a later
		// one another.
		long start = new SplittableRandom(segment.key() * 31L + asOf.getEpochSecond()).nextLong(bounds[0],
				bounds[1] + 1);
		return this.jdbc.sql(SAMPLE)
			.params(segment.key(), start, SAMPLE_SIZE, segment.key(), start, SAMPLE_SIZE, SAMPLE_SIZE)
			.query(String.class)
			.single();
	}

}
