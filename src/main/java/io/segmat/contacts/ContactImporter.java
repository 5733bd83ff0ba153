package io.segmat.contacts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import io.segmat.InvalidInputException;
import io.segmat.ingest.FileJobRunner;
import io.segmat.ingest.JobOutcome;
import io.segmat.lists.ContactLists;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * Upserts contacts from a CSV or NDJSON file through the {@code contactImportJob}.
 * Anything that has a body of contacts (the command line, the API's PUT) writes it to a
 * file and calls {@link #importFile}, so every path shares the validation, the
 * restartability and the job history.
 */
@Service
public class ContactImporter {

	private final Job job;

	private final FileJobRunner runner;

	private final ContactLists lists;

	ContactImporter(@Qualifier("contactImportJob") Job job, FileJobRunner runner, ContactLists lists) {
		this.job = job;
		this.runner = runner;
		this.lists = lists;
	}

	/**
	 * Imports {@code file}, adding every imported contact to {@code listId} when given.
	 * Returns once the job has ended; a failed job is reported, not thrown.
	 * @throws InvalidInputException when the file cannot be read or the list does not
	 * exist
	 * @throws io.segmat.db.DatabaseBusyException when another process is importing the
	 * same file into the same list
	 */
	public ImportReport importFile(Path file, UUID listId) {
		if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
			throw new InvalidInputException("file", "cannot read " + file + ": no such readable file");
		}
		if (listId != null && !this.lists.exists(listId)) {
			throw new InvalidInputException("list_id", "list " + listId + " does not exist");
		}
		Map<String, String> parameters = (listId != null)
				? Map.of(ContactImportJobConfiguration.LIST_ID, listId.toString()) : Map.of();
		return report(this.runner.run(this.job, file, parameters));
	}

	/**
	 * Imports the contacts of an API request, one a line in {@code file}: its row errors
	 * then name the contact by its index in the request ({@link #fromRequest}).
	 */
	public ImportReport importRequest(Path file) {
		return report(this.runner.runOwnFile(this.job, file,
				Map.of(ContactImportJobConfiguration.SOURCE, ContactImportJobConfiguration.REQUEST)));
	}

	/** Whether the execution imported an API request, whose line n is contacts[n-1]. */
	public static boolean fromRequest(JobExecution execution) {
		return ContactImportJobConfiguration.REQUEST
			.equals(execution.getJobParameters().getString(ContactImportJobConfiguration.SOURCE));
	}

	/**
	 * What an execution of the contactImportJob did, from the tally its step saved; the
	 * API's import status reads it.
	 */
	public ImportReport report(JobExecution execution) {
		return ImportReport.of(JobOutcome.of(execution, ContactImportJobConfiguration.STEP_NAME,
				ContactImportJobConfiguration.COUNTERS));
	}

}
