package io.segmat.contacts;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import io.segmat.db.ChangeSequence;
import io.segmat.fields.CustomFieldDefinitions;
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
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The contacts import: one chunk-oriented step that reads a CSV or NDJSON file, validates each
 * row (bad rows are counted and reported, never fatal) and upserts the good ones a chunk at a
 * time. Job parameters: {@code file}, {@code sha256}, {@code run} and, optionally, {@code list_id}
 * (see {@link FileJobRunner}).
 */
@Configuration(proxyBeanMethods = false)
public class ContactImportJobConfiguration {

	public static final String JOB_NAME = "contactImportJob";

	public static final String STEP_NAME = "contactImportStep";

	public static final String LIST_ID = "list_id";

	static final List<String> COUNTERS = List.of(ContactValidator.READ, ContactWriter.IMPORTED,
			ContactValidator.SKIPPED, ContactWriter.CREATED, ContactWriter.UPDATED, ContactWriter.UNCHANGED);

	@Bean
	Job contactImportJob(JobRepository jobRepository, Step contactImportStep) {
		return new JobBuilder(JOB_NAME, jobRepository).start(contactImportStep).build();
	}

	@Bean
	Step contactImportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			AbstractItemCountingItemStreamItemReader<SourceRecord> contactReader, ContactValidator contactValidator,
			ContactWriter contactWriter, ImportTally contactImportTally,
			@Value("${segmat.import.chunk-size:5000}") int chunkSize) {
		return new StepBuilder(STEP_NAME, jobRepository).<SourceRecord, ContactRow>chunk(chunkSize)
			.transactionManager(transactionManager)
			.reader(contactReader)
			.processor(contactValidator)
			.writer(contactWriter)
			.stream(contactImportTally)
			.build();
	}

	@Bean
	@StepScope
	ImportTally contactImportTally() {
		return new ImportTally(COUNTERS);
	}

	@Bean
	@StepScope
	AbstractItemCountingItemStreamItemReader<SourceRecord> contactReader(
			@Value("#{jobParameters['" + FileJobRunner.FILE + "']}") String file) {
		Path path = Path.of(file);
		return isCsv(path) ? new CsvContactReader(path) : new JsonRecordReader(path);
	}

	@Bean
	@StepScope
	ContactValidator contactValidator(CustomFieldDefinitions fields, JdbcClient jdbc, ImportTally contactImportTally,
			@Value("#{jobParameters['" + LIST_ID + "']}") String listId) {
		// Read once per step: lists or fields created during an import apply to the next one.
		Set<UUID> lists = new HashSet<>(jdbc.sql("SELECT id FROM contact_list").query(UUID.class).list());
		return new ContactValidator(fields.list(), lists, (listId != null) ? UUID.fromString(listId) : null,
				contactImportTally);
	}

	@Bean
	@StepScope
	ContactWriter contactWriter(JdbcClient jdbc, JdbcTemplate jdbcTemplate, ChangeSequence changes, Clock clock,
			ImportTally contactImportTally) {
		return new ContactWriter(jdbc, jdbcTemplate, changes, clock, contactImportTally);
	}

	/** By extension, else by content: JSON starts with '{' or '['. */
	static boolean isCsv(Path file) {
		String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
		if (name.endsWith(".csv")) {
			return true;
		}
		if (name.endsWith(".ndjson") || name.endsWith(".jsonl") || name.endsWith(".json")) {
			return false;
		}
		try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			int c = in.read();
			while (c == '\uFEFF' || (c != -1 && Character.isWhitespace(c))) {
				c = in.read();
			}
			return c != '{' && c != '[';
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + file, ex);
		}
	}

}
