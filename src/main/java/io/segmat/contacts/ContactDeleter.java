package io.segmat.contacts;

import java.nio.file.Files;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.segmat.ingest.FileJobRunner;
import io.segmat.ingest.TempFiles;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * Deletes contacts through the {@code contactDeletionJob}. The API and the command line
 * both come here, so every deletion leaves a Batch execution behind.
 */
@Service
public class ContactDeleter {

	public static final String JOB_NAME = ContactDeletionJobConfiguration.JOB_NAME;

	private final Job job;

	private final FileJobRunner runner;

	ContactDeleter(@Qualifier(ContactDeletionJobConfiguration.JOB_NAME) Job job, FileJobRunner runner) {
		this.job = job;
		this.runner = runner;
	}

	/** Deletes the contacts with these ids; unknown ids are ignored. */
	public JobExecution deleteByIds(Collection<UUID> ids) {
		return run(ids.stream().map(UUID::toString).toList(), ContactDeletionJobConfiguration.BY_ID, false);
	}

	/**
	 * Deletes the contacts with these emails, in any case; unknown emails are ignored.
	 */
	public JobExecution deleteByEmails(Collection<String> emails) {
		return run(List.copyOf(emails), ContactDeletionJobConfiguration.BY_EMAIL, false);
	}

	public JobExecution deleteAll() {
		return run(List.of(), ContactDeletionJobConfiguration.BY_ID, true);
	}

	/** How many contacts an execution of the job deleted. */
	public static long deleted(JobExecution execution) {
		return execution.getStepExecutions().stream().mapToLong((step) -> step.getWriteCount()).sum();
	}

	private JobExecution run(List<String> keys, String key, boolean all) {
		return TempFiles.withTempFile("segmat-deletion-", (file) -> {
			Files.write(file, keys);
			return this.runner.runOwnFile(this.job, file, Map.of(ContactDeletionJobConfiguration.ALL,
					String.valueOf(all), ContactDeletionJobConfiguration.KEY, key));
		});
	}

}
