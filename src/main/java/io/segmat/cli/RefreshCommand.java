package io.segmat.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.segmat.db.Database;
import io.segmat.db.DatabaseSettings;
import io.segmat.refresh.RefreshRun;

import io.segmat.refresh.RefreshLauncher;
import org.springframework.boot.convert.DurationStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code segmat refresh}: the materialization job for one schedule slot. */
@Command(name = "refresh", mixinStandardHelpOptions = true,
		description = { "Evaluate the segments that are due and publish their counts and samples.",
				"One run per slot: a completed slot is a no-op (exit 0), a failed one is restarted.",
				"--all-schemas runs it for every account (schema) of the database, one after another." })
final class RefreshCommand extends DatabaseCommand implements CompilesQueries {

	/**
	 * Longer than a refresh takes to stop at its next segment (RefreshLauncher's grace).
	 */
	private static final Duration STOP_WAIT = Duration.ofSeconds(90);

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

	@Option(names = "--all-schemas",
			description = { "refresh every schema of the database that holds segmat, one after another, each under "
					+ "its own lock; the exit code is the worst of theirs (2, then 1, then 75, then 3)" })
	boolean allSchemas;

	@Override
	int execute(SegmatCommand root) {
		if (!this.allSchemas) {
			return super.execute(root);
		}
		if (root.database.schema != null) {
			throw new IllegalArgumentException("--all-schemas refreshes every schema; leave --db-schema out");
		}
		warmUpQueries();
		AtomicBoolean stopping = new AtomicBoolean();
		CountDownLatch finished = new CountDownLatch(1);
		// On SIGTERM the running schema's context stops its run at the next segment; no
		// further schema starts, and the database closes before the JVM ends.
		Thread hook = new Thread(() -> {
			stopping.set(true);
			awaitQuietly(finished);
		}, "segmat-all-schemas-shutdown");
		Runtime.getRuntime().addShutdownHook(hook);
		try (Database database = CommandContext.openDatabase(root)) {
			int exit = refreshEach(root, database, stopping);
			if (!stopping.get()) {
				database.maintain();
			}
			return exit;
		}
		finally {
			finished.countDown();
			removeQuietly(hook);
		}
	}

	@Override
	int run(CommandContext context) {
		return RefreshReport.print(context, launch(context));
	}

	private int refreshEach(SegmatCommand root, Database database, AtomicBoolean stopping) {
		PrintWriter err = root.err();
		List<String> schemas = database.accountSchemas();
		if (schemas.isEmpty()) {
			err.println("no schema of this database holds segmat; nothing to refresh");
			err.flush();
			return ExitCodes.OK;
		}
		ErrorHandler errors = new ErrorHandler(root.env().containsKey("SEGMAT_DEBUG"));
		int worst = ExitCodes.OK;
		for (String schema : schemas) {
			if (stopping.get()) {
				err.println("stopping: schema " + schema + " and those after it were not refreshed");
				err.flush();
				return worse(worst, ExitCodes.JOB_FAILED);
			}
			if (!DatabaseSettings.isSchemaName(schema)) {
				err.println("schema " + Printable.of(schema) + ": skipped, not a name segmat accepts as --db-schema");
				continue;
			}
			err.println("schema " + schema + ":");
			err.flush();
			int exit;
			try (CommandContext context = CommandContext.open(root, database, schema)) {
				exit = RefreshReport.print(context, launch(context), schema);
			}
			catch (RuntimeException ex) {
				exit = errors.report(ex, err, () -> ErrorHandler.where(root.spec.commandLine()));
			}
			worst = worse(worst, exit);
		}
		return worst;
	}

	private RefreshRun launch(CommandContext context) {
		String slot = (this.slot != null) ? this.slot : currentSlot(context.bean(Clock.class).instant());
		return context.bean(RefreshLauncher.class).launch(slot, this.asOf, this.threads);
	}

	/**
	 * Bad usage, then a failure, then a lock to retry, then failed segments, then
	 * success.
	 */
	static int worse(int one, int other) {
		return (rank(other) > rank(one)) ? other : one;
	}

	private static int rank(int exit) {
		return switch (exit) {
			case ExitCodes.OK -> 0;
			case ExitCodes.SEGMENTS_FAILED -> 1;
			case ExitCodes.LOCKED -> 2;
			case ExitCodes.USAGE -> 4;
			default -> 3;
		};
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void removeQuietly(Thread hook) {
		try {
			Runtime.getRuntime().removeShutdownHook(hook);
		}
		catch (IllegalStateException ex) {
			// Already shutting down: the hook runs and finds the latch open.
		}
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
