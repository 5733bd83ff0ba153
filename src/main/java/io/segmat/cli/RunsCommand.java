package io.segmat.cli;

import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code segmat runs}: recent job executions from Spring Batch's metadata, with each
 * refresh's segment summary.
 */
@Command(name = "runs", mixinStandardHelpOptions = true,
		description = "Recent job executions: id, job, parameters, status, exit code, start, duration, counts.")
final class RunsCommand extends DatabaseCommand {

	// Partition steps are named "<step>:<partition>"; their manager step already sums
	// them.
	private static final String RUNS = """
			SELECT e.job_execution_id AS id, i.job_name AS job,
			       (SELECT string_agg(p.parameter_name || '=' || p.parameter_value, ' ' ORDER BY p.parameter_name)
			        FROM batch_job_execution_params p WHERE p.job_execution_id = e.job_execution_id) AS parameters,
			       e.status, e.exit_code, to_char(e.start_time, 'YYYY-MM-DD"T"HH24:MI:SS') AS started,
			       round(extract(epoch FROM coalesce(e.end_time, e.last_updated) - e.start_time) * 1000) AS duration_ms,
			       coalesce((SELECT sum(s.read_count) FROM batch_step_execution s
			                 WHERE s.job_execution_id = e.job_execution_id AND s.step_name NOT LIKE '%:%'), 0) AS read,
			       coalesce((SELECT sum(s.write_count) FROM batch_step_execution s
			                 WHERE s.job_execution_id = e.job_execution_id AND s.step_name NOT LIKE '%:%'), 0) AS written,
			       coalesce((SELECT sum(s.read_skip_count + s.process_skip_count + s.write_skip_count)
			                 FROM batch_step_execution s
			                 WHERE s.job_execution_id = e.job_execution_id AND s.step_name NOT LIKE '%:%'), 0) AS skipped,
			       v.evaluated, v.failed, v.entered, v.left
			FROM batch_job_execution e
			JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
			LEFT JOIN LATERAL (
			    SELECT count(*) FILTER (WHERE status = 'COMPLETED') AS evaluated, count(*) FILTER (WHERE status = 'FAILED') AS failed,
			           coalesce(sum(entered), 0) AS entered, coalesce(sum(exited), 0) AS left
			    FROM segment_evaluation se WHERE se.job_execution_id = e.job_execution_id) v ON i.job_name = 'segmentRefreshJob'
			WHERE (CAST(? AS text) IS NULL OR i.job_name = ?)
			ORDER BY e.job_execution_id DESC
			LIMIT ?
			""";

	private static final String SEGMENTS = """
			SELECT coalesce(s.name, v.segment_id::text) AS segment, v.trigger, v.status, v.mode, v.entered,
			       v.exited AS left, v.contacts_count, v.duration_ms, v.error_message
			FROM segment_evaluation v LEFT JOIN segment s ON s.id = v.segment_id
			WHERE v.job_execution_id = ?
			ORDER BY v.duration_ms DESC NULLS LAST, segment
			""";

	@Option(names = "--job", paramLabel = "NAME", description = "only this job's executions")
	String job;

	@Option(names = "--limit", paramLabel = "N", defaultValue = "20",
			description = "how many (default: ${DEFAULT-VALUE})")
	int limit;

	@Option(names = "--json", description = "print JSON instead of a table")
	boolean json;

	@Option(names = "--execution", paramLabel = "ID",
			description = "instead: one refresh execution's per-segment results")
	Long execution;

	@Override
	int run(CommandContext context) {
		if (this.execution != null) {
			List<Map<String, Object>> segments = context.bean(JdbcClient.class)
				.sql(SEGMENTS)
				.param(this.execution)
				.query()
				.listOfRows();
			if (this.json) {
				Json.print(context.out(), Map.of("execution_id", this.execution, "segments", segments));
			}
			else {
				Table.print(context.out(), segments, List.of("segment", "trigger", "status", "mode", "entered", "left",
						"contacts_count", "duration_ms", "error_message"));
			}
			return ExitCodes.OK;
		}
		if (this.limit < 1) {
			throw new IllegalArgumentException("--limit must be at least 1");
		}
		List<Map<String, Object>> runs = context.bean(JdbcClient.class)
			.sql(RUNS)
			.params(this.job, this.job, this.limit)
			.query()
			.listOfRows();
		if (this.json) {
			Json.print(context.out(), Map.of("runs", runs));
		}
		else {
			Table.print(context.out(), runs, List.of("id", "job", "status", "exit_code", "started", "duration_ms",
					"read", "written", "skipped", "evaluated", "failed", "entered", "left", "parameters"));
		}
		return ExitCodes.OK;
	}

}
