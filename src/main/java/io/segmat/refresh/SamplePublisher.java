package io.segmat.refresh;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import io.segmat.contacts.ContactJson;

import org.springframework.jdbc.core.JdbcTemplate;
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
	// not a sort of the set. The start lies the given fraction of the way from the
	// least key to the greatest, two index probes of the same statement.
	private static final String SAMPLE = """
			(SELECT coalesce(jsonb_agg(jsonb_strip_nulls(%1$s) ORDER BY c.contact_key), '[]')
			 FROM (SELECT b.low + least(floor(CAST(? AS double precision) * (b.high - b.low + 1)), b.high - b.low)::bigint AS key
			       FROM (SELECT min(contact_key) AS low, max(contact_key) AS high FROM segment_member WHERE segment_key = ?) b) start
			 CROSS JOIN LATERAL (
			     SELECT k.contact_key FROM (
			         (SELECT contact_key FROM segment_member WHERE segment_key = ? AND contact_key >= start.key
			          ORDER BY contact_key LIMIT %2$d)
			         UNION ALL
			         (SELECT contact_key FROM segment_member WHERE segment_key = ? AND contact_key < start.key
			          ORDER BY contact_key LIMIT %2$d)
			     ) k LIMIT %2$d) p
			 JOIN contact c ON c.contact_key = p.contact_key)"""
		.formatted(ContactJson.SAMPLE_OBJECT, SAMPLE_SIZE);

	private static final String SCHEDULED = """
			contacts_count = ?, contacts_sample = %s, sample_updated_at = ?,
			    next_sample_update = ?, sample_interval_hours = ?""".formatted(SAMPLE);

	private static final String SCHEDULED_UPDATE = Publication.update(SCHEDULED);

	// The scheduled cadence stays where it was; a segment no scheduled run has published
	// yet starts one here, so a segment with a sample has a next one.
	private static final String MANUAL = """
			contacts_count = ?, contacts_sample = %s, sample_updated_at = ?,
			    last_refreshed_at = ?, next_sample_update = coalesce(next_sample_update, ?),
			    sample_interval_hours = coalesce(sample_interval_hours, ?)""".formatted(SAMPLE);

	private final JdbcClient jdbc;

	private final JdbcTemplate batch;

	private final SampleCadence cadence;

	SamplePublisher(JdbcClient jdbc, JdbcTemplate batch, RefreshSettings settings) {
		this.jdbc = jdbc;
		this.batch = batch;
		this.cadence = new SampleCadence(settings.maxSampleInterval());
	}

	/**
	 * The assignments, in an UPDATE of the segment's row, that publish {@code count} and
	 * a new sample of the segment's membership as it stands when the statement runs. A
	 * manual refresh publishes now but leaves the scheduled cadence where it was.
	 * @param membershipChanged whether the evaluation before it changed the membership,
	 * which restarts the cadence
	 */
	Publication publication(LockedSegment segment, Instant asOf, long count, boolean membershipChanged,
			EvaluationTrigger trigger) {
		List<Object> parameters = new ArrayList<>();
		parameters.add(count);
		// Seeded by segment and instant: the same run picks the same sample, a later
		// one another.
		parameters.add(new SplittableRandom(segment.key() * 31L + asOf.getEpochSecond()).nextDouble());
		parameters.add(segment.key());
		parameters.add(segment.key());
		parameters.add(segment.key());
		parameters.add(Timestamp.from(asOf));
		if (trigger == EvaluationTrigger.MANUAL) {
			int first = this.cadence.nextIntervalHours(null, true);
			parameters.add(Timestamp.from(asOf));
			parameters.add(Timestamp.from(asOf.plus(Duration.ofHours(first))));
			parameters.add(first);
			return new Publication(MANUAL, parameters);
		}
		int interval = this.cadence.nextIntervalHours(segment.sampleIntervalHours(), membershipChanged);
		parameters.add(Timestamp.from(asOf.plus(Duration.ofHours(interval))));
		parameters.add(interval);
		return new Publication(SCHEDULED, parameters);
	}

	/**
	 * Publishes {@code count} and a new sample of the segment's membership as it stands
	 * in the caller's transaction, as {@link #publication} says.
	 */
	void publish(LockedSegment segment, Instant asOf, long count, boolean membershipChanged,
			EvaluationTrigger trigger) {
		Publication publication = publication(segment, asOf, count, membershipChanged, trigger);
		this.jdbc.sql(publication.update()).params(publication.parametersOf(segment)).update();
	}

	/**
	 * Publishes the stored count and a new sample without evaluating the query, for
	 * segments the plan found unchanged but due for their sample: one statement locks
	 * them all, then one batch, a single round trip, publishes those due. Must run inside
	 * a transaction.
	 * @return each segment's outcome, in the order given
	 */
	List<EvaluationResult> republish(List<UUID> segmentIds, Instant asOf) {
		Map<UUID, LockedSegment> locked = new HashMap<>();
		// each a scheduled publication's parameters: the statement is the same for all
		List<Object[]> due = new ArrayList<>();
		for (LockedSegment segment : LockedSegment.lock(this.jdbc, segmentIds)) {
			locked.put(segment.id(), segment);
			// The plan may be stale by now (a restart resumes the list an earlier
			// execution planned): the locked row decides.
			if (segment.sampleDue(asOf)) {
				due.add(publication(segment, asOf, segment.contactsCount(), false, EvaluationTrigger.SCHEDULED)
					.parametersOf(segment)
					.toArray());
			}
		}
		// A statement at a time, a fresh process's samples step republishing 8 segments
		// of a 100,000-contact home took 39.2 ms (median of 14), 36.2 ms as one batch.
		if (!due.isEmpty()) {
			this.batch.batchUpdate(SCHEDULED_UPDATE, due);
		}
		return segmentIds.stream().map((id) -> {
			LockedSegment segment = locked.get(id);
			return (segment != null)
					? new EvaluationResult(EvaluationResult.Outcome.SAMPLED, 0, 0, segment.contactsCount(), null)
					: EvaluationResult.gone();
		}).toList();
	}

	/**
	 * Assignments in an UPDATE of segment, with their parameters in text order.
	 */
	record Publication(String assignments, List<Object> parameters) {

		/** The UPDATE of one segment's row that makes this publication. */
		String update() {
			return update(this.assignments);
		}

		private static String update(String assignments) {
			return "UPDATE segment SET " + assignments + "\nWHERE segment_key = ?";
		}

		/** {@link #update()}'s parameters for the segment, in text order. */
		List<Object> parametersOf(LockedSegment segment) {
			List<Object> all = new ArrayList<>(this.parameters);
			all.add(segment.key());
			return all;
		}

	}

}
