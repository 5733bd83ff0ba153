package io.segmat.refresh;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;

import io.segmat.LimitExceededException;

import org.springframework.stereotype.Component;

/**
 * SendGrid's manual refresh quotas: 2 per segment per day from midnight in the user's
 * time zone, 1 per segment per hour, 10 per day over the account by UTC day. Counted from
 * the manual evaluations in the {@link EvaluationLog}.
 */
@Component
class ManualRefreshLimits {

	static final int PER_SEGMENT_PER_DAY = 2;

	static final int PER_ACCOUNT_PER_UTC_DAY = 10;

	private final EvaluationLog log;

	ManualRefreshLimits(EvaluationLog log) {
		this.log = log;
	}

	/** Throws {@link LimitExceededException} naming the limit and when it resets. */
	void check(UUID segmentId, ZoneId zone, Instant asOf) {
		Instant lastHour = asOf.minus(Duration.ofHours(1));
		Instant latest = this.log.latestManual(segmentId, lastHour, asOf).orElse(null);
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
		return this.log.manualSince(segmentId, since, asOf);
	}

}
