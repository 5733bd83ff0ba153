package io.segmat.events;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.segmat.db.ChangeSequence;
import io.segmat.ingest.FileJobRunner;
import io.segmat.ingest.ImportTally;
import io.segmat.ingest.JsonRecordReader;
import io.segmat.ingest.SourceRecord;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The events import: one chunk-oriented step reading Event Webhook JSON (an array or one
 * event a line) and storing the events of known contacts, each sg_event_id once. Job
 * parameters: {@code file}, {@code sha256}, {@code run} (see {@link FileJobRunner}).
 */
@Configuration(proxyBeanMethods = false)
public class EventImportJobConfiguration {

	public static final String JOB_NAME = "eventImportJob";

	public static final String STEP_NAME = "eventImportStep";

	static final List<String> COUNTERS = List.of(EventValidator.READ, EventWriter.IMPORTED, EventWriter.DUPLICATES,
			EventWriter.UNKNOWN_EMAIL, EventValidator.INVALID);

	@Bean
	Job eventImportJob(JobRepository jobRepository, Step eventImportStep) {
		return new JobBuilder(JOB_NAME, jobRepository).start(eventImportStep).build();
	}

	@Bean
	Step eventImportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JsonRecordReader eventReader, EventValidator eventValidator, EventWriter eventWriter,
			ImportTally eventImportTally, @Value("${segmat.import.chunk-size:5000}") int chunkSize) {
		return new StepBuilder(STEP_NAME, jobRepository).<SourceRecord, EventRow>chunk(chunkSize)
			.transactionManager(transactionManager)
			.reader(eventReader)
			.processor(eventValidator)
			.writer(eventWriter)
			.stream(eventImportTally)
			.listener(eventImportTally)
			.build();
	}

	@Bean
	@StepScope
	ImportTally eventImportTally() {
		return new ImportTally(COUNTERS, Set.of(EventValidator.INVALID));
	}

	@Bean
	@StepScope
	JsonRecordReader eventReader(@Value("#{jobParameters['" + FileJobRunner.FILE + "']}") String file) {
		return new JsonRecordReader(Path.of(file));
	}

	@Bean
	@StepScope
	EventValidator eventValidator(ImportTally eventImportTally) {
		return new EventValidator(eventImportTally);
	}

	@Bean
	@StepScope
	EventWriter eventWriter(JdbcClient jdbc, ChangeSequence changes, ImportTally eventImportTally,
			PlatformTransactionManager transactionManager) {
		return new EventWriter(jdbc, changes, eventImportTally, transactionManager);
	}

}
