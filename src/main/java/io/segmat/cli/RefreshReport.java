package io.segmat.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.segmat.refresh.RefreshRun;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Prints a refresh run: the per-segment summary on stdout, the verdict on stderr, the
 * exit code.
 */
final class RefreshReport {

	private RefreshReport() {
	}

	static int print(CommandContext context, RefreshRun run) {
		return print(context, run, null);
	}

	/**
	 * @param schema the account's schema, named in the report when the command refreshes
	 * several; null otherwise
	 */
	static int print(CommandContext context, RefreshRun run, String schema) {
		if (run.executionId() != null && run.outcome() != RefreshRun.Outcome.ALREADY_COMPLETED) {
			Map<String, Object> result = new LinkedHashMap<>();
			if (schema != null) {
				result.put("schema", schema);
			}
			result.put("slot", run.slot());
			result.put("execution_id", run.executionId());
			result.put("outcome", run.outcome().name());
			result.put("segments", segments(context.bean(JdbcClient.class), run.executionId()));
			Json.print(context.out(), result);
		}
		var err = context.err();
		err.println(Printable.of(run.message()));
		run.failedSegments().forEach((failure) -> err.println("failed segment " + Printable.of(failure)));
		err.flush();
		return switch (run.outcome()) {
			case COMPLETED, ALREADY_COMPLETED -> ExitCodes.OK;
			case COMPLETED_WITH_FAILED_SEGMENTS -> ExitCodes.SEGMENTS_FAILED;
			case FAILED -> ExitCodes.JOB_FAILED;
			case LOCKED -> ExitCodes.LOCKED;
			case INVALID_PARAMETERS -> ExitCodes.USAGE;
		};
	}

	private static List<Map<String, Object>> segments(JdbcClient jdbc, long executionId) {
		return jdbc.sql("""
				SELECT coalesce(s.name, e.segment_id::text) AS name, e.status, e.entered, e.exited AS left,
				       e.contacts_count, e.duration_ms, e.error_message
				FROM segment_evaluation e LEFT JOIN segment s ON s.id = e.segment_id
				WHERE e.job_execution_id = ?
				ORDER BY s.name
				""").param(executionId).query().listOfRows();
	}

}
