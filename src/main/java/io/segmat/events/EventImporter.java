package io.segmat.events;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.segmat.InvalidInputException;
import io.segmat.ingest.FileJobRunner;
import io.segmat.ingest.JobOutcome;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/** Loads Event Webhook events from a file through the {@code eventImportJob}. */
@Service
public class EventImporter {

	private final Job job;

	private final FileJobRunner runner;

	EventImporter(@Qualifier("eventImportJob") Job job, FileJobRunner runner) {
		this.job = job;
		this.runner = runner;
	}

	/**
	 * Imports {@code file}; returns once the job has ended. A failed job is reported, not
	 * thrown.
	 * @throws InvalidInputException when the file cannot be read
	 * @throws io.segmat.db.DatabaseBusyException when another process is importing the
	 * same file
	 */
	public EventImportReport importFile(Path file) {
		if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
			throw new InvalidInputException("file", "cannot read " + file + ": no such readable file");
		}
		return report(this.runner.run(this.job, file, Map.of()));
	}

	/**
	 * Imports the events of an API request, written by the caller to {@code file}, a file
	 * of its own; returns once the job has ended.
	 */
	public EventImportReport importRequest(Path file) {
		return report(this.runner.runOwnFile(this.job, file, Map.of()));
	}

	private static EventImportReport report(JobExecution execution) {
		return EventImportReport
			.of(JobOutcome.of(execution, EventImportJobConfiguration.STEP_NAME, EventImportJobConfiguration.COUNTERS));
	}

}
