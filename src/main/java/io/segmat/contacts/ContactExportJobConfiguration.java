package io.segmat.contacts;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import io.segmat.fields.CustomFieldDefinitions;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcCursorItemReader;
import org.springframework.batch.infrastructure.item.database.builder.JdbcCursorItemReaderBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code contactExportJob}: one chunk-oriented step that reads the export's contacts
 * through a server-side cursor, one statement and so one snapshot however long the export
 * takes, and writes them to files split at the export's size limit
 * ({@link ExportFileWriter}). Its only parameter is the export's id; what to export is in
 * the export's row. An export is not restarted: a failed one is asked for again.
 */
@Configuration(proxyBeanMethods = false)
class ContactExportJobConfiguration {

	static final String JOB_NAME = "contactExportJob";

	static final String STEP_NAME = "contactExportStep";

	static final String EXPORT_ID = "exportId";

	private static final int CHUNK_SIZE = 1000;

	private static final String ALL_CONTACTS = "SELECT " + ExportedContact.SELECT_LIST
			+ " FROM contact c ORDER BY c.contact_key";

	// A contact on two of the lists, or on a list and in a segment, is exported once.
	// The segments come as their keys, bound: the planner then reads their partitions
	// of segment_member only, where a join with segment would scan them all.
	private static final String SELECTED_CONTACTS = "SELECT " + ExportedContact.SELECT_LIST + """
			 FROM contact c
			WHERE c.contact_key IN (
			    SELECT lm.contact_key FROM list_member lm WHERE lm.list_id = ANY (CAST(? AS uuid[]))
			    UNION
			    SELECT m.contact_key FROM segment_member m WHERE m.segment_key = ANY (CAST(? AS integer[])))
			ORDER BY c.contact_key
			""";

	@Bean
	Job contactExportJob(JobRepository jobRepository, Step contactExportStep) {
		return new JobBuilder(JOB_NAME, jobRepository).start(contactExportStep).preventRestart().build();
	}

	@Bean
	Step contactExportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcCursorItemReader<ExportedContact> contactExportReader, ExportFileWriter contactExportWriter) {
		return new StepBuilder(STEP_NAME, jobRepository).<ExportedContact, ExportedContact>chunk(CHUNK_SIZE)
			.transactionManager(transactionManager)
			.reader(contactExportReader)
			.writer(contactExportWriter)
			.build();
	}

	/**
	 * PostgreSQL streams a result a fetch at a time only inside a transaction, so the
	 * cursor's connection, its own, runs with autocommit off.
	 */
	@Bean
	@StepScope
	JdbcCursorItemReader<ExportedContact> contactExportReader(DataSource dataSource, JdbcClient jdbc,
			ContactExportStore store, @Value("#{jobParameters['" + EXPORT_ID + "']}") String exportId) {
		ContactExport export = store.find(UUID.fromString(exportId)).orElseThrow();
		boolean all = export.listIds().isEmpty() && export.segmentIds().isEmpty();
		JdbcCursorItemReaderBuilder<ExportedContact> reader = new JdbcCursorItemReaderBuilder<ExportedContact>()
			.name("contactExportReader")
			.dataSource(dataSource)
			.sql(all ? ALL_CONTACTS : SELECTED_CONTACTS)
			.rowMapper(ExportedContact::map)
			.fetchSize(CHUNK_SIZE)
			.connectionAutoCommit(false)
			.saveState(false);
		if (!all) {
			// a segment deleted since the export was asked for has no key, and no members
			Integer[] segmentKeys = jdbc.sql("SELECT segment_key FROM segment WHERE id = ANY (CAST(? AS uuid[]))")
				.param(export.segmentIds().stream().map(UUID::toString).toArray(String[]::new))
				.query(Integer.class)
				.list()
				.toArray(Integer[]::new);
			reader.preparedStatementSetter((statement) -> {
				statement.setObject(1, export.listIds().stream().map(UUID::toString).toArray(String[]::new));
				statement.setObject(2, segmentKeys);
			});
		}
		return reader.build();
	}

	/** The custom fields are read once: a field defined during an export is not in it. */
	@Bean
	@StepScope
	ExportFileWriter contactExportWriter(ContactExportStore store, CustomFieldDefinitions fields, Clock clock,
			@Value("${segmat.export.expiry:72h}") Duration expiry,
			@Value("#{jobParameters['" + EXPORT_ID + "']}") String exportId) {
		UUID id = UUID.fromString(exportId);
		return new ExportFileWriter(store, store.find(id).orElseThrow(), store.spec(id),
				new ContactShape(fields.list()), clock, expiry);
	}

}
