package io.segmat.contacts;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.segmat.db.AdvisoryLock;
import io.segmat.db.ChangeSequence;
import io.segmat.db.DatabaseBusyException;
import io.segmat.ingest.ImportTally;
import io.segmat.ingest.RowError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The import beside other writers, now that list_member has no foreign keys: imports of
 * overlapping files at once, and lists or contacts deleted while an import adds
 * memberships to them. No membership is ever left without its list or its contact. And
 * the same file imported while it is being imported.
 */
class ContactImportConcurrencyTests extends ContactImportTestSupport {

	@Autowired
	JdbcTemplate jdbcTemplate;

	@Autowired
	ChangeSequence changes;

	@Autowired
	Clock clock;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	ContactDeletion deletion;

	ExecutorService pool;

	@BeforeEach
	void threads() {
		this.pool = Executors.newFixedThreadPool(2);
	}

	@AfterEach
	void stopThreads() {
		this.pool.shutdownNow();
	}

	@Test
	void twoImportsOfOverlappingFilesAtOnceCreateEachContactOnceWithBothListsAndTheirOwnErrors() throws Exception {
		// given two files over contacts 0-59 and 30-89, each with a bad row, into
		// different lists
		UUID other = this.lists.create("other").id();
		Path first = write("first.ndjson", contacts(0, 60, "First", this.vip, 12));
		Path second = write("second.ndjson", contacts(30, 90, "Second", other, 40));

		// when both run at once, their chunks of 3 rows taking turns: both are started
		// (one after the other, as Batch's repository creates executions serializably)
		// and wait for the first chunk's turn, then go
		ExecutorService imports = Executors.newFixedThreadPool(2);
		ImportReport a;
		ImportReport b;
		try {
			HeldTurn turn = holdTheImportsTurn();
			Future<ImportReport> one = imports.submit(() -> this.importer.importFile(first, null));
			waitForAdvisoryLockWaits(1);
			Future<ImportReport> two = imports.submit(() -> this.importer.importFile(second, null));
			waitForAdvisoryLockWaits(2);
			turn.release();
			a = one.get(5, TimeUnit.MINUTES);
			b = two.get(5, TimeUnit.MINUTES);
		}
		finally {
			imports.shutdownNow();
		}

		// then every contact exists once, created by one of them, and holds the lists
		// of every row given for it
		assertThat(List.of(a.status(), b.status())).containsOnly("COMPLETED");
		assertThat(a).extracting(ImportReport::read, ImportReport::imported, ImportReport::skipped)
			.containsExactly(61L, 60L, 1L);
		assertThat(b).extracting(ImportReport::read, ImportReport::imported, ImportReport::skipped)
			.containsExactly(61L, 60L, 1L);
		assertThat(a.errors()).extracting(RowError::line).containsExactly(13L);
		assertThat(b.errors()).extracting(RowError::line).containsExactly(11L);
		assertThat(a.created() + b.created()).isEqualTo(90);
		assertThat(emails()).hasSize(90).doesNotHaveDuplicates();
		assertThat(members(this.vip)).isEqualTo(IntStream.range(0, 60).mapToObj(this::email).sorted().toList());
		assertThat(members(other)).isEqualTo(IntStream.range(30, 90).mapToObj(this::email).sorted().toList());
		assertThat(this.jdbc.sql("SELECT DISTINCT first_name FROM contact WHERE email = ANY(?)")
			.param(IntStream.range(30, 60).mapToObj(this::email).toArray(String[]::new))
			.query(String.class)
			.list()).isSubsetOf("First", "Second");
	}

	@Test
	void theSameFileImportedWhileItIsBeingImportedIsRefusedAndTheLiveRunCompletes() throws Exception {
		// given an import whose run has started and waits for its first chunk's turn
		Path file = write("contacts.ndjson", contacts(0, 10, "First", this.vip, -1));
		HeldTurn turn = holdTheImportsTurn();
		Future<ImportReport> live = this.pool.submit(() -> this.importer.importFile(file, null));
		waitForAdvisoryLockWaits(1);

		// when the same file is imported again meanwhile (a thread of its own: taking
		// the live run over, it would wait for the turn too)
		ExecutorService again = Executors.newSingleThreadExecutor();
		Throwable second;
		try {
			Future<ImportReport> importing = again.submit(() -> this.importer.importFile(file, null));
			second = catchThrowable(() -> importing.get(20, TimeUnit.SECONDS));
		}
		finally {
			again.shutdownNow();
		}
		turn.release();
		ImportReport first = live.get(1, TimeUnit.MINUTES);

		// then the second is refused as busy (exit 75), without touching the live run,
		// which completes as the file's only run
		assertThat(second).isInstanceOf(ExecutionException.class)
			.cause()
			.isInstanceOf(DatabaseBusyException.class)
			.hasMessageContaining(file.toString())
			.hasMessageContaining("is being imported by another process");
		assertThat(first.status()).isEqualTo("COMPLETED");
		assertThat(first.created()).isEqualTo(10);
		assertThat(this.jdbc.sql("""
				SELECT e.status FROM batch_job_execution e JOIN batch_job_instance i USING (job_instance_id)
				WHERE i.job_name = 'contactImportJob'
				""").query(String.class).list()).containsExactly("COMPLETED");
		assertThat(emails()).hasSize(10);
	}

	@Test
	void aListDeletedAfterAnImportStartedCostsOnlyTheRowsNamingItWithTheirLines() throws Exception {
		// given an import that has read its lists and waits for its first chunk's turn
		UUID doomed = this.lists.create("doomed").id();
		Path file = write("contacts.ndjson", """
				{"email":"a@x.io","list_ids":["%s"]}
				{"email":"b@x.io","list_ids":["%s"]}
				{"email":"c@x.io","list_ids":["%s","%s"]}
				{"email":"d@x.io"}
				""".formatted(this.vip, doomed, this.vip, doomed));
		HeldTurn turn = holdTheImportsTurn();
		Future<ImportReport> importing = this.pool.submit(() -> this.importer.importFile(file, null));
		waitForALockWait("advisory");

		// when the list is deleted meanwhile
		this.lists.delete(doomed);
		turn.release();
		ImportReport report = importing.get(1, TimeUnit.MINUTES);

		// then its rows are reported with their lines, and the others land
		assertThat(report.exitStatus()).isEqualTo(ImportTally.COMPLETED_WITH_ERRORS);
		assertThat(report).extracting(ImportReport::read, ImportReport::imported, ImportReport::skipped)
			.containsExactly(4L, 2L, 2L);
		assertThat(report.errors()).extracting(RowError::line, RowError::field)
			.containsExactly(tuple(2L, "list_ids"), tuple(3L, "list_ids"));
		assertThat(report.errors().get(0).reason()).contains(doomed.toString()).contains("deleted");
		assertThat(emails()).containsExactly("a@x.io", "d@x.io");
		assertThat(members(this.vip)).containsExactly("a@x.io");
		assertThat(membershipsOf(doomed)).isZero();
	}

	@Test
	void aListDeletedWhileAChunkAddsMembersToItWaitsAndThenRemovesThemToo() throws Exception {
		// given a chunk that added an existing and a new contact to a list, not committed
		UUID list = this.lists.create("busy").id();
		this.importer.importFile(write("a.csv", "email\na@x.io\n"), null);
		ContactRow existing = new ContactRow(1, "a@x.io");
		existing.listId(list.toString());
		ContactRow created = new ContactRow(2, "b@x.io");
		created.listId(list.toString());
		CountDownLatch written = new CountDownLatch(1);
		CountDownLatch commit = new CountDownLatch(1);
		Future<?> chunk = this.pool
			.submit(() -> new TransactionTemplate(this.transactionManager).executeWithoutResult((status) -> {
				write(existing, created);
				written.countDown();
				await(commit);
			}));
		await(written);

		// when the list is deleted
		Future<?> deleting = this.pool.submit(() -> this.lists.delete(list));
		waitForALockWait("transactionid", "tuple");
		commit.countDown();
		chunk.get(1, TimeUnit.MINUTES);
		deleting.get(1, TimeUnit.MINUTES);

		// then it waited for the chunk and took the chunk's memberships with it
		assertThat(emails()).containsExactly("a@x.io", "b@x.io");
		assertThat(this.lists.exists(list)).isFalse();
		assertThat(membershipsOf(list)).isZero();
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact WHERE import_hash IS NULL").query(Long.class).single())
			.isEqualTo(2);
	}

	@Test
	void aContactDeletedWhileAChunkAddsItToAListWaitsAndThenRemovesTheMembershipToo() throws Exception {
		// given a chunk that added an existing contact to the list, not committed
		this.importer.importFile(write("a.csv", "email\na@x.io\nb@x.io\n"), null);
		ContactRow existing = new ContactRow(1, "a@x.io");
		existing.listId(this.vip.toString());
		CountDownLatch written = new CountDownLatch(1);
		CountDownLatch commit = new CountDownLatch(1);
		Future<?> chunk = this.pool
			.submit(() -> new TransactionTemplate(this.transactionManager).executeWithoutResult((status) -> {
				write(existing);
				written.countDown();
				await(commit);
			}));
		await(written);

		// when the contact is deleted
		Future<Integer> deleting = this.pool.submit(() -> this.deletion.deleteByEmails(List.of("a@x.io")));
		waitForALockWait("transactionid", "tuple");
		commit.countDown();
		chunk.get(1, TimeUnit.MINUTES);

		// then the deletion waited for the chunk and took the new membership with it
		assertThat(deleting.get(1, TimeUnit.MINUTES)).isEqualTo(1);
		assertThat(emails()).containsExactly("b@x.io");
		assertThat(membershipsOf(this.vip)).isZero();
	}

	@Test
	void aChunkAddingAContactToAListThatAnotherTransactionIsDeletingWaitsAndAddsNothing() throws Exception {
		// given a contact being deleted, not committed yet
		this.importer.importFile(write("a.csv", "email\na@x.io\n"), null);
		CountDownLatch deleted = new CountDownLatch(1);
		CountDownLatch commit = new CountDownLatch(1);
		Future<?> deleting = this.pool
			.submit(() -> new TransactionTemplate(this.transactionManager).executeWithoutResult((status) -> {
				this.jdbc.sql("DELETE FROM contact WHERE email = 'a@x.io'").update();
				deleted.countDown();
				await(commit);
			}));
		await(deleted);

		// when a chunk, which still saw the contact, adds it to a list
		ContactRow row = new ContactRow(1, "a@x.io");
		row.listId(this.vip.toString());
		Future<?> chunk = this.pool.submit(
				() -> new TransactionTemplate(this.transactionManager).executeWithoutResult((status) -> write(row)));
		waitForALockWait("transactionid", "tuple");
		commit.countDown();
		deleting.get(1, TimeUnit.MINUTES);
		chunk.get(1, TimeUnit.MINUTES);

		// then it waited for the deletion, found the contact gone and added nothing
		assertThat(emails()).isEmpty();
		assertThat(membershipsOf(this.vip)).isZero();
	}

	/**
	 * Takes the imports' turn (their chunks' advisory lock) on a thread of the pool and
	 * holds it until {@link HeldTurn#release}: an import started meanwhile waits for it
	 * in its first chunk.
	 */
	private HeldTurn holdTheImportsTurn() {
		CountDownLatch held = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Future<?> turn = this.pool
			.submit(() -> new TransactionTemplate(this.transactionManager).executeWithoutResult((status) -> {
				AdvisoryLock.CONTACT_IMPORT.lockForTransaction(this.jdbc);
				held.countDown();
				await(release);
			}));
		await(held);
		return new HeldTurn(release, turn);
	}

	private record HeldTurn(CountDownLatch latch, Future<?> holder) {

		void release() throws Exception {
			this.latch.countDown();
			this.holder.get(1, TimeUnit.MINUTES);
		}

	}

	private void waitForAdvisoryLockWaits(int sessions) throws InterruptedException {
		for (int i = 0; i < 6000; i++) {
			if (this.jdbc.sql("""
					SELECT count(*) FROM pg_stat_activity
					WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'
					""").query(Long.class).single() >= sessions) {
				return;
			}
			Thread.sleep(10);
		}
		throw new AssertionError(sessions + " sessions did not wait for an advisory lock");
	}

	private String contacts(int from, int to, String firstName, UUID list, int badAt) {
		StringBuilder lines = new StringBuilder();
		for (int i = from; i < to; i++) {
			if (i == badAt) {
				lines.append("{\"email\":\"not an email\"}\n");
			}
			lines.append("{\"email\":\"%s\",\"first_name\":\"%s\",\"list_ids\":[\"%s\"]}\n".formatted(email(i),
					firstName, list));
		}
		return lines.toString();
	}

	private String email(int i) {
		return "c" + i + "@x.io";
	}

	private List<String> members(UUID list) {
		return this.jdbc.sql(
				"SELECT c.email FROM list_member m JOIN contact c USING (contact_key) WHERE m.list_id = ? ORDER BY c.email")
			.param(list)
			.query(String.class)
			.list();
	}

	private long membershipsOf(UUID list) {
		return this.jdbc.sql("SELECT count(*) FROM list_member WHERE list_id = ?")
			.param(list)
			.query(Long.class)
			.single();
	}

	private void write(ContactRow... rows) {
		try {
			new ContactWriter(this.jdbc, this.jdbcTemplate, this.changes, this.clock,
					new ImportTally(ContactImportJobConfiguration.COUNTERS), this.transactionManager)
				.write(new Chunk<>(List.of(rows)));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
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

}
