package io.segmat.events;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.segmat.ingest.JobOutcome;
import io.segmat.ingest.RowError;

/**
 * What an events import did: of the events {@code read}, {@code imported} were stored,
 * {@code duplicates} had an sg_event_id already stored (or repeated in the file),
 * {@code unknown_email} named no contact, and {@code invalid} could not be read or lacked
 * a required field ({@code errors} lists the first of those with their lines).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventImportReport(@JsonProperty("job_execution_id") long jobExecutionId, String status, long read,
		long imported, long duplicates, @JsonProperty("unknown_email") long unknownEmail, long invalid,
		List<RowError> errors, String failure, @JsonProperty("duration_ms") long durationMs) {

	static EventImportReport of(JobOutcome outcome) {
		var tally = outcome.tally();
		return new EventImportReport(outcome.jobExecutionId(), outcome.status().name(),
				tally.count(EventValidator.READ), tally.count(EventWriter.IMPORTED),
				tally.count(EventWriter.DUPLICATES), tally.count(EventWriter.UNKNOWN_EMAIL),
				tally.count(EventValidator.INVALID), tally.errors(), outcome.failure(), outcome.durationMs());
	}

	public boolean completed() {
		return "COMPLETED".equals(this.status);
	}

}
