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
import java.util.function.Function;

import io.segmat.db.ChangeSequence;
import io.segmat.fields.CustomFieldDefinitions;
import io.segmat.ingest.FileJobRunner;
import io.segmat.ingest.ImportTally;
import io.segmat.ingest.JsonRecordReader;
import io.segmat.ingest.ReadAheadReader;
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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The contacts import: one chunk-oriented step that reads a CSV or NDJSON file, validates
 * each row (bad rows are counted and reported, never fatal) and upserts the good ones a
 * chunk at a time. Job parameters: {@code file}, {@code sha256}, {@code run} and,
 * optionally, {@code list_id} (see {@link FileJobRunner}).
 */
@Configuration(proxyBeanMethods = false)
public class ContactImportJobConfiguration {

	public static final String JOB_NAME = "contactImportJob";

	public static final String STEP_NAME = "contactImportStep";

	public static final String LIST_ID = "list_id";

	/** Where the file came from: {@link #REQUEST} for an API upsert, else absent. */
	static final String SOURCE = "source";

	static final String REQUEST = "request";

	static final List<String> COUNTERS = List.of(ContactRowCounter.READ, ContactWriter.IMPORTED,
			ContactRowCounter.SKIPPED, ContactWriter.CREATED, ContactWriter.UPDATED, ContactWriter.UNCHANGED);

	@Bean
	Job contactImportJob(JobRepository jobRepository, Step contactImportStep) {
		return new JobBuilder(JOB_NAME, jobRepository).start(contactImportStep).build();
	}

	@Bean
	Step contactImportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ReadAheadReader<SourceRecord, CheckedRow> contactReader, ContactRowCounter contactRowCounter,
			ContactWriter contactWriter, ImportTally contactImportTally,
			@Value("${segmat.import.chunk-size:5000}") int chunkSize) {
		return new StepBuilder(STEP_NAME, jobRepository).<CheckedRow, ContactRow>chunk(chunkSize)
			.transactionManager(transactionManager)
			.reader(contactReader)
			.processor(contactRowCounter)
			.writer(contactWriter)
			.stream(contactImportTally)
			.listener(contactImportTally)
			.build();
	}

	@Bean
	@StepScope
	ImportTally contactImportTally() {
		return new ImportTally(COUNTERS, Set.of(ContactRowCounter.SKIPPED));
	}

	/**
	 * Parses, checks and encodes rows for COPY in a thread of its own, a chunk ahead of
	 * the step, so that this work overlaps with the database's. What it uses there is its
	 * own: the validator and the encoder are made here, not step-scoped beans (whose
	 * proxies find their target through the step's thread).
	 */
	@Bean
	@StepScope
	ReadAheadReader<SourceRecord, CheckedRow> contactReader(
			@Value("#{jobParameters['" + FileJobRunner.FILE + "']}") String file,
			@Value("#{jobParameters['" + LIST_ID + "']}") String listId, CustomFieldDefinitions fields, JdbcClient jdbc,
			@Value("${segmat.import.chunk-size:5000}") int chunkSize) {
		// Read once per step: lists or fields created during an import apply to the next
		// one.
		Set<UUID> lists = new HashSet<>(jdbc.sql("SELECT id FROM contact_list").query(UUID.class).list());
		ContactValidator validator = new ContactValidator(fields.list(), lists,
				(listId != null) ? UUID.fromString(listId) : null);
		ContactStage stage = new ContactStage();
		Function<SourceRecord, CheckedRow> prepare = (record) -> {
			CheckedRow checked = validator.check(record);
			if (checked.row() != null) {
				checked.row().staged(stage.line(checked.row()));
			}
			return checked;
		};
		Path path = Path.of(file);
		// Named as the source, so that an execution it started restarts at the same row.
		return isCsv(path)
				? new ReadAheadReader<>(CsvContactReader.NAME, new CsvContactReader(path), prepare, chunkSize)
				: new ReadAheadReader<>(JsonRecordReader.NAME, new JsonRecordReader(path), prepare, chunkSize);
	}

	@Bean
	@StepScope
	ContactRowCounter contactRowCounter(ImportTally contactImportTally) {
		return new ContactRowCounter(contactImportTally);
	}

	@Bean
	@StepScope
	ContactWriter contactWriter(JdbcClient jdbc, JdbcTemplate jdbcTemplate, ChangeSequence changes, Clock clock,
			ImportTally contactImportTally, PlatformTransactionManager transactionManager) {
		return new ContactWriter(jdbc, jdbcTemplate, changes, clock, contactImportTally, transactionManager);
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
