package io.segmat.events;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.segmat.ingest.ImportTally;
import io.segmat.ingest.JobOutcome;
import io.segmat.ingest.RowError;

/**
 * What an events import did: of the events {@code read}, {@code imported} were stored,
 * {@code duplicates} had an sg_event_id already stored (or repeated in the file),
 * {@code unknown_email} named no contact, and {@code invalid} could not be read, lacked a
 * required field, held a value PostgreSQL cannot store or was refused by the database
 * ({@code errors} lists the first of those with their lines and fields). An invalid event
 * makes {@code exit_status} COMPLETED_WITH_ERRORS; an unknown email does not.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventImportReport(@JsonProperty("job_execution_id") long jobExecutionId, String status,
		@JsonProperty("exit_status") String exitStatus, long read, long imported, long duplicates,
		@JsonProperty("unknown_email") long unknownEmail, long invalid, List<RowError> errors, String failure,
		@JsonProperty("duration_ms") long durationMs) {

	static EventImportReport of(JobOutcome outcome) {
		var tally = outcome.tally();
		return new EventImportReport(outcome.jobExecutionId(), outcome.status().name(), outcome.exitCode(),
				tally.count(EventValidator.READ), tally.count(EventWriter.IMPORTED),
				tally.count(EventWriter.DUPLICATES), tally.count(EventWriter.UNKNOWN_EMAIL),
				tally.count(EventValidator.INVALID), tally.errors(), outcome.failure(), outcome.durationMs());
	}

	public boolean completed() {
		return "COMPLETED".equals(this.status);
	}

	/** It completed, and invalid events were skipped: exit code 3 on the command line. */
	public boolean completedWithErrors() {
		return completed() && ImportTally.COMPLETED_WITH_ERRORS.equals(this.exitStatus);
	}

}
