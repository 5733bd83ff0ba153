package io.segmat.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.segmat.refresh.RefreshLauncher;
import org.springframework.boot.convert.DurationStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code segmat refresh}: the materialization job for one schedule slot. */
@Command(name = "refresh", mixinStandardHelpOptions = true,
		description = { "Evaluate the segments that are due and publish their counts and samples.",
				"One run per slot: a completed slot is a no-op (exit 0), a failed one is restarted." })
final class RefreshCommand extends DatabaseCommand {

	@Option(names = "--slot", paramLabel = "T",
			description = "the schedule slot, an ISO instant truncated to the minute (default: now)")
	String slot;

	@Option(names = "--slot-interval", paramLabel = "D", defaultValue = "1m",
			description = "without --slot: name the run after now truncated to this interval, e.g. 15m, so a retry "
					+ "in the same interval restarts the same slot (default: ${DEFAULT-VALUE})")
	String slotInterval;

	@Option(names = "--as-of", paramLabel = "T",
			description = "the evaluation instant, what CURRENT_TIMESTAMP means (default: now)")
	String asOf;

	@Option(names = "--threads", paramLabel = "N", description = "segments evaluated in parallel (default: 2)")
	Integer threads;

	@Override
	int run(CommandContext context) {
		String slot = (this.slot != null) ? this.slot : currentSlot(context.bean(Clock.class).instant());
		return RefreshReport.print(context, context.bean(RefreshLauncher.class).launch(slot, this.asOf, this.threads));
	}

	private String currentSlot(Instant now) {
		Duration interval;
		try {
			interval = DurationStyle.detectAndParse(this.slotInterval);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"--slot-interval '" + this.slotInterval + "' is not a duration such as 15m");
		}
		if (interval.toMinutes() < 1 || interval.toMinutes() > 24 * 60) {
			throw new IllegalArgumentException("--slot-interval must be from 1m to 24h");
		}
		long seconds = interval.toSeconds();
		return Instant.ofEpochSecond(now.getEpochSecond() / seconds * seconds).toString();
	}

}
