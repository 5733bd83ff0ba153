package io.segmat.contacts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import io.segmat.ingest.FileJobRunner;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code contactDeletionJob}: contact deletion as a Batch job, so that every deletion,
 * from the API or the command line, is an execution that the import status endpoint and
 * operators can look up, as SendGrid's delete answers a job id. The keys travel in a
 * file, like an import's rows, because a job parameter holds at most 2,500 characters.
 */
@Configuration(proxyBeanMethods = false)
class ContactDeletionJobConfiguration {

	static final String JOB_NAME = "contactDeletionJob";

	static final String STEP_NAME = "contactDeletionStep";

	/** "true" deletes every contact; the file is then empty. */
	static final String ALL = "all";

	/**
	 * What the file's lines are: {@link #BY_ID} (also when absent, as in executions from
	 * before the command line used the job) or {@link #BY_EMAIL}.
	 */
	static final String KEY = "key";

	static final String BY_ID = "id";

	static final String BY_EMAIL = "email";

	@Bean
	Job contactDeletionJob(JobRepository jobRepository, Step contactDeletionStep) {
		return new JobBuilder(JOB_NAME, jobRepository).start(contactDeletionStep).build();
	}

	@Bean
	Step contactDeletionStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ContactDeletion deletion) {
		return new StepBuilder(STEP_NAME, jobRepository).tasklet((contribution, chunkContext) -> {
			JobParameters parameters = chunkContext.getStepContext().getStepExecution().getJobParameters();
			int deleted;
			if (Boolean.parseBoolean(parameters.getString(ALL))) {
				deleted = deletion.deleteAll();
			}
			else {
				List<String> keys = readKeys(Path.of(parameters.getString(FileJobRunner.FILE)));
				deleted = BY_EMAIL.equals(parameters.getString(KEY)) ? deletion.deleteByEmails(keys)
						: deletion.deleteByIds(keys.stream().map(UUID::fromString).toList());
			}
			contribution.incrementWriteCount(deleted);
			return RepeatStatus.FINISHED;
		}, transactionManager).build();
	}

	private static List<String> readKeys(Path file) {
		try {
			return Files.readAllLines(file).stream().filter((line) -> !line.isBlank()).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read the contacts to delete from " + file, ex);
		}
	}

}
