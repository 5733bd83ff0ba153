package io.segmat.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.segmat.db.DatabaseSettings;
import io.segmat.refresh.RefreshHealth;
import io.segmat.refresh.RefreshStatus;
import org.springframework.boot.convert.DurationStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code segmat status}: is the refresh keeping the segments current? For a person, or a
 * monitoring check by its exit code.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
		description = {
				"The refresh's health: the last run and its outcome, runs stuck STARTED, overdue and INVALID "
						+ "segments, the worst staleness.",
				"Exits 0 when healthy, 1 when not, each reason on stderr." })
final class StatusCommand extends DatabaseCommand {

	@Option(names = "--json", description = "print JSON instead of text")
	boolean json;

	@Option(names = "--stuck-after", paramLabel = "D", defaultValue = "2h",
			description = "a run still STARTED after this long is stuck even if its process holds the lock; one whose "
					+ "lock nobody holds is stuck at once (default: ${DEFAULT-VALUE})")
	String stuckAfter;

	@Option(names = "--grace", paramLabel = "D", defaultValue = "30m",
			description = "how long past its due time a segment may wait for the next scheduled refresh before it "
					+ "is overdue; at least the schedule's period (default: ${DEFAULT-VALUE})")
	String grace;

	@Override
	int execute(SegmatCommand root) {
		// bad usage before the database is opened
		duration("--stuck-after", this.stuckAfter);
		duration("--grace", this.grace);
		return super.execute(root);
	}

	@Override
	int run(CommandContext context) {
		RefreshStatus status = context.bean(RefreshHealth.class)
			.check(duration("--stuck-after", this.stuckAfter), duration("--grace", this.grace));
		String schema = context.context().getEnvironment().getProperty(DatabaseSettings.SCHEMA_PROPERTY);
		if (this.json) {
			Json.print(context.out(), json(status, schema));
		}
		else {
			text(context.out(), status, schema);
		}
		PrintWriter err = context.err();
		status.reasons().forEach((reason) -> err.println("unhealthy: " + Printable.lines(reason.message())));
		err.flush();
		return status.healthy() ? ExitCodes.OK : ExitCodes.UNHEALTHY;
	}

	static Map<String, Object> json(RefreshStatus status, String schema) {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("healthy", status.healthy());
		result.put("schema", schema);
		result.put("checked_at", text(status.checkedAt()));
		result.put("segments", status.segments());
		RefreshStatus.LastRun last = status.lastRun();
		if (last == null) {
			result.put("last_run", null);
		}
		else {
			Map<String, Object> run = new LinkedHashMap<>();
			run.put("execution_id", last.executionId());
			run.put("slot", last.slot());
			run.put("status", last.status());
			run.put("exit_code", last.exitCode());
			run.put("started", text(last.started()));
			run.put("ended", text(last.ended()));
			result.put("last_run", run);
		}
		result.put("stuck_runs", status.stuckRuns().stream().map((stuck) -> {
			Map<String, Object> run = new LinkedHashMap<>();
			run.put("execution_id", stuck.executionId());
			run.put("job", stuck.job());
			run.put("status", stuck.status());
			run.put("started", text(stuck.started()));
			run.put("last_updated", text(stuck.lastUpdated()));
			run.put("why", stuck.why());
			return run;
		}).toList());
		result.put("overdue_segments", status.overdueSegments().stream().map((overdue) -> {
			Map<String, Object> segment = new LinkedHashMap<>();
			segment.put("id", overdue.id().toString());
			segment.put("name", overdue.name());
			segment.put("due_since", text(overdue.dueSince()));
			segment.put("why", overdue.why());
			return segment;
		}).toList());
		result.put("invalid_segments", status.invalidSegments().stream().map((invalid) -> {
			Map<String, Object> segment = new LinkedHashMap<>();
			segment.put("id", invalid.id().toString());
			segment.put("name", invalid.name());
			segment.put("error_message", invalid.errorMessage());
			return segment;
		}).toList());
		RefreshStatus.Staleness worst = status.worstStaleness();
		if (worst == null) {
			result.put("worst_staleness", null);
		}
		else {
			Map<String, Object> staleness = new LinkedHashMap<>();
			staleness.put("id", worst.id().toString());
			staleness.put("name", worst.name());
			staleness.put("evaluated_at", text(worst.evaluatedAt()));
			staleness.put("seconds", worst.staleness().toSeconds());
			result.put("worst_staleness", staleness);
		}
		result.put("reasons", status.reasons().stream().map((reason) -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("code", reason.code().name());
			entry.put("message", reason.message());
			return entry;
		}).toList());
		return result;
	}

	private static void text(PrintWriter out, RefreshStatus status, String schema) {
		out.println("status:          " + (status.healthy() ? "HEALTHY" : "UNHEALTHY") + " (schema " + schema
				+ ", checked " + text(status.checkedAt()) + ")");
		RefreshStatus.LastRun last = status.lastRun();
		out.println("last refresh:    " + ((last == null) ? "none yet"
				: "execution " + last.executionId() + ", slot " + Printable.of(last.slot()) + ", " + last.status()
						+ " (" + Printable.of(last.exitCode()) + "), "
						+ ((last.ended() != null) ? "ended " + text(last.ended()) : "running")));
		out.println("stuck runs:      " + none(status.stuckRuns()
			.stream()
			.map((run) -> "execution " + run.executionId() + " (" + run.job() + ", " + run.status() + " since "
					+ text(run.started()) + "): " + run.why())
			.toList()));
		out.println("overdue:         " + none(status.overdueSegments()
			.stream()
			.map((segment) -> Printable.of(segment.name()) + " (due since " + text(segment.dueSince()) + ": "
					+ segment.why() + ")")
			.toList()));
		out.println("invalid:         " + none(status.invalidSegments()
			.stream()
			.map((segment) -> Printable.of(segment.name()) + ": " + Printable.of(segment.errorMessage()))
			.toList()));
		RefreshStatus.Staleness worst = status.worstStaleness();
		out.println("worst staleness: " + ((worst == null) ? "no valid segments"
				: human(worst.staleness()) + ", " + Printable.of(worst.name()) + ((worst.evaluatedAt() != null)
						? " (evaluated " + text(worst.evaluatedAt()) + ")" : " (never evaluated)")));
		out.println("segments:        " + status.segments());
		out.flush();
	}

	private static String none(List<String> items) {
		return items.isEmpty() ? "none" : items.stream().collect(Collectors.joining("; "));
	}

	private static String human(Duration duration) {
		long minutes = duration.toMinutes();
		return (minutes < 60) ? minutes + "m" : (minutes / 60) + "h " + (minutes % 60) + "m";
	}

	private static String text(Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

	private static Duration duration(String option, String value) {
		try {
			Duration parsed = DurationStyle.detectAndParse(value);
			if (parsed.isNegative() || parsed.isZero()) {
				throw new IllegalArgumentException(option + " must be positive");
			}
			return parsed;
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(option + " '" + value + "' is not a positive duration such as 30m");
		}
	}

}
