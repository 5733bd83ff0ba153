package io.segmat.refresh;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;

import io.segmat.LimitExceededException;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * SendGrid's manual refresh quotas: 2 per segment per day from midnight in the user's
 * time zone, 1 per segment per hour, 10 per day over the account by UTC day. Counted from
 * the manual evaluations recorded in segment_evaluation.
 */
@Component
class ManualRefreshLimits {

	static final int PER_SEGMENT_PER_DAY = 2;

	static final int PER_ACCOUNT_PER_UTC_DAY = 10;

	private final JdbcClient jdbc;

	ManualRefreshLimits(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Throws {@link LimitExceededException} naming the limit and when it resets. */
	void check(UUID segmentId, ZoneId zone, Instant asOf) {
		Instant lastHour = asOf.minus(Duration.ofHours(1));
		Instant latest = this.jdbc.sql("""
				SELECT max(as_of) FROM segment_evaluation
				WHERE segment_id = ? AND trigger = 'manual' AND as_of > ? AND as_of <= ?
				""")
			.params(segmentId, Timestamp.from(lastHour), Timestamp.from(asOf))
			.query(Timestamp.class)
			.optional()
			.map(Timestamp::toInstant)
			.orElse(null);
		if (latest != null) {
			throw new LimitExceededException("limit of 1 manual refresh per segment per hour reached; it resets at "
					+ latest.plus(Duration.ofHours(1)));
		}
		ZonedDateTime localMidnight = asOf.atZone(zone).toLocalDate().atStartOfDay(zone);
		if (usedSince(segmentId, localMidnight.toInstant(), asOf) >= PER_SEGMENT_PER_DAY) {
			throw new LimitExceededException(
					"limit of " + PER_SEGMENT_PER_DAY + " manual refreshes per segment per day (" + zone.getId()
							+ ") reached; it resets at " + localMidnight.plusDays(1).toInstant());
		}
		ZonedDateTime utcMidnight = asOf.atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC);
		if (usedSince(null, utcMidnight.toInstant(), asOf) >= PER_ACCOUNT_PER_UTC_DAY) {
			throw new LimitExceededException("limit of " + PER_ACCOUNT_PER_UTC_DAY
					+ " manual refreshes per day over all segments (UTC) reached; it resets at "
					+ utcMidnight.plusDays(1).toInstant());
		}
	}

	/**
	 * Manual refreshes of the segment (or of all, when null) from {@code since} up to
	 * {@code asOf}.
	 */
	int usedSince(UUID segmentId, Instant since, Instant asOf) {
		return this.jdbc.sql("""
				SELECT count(*) FROM segment_evaluation
				WHERE trigger = 'manual' AND (CAST(? AS uuid) IS NULL OR segment_id = ?) AND as_of >= ? AND as_of <= ?
				""")
			.params(segmentId, segmentId, Timestamp.from(since), Timestamp.from(asOf))
			.query(Integer.class)
			.single();
	}

}
