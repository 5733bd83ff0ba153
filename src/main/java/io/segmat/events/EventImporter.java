package io.segmat.events;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.segmat.InvalidInputException;
import io.segmat.ingest.FileJobRunner;
import io.segmat.ingest.JobOutcome;

import org.springframework.batch.core.job.Job;
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
	 */
	public EventImportReport importFile(Path file) {
		if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
			throw new InvalidInputException("file", "cannot read " + file + ": no such readable file");
		}
		var execution = this.runner.run(this.job, file, Map.of());
		return EventImportReport
			.of(JobOutcome.of(execution, EventImportJobConfiguration.STEP_NAME, EventImportJobConfiguration.COUNTERS));
	}

}
