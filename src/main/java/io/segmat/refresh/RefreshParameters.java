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
		try {
			return OffsetDateTime.parse(text).toInstant();
		}
		catch (DateTimeParseException ex) {
			try {
				return java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
			}
			catch (DateTimeParseException again) {
				throw new IllegalArgumentException(
						"'" + text + "' is not an ISO-8601 instant such as 2026-11-28T21:45:00Z");
			}
		}
	}

}
