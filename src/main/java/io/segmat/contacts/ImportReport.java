package io.segmat.contacts;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.segmat.ingest.ImportTally;
import io.segmat.ingest.JobOutcome;
import io.segmat.ingest.RowError;

/**
 * What a contacts import did. {@code imported} counts the valid rows written; of those,
 * {@code created} were new contacts and {@code updated} existing ones whose values
 * changed. {@code errors} holds the first skipped rows (a row the checks or the database
 * refused), each with its line and field; {@code skipped} counts all of them.
 * {@code exit_status} is COMPLETED_WITH_ERRORS when the job completed with skipped rows.
 * {@code duration_ms} is the last job execution's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportReport(@JsonProperty("job_execution_id") long jobExecutionId, String status,
		@JsonProperty("exit_status") String exitStatus, long read, long imported, long skipped, long created,
		long updated, List<RowError> errors, String failure, @JsonProperty("duration_ms") long durationMs) {

	static ImportReport of(JobOutcome outcome) {
		var tally = outcome.tally();
		return new ImportReport(outcome.jobExecutionId(), outcome.status().name(), outcome.exitCode(),
				tally.count(ContactRowCounter.READ), tally.count(ContactWriter.IMPORTED),
				tally.count(ContactRowCounter.SKIPPED), tally.count(ContactWriter.CREATED),
				tally.count(ContactWriter.UPDATED), tally.errors(), outcome.failure(), outcome.durationMs());
	}

	/** The job ran to its end; skipped rows do not make it fail. */
	public boolean completed() {
		return "COMPLETED".equals(this.status);
	}

	/** It completed, and skipped rows: exit code 3 on the command line. */
	public boolean completedWithErrors() {
		return completed() && ImportTally.COMPLETED_WITH_ERRORS.equals(this.exitStatus);
	}

}
