package io.segmat.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.segmat.events.EventImportReport;

/**
 * What the event ingest answers: the import's counts and, for each invalid event, its
 * index in the batch and the field at fault ({@code [3].timestamp}). It never carries a
 * failure's text: a job that failed is a 500, which a webhook sender retries.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record EventIngestAnswer(@JsonProperty("job_execution_id") long jobExecutionId, String status,
		@JsonProperty("exit_status") String exitStatus, long read, long imported, long duplicates,
		@JsonProperty("unknown_email") long unknownEmail, long invalid, List<EventError> errors) {

	/** The events were written one a line: line n is the event at index n-1. */
	static EventIngestAnswer of(EventImportReport report) {
		return new EventIngestAnswer(report.jobExecutionId(), report.status(), report.exitStatus(), report.read(),
				report.imported(), report.duplicates(), report.unknownEmail(), report.invalid(),
				report.errors().stream().map((error) -> {
					int index = (int) (error.line() - 1);
					String field = "[" + index + "]" + ((error.field() != null) ? "." + error.field() : "");
					return new EventError(index, field, error.reason());
				}).toList());
	}

	record EventError(int index, String field, String message) {
	}

}
