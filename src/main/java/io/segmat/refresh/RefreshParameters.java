package io.segmat.refresh;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * The refresh job's parameters. {@code slot} alone identifies a run (one JobInstance per
 * schedule slot); {@code asOf} and {@code threads} are non-identifying, so a restart
 * keeps them.
 */
public record RefreshParameters(String slot, Instant asOf, int threads) {

	static final String SLOT = "slot";

	static final String AS_OF = "asOf";

	static final String THREADS = "threads";

	private static final Instant EARLIEST = Instant.EPOCH;

	private static final Instant AFTER_LATEST = Instant.parse("+10000-01-01T00:00:00Z");

	/**
	 * Canonical slot text: an ISO instant truncated to the minute, e.g.
	 * 2026-11-28T21:45:00Z.
	 */
	public static String slotOf(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MINUTES).toString();
	}

	JobParameters toJobParameters() {
		return new JobParametersBuilder().addString(SLOT, this.slot, true)
			.addString(AS_OF, this.asOf.toString(), false)
			.addLong(THREADS, (long) this.threads, false)
			.toJobParameters();
	}

	/**
	 * Reads an ISO-8601 instant ({@code 2026-11-28T21:45:00Z}, an offset, or a bare date
	 * for midnight UTC).
	 */
	static Instant parseInstant(String text) {
		Instant instant;
		try {
			instant = OffsetDateTime.parse(text).toInstant();
		}
		catch (DateTimeParseException ex) {
			try {
				instant = java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
			}
			catch (DateTimeParseException again) {
				throw new IllegalArgumentException(
						"'" + text + "' is not an ISO-8601 instant such as 2026-11-28T21:45:00Z");
			}
		}
		// ISO-8601 allows signed and five-digit years; a slot or a clock before 1970 or
		// after 9999 is a typo, and PostgreSQL's timestamps end at 294276 anyway
		if (instant.isBefore(EARLIEST) || !instant.isBefore(AFTER_LATEST)) {
			throw new IllegalArgumentException(
					"'" + text + "' is outside the years 1970 to 9999 that a slot or asOf may name");
		}
		return instant;
	}

}
