package io.segmat.contacts;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.segmat.db.ChangeSequence;
import io.segmat.ingest.ImportTally;
import io.segmat.ingest.RefusalSplitter;
import io.segmat.ingest.RowError;
import org.junit.jupiter.api.Test;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contact imports that fail, restart, resume or run concurrently: a failed or killed
 * import converges on a rerun, a resumed one reports a refused row once, and a chunk
 * waits for a concurrent import's chunk with the same email.
 */
class ContactImportRestartTests extends ContactImportTestSupport {

	@Autowired
	JdbcTemplate jdbcTemplate;

	@Autowired
	ChangeSequence changes;

	@Autowired
	Clock clock;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Test
	void aChunkWaitsForAConcurrentImportsChunkAndThenUpdatesTheContactsItInserted() throws Exception {
		// given one import's chunk that has inserted a@x.io and not committed yet
		TransactionTemplate tx = new TransactionTemplate(this.transactionManager);
		CountDownLatch written = new CountDownLatch(1);
		CountDownLatch commit = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			Future<?> first = pool.submit(() -> tx.executeWithoutResult((status) -> {
				write(contactRow(1, "a@x.io", "first_name", "Ann"));
				written.countDown();
				await(commit);
			}));
			assertThat(written.await(1, TimeUnit.MINUTES)).isTrue();

			// when another import writes a chunk with the same email
			Future<?> second = pool
				.submit(() -> tx.executeWithoutResult((status) -> write(contactRow(1, "a@x.io", "city", "Oslo"))));
			waitForALockWait("advisory");
			commit.countDown();
			first.get();
			second.get();
		}
		finally {
			pool.shutdownNow();
		}

		// then it waited for the first to commit, found the contact, and updated it
		assertThat(emails()).containsExactly("a@x.io");
		assertThat(row("a@x.io")).containsEntry("first_name", "Ann").containsEntry("city", "Oslo");
	}

	@Test
	void aFailureMidFileFollowedByARerunConvergesToACleanImport() throws IOException {
		// given a writer failure, once, in the third chunk (rows 7-9)
		failOnceOn("g@x.io");
		StringBuilder lines = new StringBuilder();
		for (char c = 'a'; c <= 'k'; c++) {
			lines.append(
					"{\"email\":\"%s@x.io\",\"first_name\":\"%s\",\"list_ids\":[\"%s\"]}\n".formatted(c, c, this.vip));
		}
		Path file = write("contacts.ndjson", lines.toString());
		ImportReport failed = this.importer.importFile(file, null);
		assertThat(failed.status()).isEqualTo("FAILED");
		assertThat(failed.failure()).contains("injected failure");
		assertThat(emails()).containsExactly("a@x.io", "b@x.io", "c@x.io", "d@x.io", "e@x.io", "f@x.io");

		// when
		ImportReport rerun = this.importer.importFile(file, null);

		// then the same instance was restarted from its last commit and the state is
		// complete
		assertThat(rerun.status()).isEqualTo("COMPLETED");
		assertThat(rerun).extracting(ImportReport::read, ImportReport::imported, ImportReport::created)
			.containsExactly(11L, 11L, 11L);
		assertThat(emails()).hasSize(11);
		assertThat(this.jdbc.sql("SELECT count(*) FROM list_member").query(Long.class).single()).isEqualTo(11);
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact WHERE first_name || '@x.io' = email")
			.query(Long.class)
			.single()).isEqualTo(11);
		// the restart read only the rows after the last committed chunk
		assertThat(stepReadCounts()).hasSize(2).last().isEqualTo(5L);
	}

	@Test
	void anExecutionLeftStartedByAKilledProcessIsRecoveredAndRestarted() throws IOException {
		// given an import that failed mid-file, then made to look like its process was
		// killed
		failOnceOn("d@x.io");
		Path file = write("contacts.csv", "email,first_name\na@x.io,A\nb@x.io,B\nc@x.io,C\nd@x.io,D\ne@x.io,E\n");
		ImportReport crashed = this.importer.importFile(file, null);
		this.jdbc.sql(
				"UPDATE batch_job_execution SET status = 'STARTED', exit_code = 'UNKNOWN', end_time = NULL WHERE job_execution_id = ?")
			.param(crashed.jobExecutionId())
			.update();
		this.jdbc.sql(
				"UPDATE batch_step_execution SET status = 'STARTED', exit_code = 'EXECUTING', end_time = NULL WHERE job_execution_id = ?")
			.param(crashed.jobExecutionId())
			.update();

		// when
		ImportReport rerun = this.importer.importFile(file, null);

		// then
		assertThat(rerun.status()).isEqualTo("COMPLETED");
		assertThat(rerun.read()).isEqualTo(5);
		assertThat(emails()).containsExactly("a@x.io", "b@x.io", "c@x.io", "d@x.io", "e@x.io");
		assertThat(this.jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = ?")
			.param(crashed.jobExecutionId())
			.query(String.class)
			.single()).isEqualTo("FAILED");
	}

	@Test
	void aRefusedRowIsReportedOnceWhenAFailedImportIsResumed() throws IOException {
		// given a row the database refuses in the first chunk and a failure, once, in
		// the third
		this.jdbc.sql("ALTER TABLE contact ADD CONSTRAINT no_mallory CHECK (first_name IS DISTINCT FROM 'Mallory')")
			.update();
		failOnceOn("h@x.io");
		try {
			StringBuilder lines = new StringBuilder();
			for (char c = 'a'; c <= 'i'; c++) {
				lines
					.append("{\"email\":\"%s@x.io\",\"first_name\":\"%s\"}\n".formatted(c, (c == 'b') ? "Mallory" : c));
			}
			Path file = write("contacts.ndjson", lines.toString());
			ImportReport failed = this.importer.importFile(file, null);
			assertThat(failed.status()).isEqualTo("FAILED");

			// when
			ImportReport resumed = this.importer.importFile(file, null);

			// then
			assertThat(resumed.status()).isEqualTo("COMPLETED");
			assertThat(resumed.exitStatus()).isEqualTo(ImportTally.COMPLETED_WITH_ERRORS);
			assertThat(resumed).extracting(ImportReport::read, ImportReport::imported, ImportReport::skipped)
				.containsExactly(9L, 8L, 1L);
			assertThat(resumed.errors()).containsExactly(new RowError(2, RefusalSplitter.REFUSED));
			assertThat(emails()).hasSize(8).doesNotContain("b@x.io");
		}
		finally {
			this.jdbc.sql("ALTER TABLE contact DROP CONSTRAINT IF EXISTS no_mallory").update();
		}
	}

	private void failOnceOn(String email) {
		this.jdbc.sql("CREATE SEQUENCE IF NOT EXISTS fail_once_seq").update();
		this.jdbc.sql("SELECT setval('fail_once_seq', 1, false)").query().singleRow();
		this.jdbc.sql("""
				CREATE OR REPLACE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN
				    IF NEW.email = TG_ARGV[0] AND nextval('fail_once_seq') = 1 THEN
				        RAISE EXCEPTION 'injected failure';
				    END IF;
				    RETURN NEW;
				END $$
				""").update();
		this.jdbc
			.sql("CREATE TRIGGER fail_once BEFORE INSERT ON contact FOR EACH ROW EXECUTE FUNCTION fail_once('" + email
					+ "')")
			.update();
	}

	private void write(ContactRow row) {
		try {
			new ContactWriter(this.jdbc, this.jdbcTemplate, this.changes, this.clock,
					new ImportTally(ContactImportJobConfiguration.COUNTERS), this.transactionManager)
				.write(new Chunk<>(List.of(row)));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static ContactRow contactRow(long line, String email, String column, String value) {
		ContactRow row = new ContactRow(line, email);
		row.text(ContactLimits.TEXT_COLUMNS.indexOf(column), value);
		return row;
	}

	private static void await(CountDownLatch latch) {
		try {
			assertThat(latch.await(1, TimeUnit.MINUTES)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private List<Long> stepReadCounts() {
		return this.jdbc.sql("""
				SELECT s.read_count FROM batch_step_execution s
				JOIN batch_job_execution e USING (job_execution_id)
				JOIN batch_job_instance i USING (job_instance_id)
				WHERE i.job_name = 'contactImportJob' ORDER BY s.step_execution_id
				""").query(Long.class).list();
	}

}
