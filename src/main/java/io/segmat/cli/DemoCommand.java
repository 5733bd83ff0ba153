package io.segmat.cli;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.segmat.demo.DemoLoader;
import io.segmat.demo.DemoSegments;
import io.segmat.refresh.RefreshLauncher;
import io.segmat.refresh.RefreshParameters;
import io.segmat.refresh.RefreshRun;
import io.segmat.segments.Segment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code segmat demo}: what {@code make run} does. Load the demo data, materialize its
 * segments, print them.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
		description = { "Load the demo data set (custom fields, lists, contacts and 90 days of email events),",
				"create the demo segments, materialize them and print them. Running it again keeps the data",
				"and runs the refresh for the current minute." })
final class DemoCommand extends DatabaseCommand implements CompilesQueries {

	@Option(names = "--contacts", paramLabel = "N", defaultValue = "" + DemoLoader.DEFAULT_CONTACTS,
			description = "how many demo contacts (default: ${DEFAULT-VALUE})")
	int contacts;

	@Override
	int run(CommandContext context) {
		if (this.contacts < 1) {
			throw new ExitException(ExitCodes.USAGE, "--contacts must be at least 1");
		}
		var loaded = context.bean(DemoLoader.class)
			.load(root().databaseSettings().home().resolve("demo"), this.contacts);
		if (!loaded.completed()) {
			Json.print(context.out(), loaded);
			throw new ExitException(ExitCodes.JOB_FAILED,
					"loading the demo data failed; run the same command again to resume it");
		}
		var out = context.out();
		out.println(Printable.of((loaded.alreadyLoaded() ? "Demo data already loaded: " : "Loaded: ")
				+ loaded.contacts() + " contacts, " + loaded.events() + " events, lists "
				+ loaded.lists().stream().map((l) -> l.name() + " (" + l.contactCount() + ")").toList()
				+ ", custom fields "
				+ loaded.customFields().stream().map((f) -> f.name() + ":" + f.fieldType()).toList()));
		List<Segment> segments = context.bean(DemoSegments.class).ensure();
		var now = context.bean(Clock.class).instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
		RefreshRun run = context.bean(RefreshLauncher.class).launch(RefreshParameters.slotOf(now), now.toString(), 2);
		context.err().println(Printable.of(run.message()));
		run.failedSegments().forEach((failure) -> context.err().println("failed segment " + Printable.of(failure)));
		context.err().flush();
		out.println();
		Table.print(out, rows(context, segments, run),
				List.of("segment", "count", "entered", "left", "next_sample_update", "sample"));
		return (run.outcome() == RefreshRun.Outcome.COMPLETED || run.outcome() == RefreshRun.Outcome.ALREADY_COMPLETED)
				? ExitCodes.OK : ExitCodes.SEGMENTS_FAILED;
	}

	private static List<Map<String, Object>> rows(CommandContext context, List<Segment> segments, RefreshRun run) {
		JdbcClient jdbc = context.bean(JdbcClient.class);
		List<Map<String, Object>> rows = new ArrayList<>();
		for (Segment listed : segments) {
			UUID id = UUID.fromString(listed.id());
			Map<String, Object> row = new LinkedHashMap<>();
			Map<String, Object> latest = jdbc.sql("""
					SELECT s.contacts_count, s.next_sample_update, s.query_validation,
					       (SELECT string_agg(x ->> 'email', ', ') FROM (
					           SELECT x FROM jsonb_array_elements(s.contacts_sample) x LIMIT 3) three) AS sample,
					       e.entered, e.exited
					FROM segment s
					LEFT JOIN LATERAL (SELECT entered, exited FROM segment_evaluation v
					                   WHERE v.segment_id = s.id AND v.job_execution_id = ?) e ON true
					WHERE s.id = ?
					""").params(run.executionId(), id).query().singleRow();
			row.put("segment", listed.name());
			row.put("count",
					"INVALID".equals(latest.get("query_validation")) ? "INVALID" : latest.get("contacts_count"));
			row.put("entered", latest.get("entered"));
			row.put("left", latest.get("exited"));
			Object next = latest.get("next_sample_update");
			row.put("next_sample_update", (next instanceof java.sql.Timestamp t)
					? t.toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString() : "");
			row.put("sample", latest.get("sample"));
			rows.add(row);
		}
		return rows;
	}

}
