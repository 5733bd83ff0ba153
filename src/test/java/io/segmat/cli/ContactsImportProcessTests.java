package io.segmat.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.segmat.db.AdvisoryLock;
import io.segmat.testsupport.Await;
import io.segmat.testsupport.Cli;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code segmat contacts import} as cron runs it, a process of its own: the file it
 * imports is its own while it lives, and its run is completed by the next import once it
 * is killed.
 */
@Tag("slow")
class ContactsImportProcessTests {

	private final TestDatabase database = TestDatabase.create();

	private final JdbcClient jdbc = JdbcClient.create(this.database.dataSource());

	private final Cli cli = new Cli(this.database);

	@TempDir
	Path temp;

	@Test
	void aFileBeingImportedByAProcessIsRefusedUntilTheProcessIsKilledThenItsRunIsCompleted() throws Exception {
		// given a process importing a file, its run started, waiting for its first
		// chunk's turn
		Path file = Files.writeString(this.temp.resolve("contacts.ndjson"),
				IntStream.range(0, 20)
					.mapToObj((i) -> "{\"email\":\"c" + i + "@x.io\"}\n")
					.collect(Collectors.joining()));
		Process child;
		Cli.Result meanwhile;
		try (Connection turn = holdTheImportsTurn()) {
			child = this.cli.start(this.temp.resolve("child.log"), "contacts", "import", file.toString());
			await(() -> this.jdbc.sql("SELECT count(*) > 0 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
				.query(Boolean.class)
				.single(), "the child to wait for its chunk's turn");

			// when the same file is imported meanwhile (a thread of its own: taking the
			// live run over, it would wait for the turn too), then the process is killed
			meanwhile = importAlongside(file);
			child.destroyForcibly();
			assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
			turn.rollback();
		}
		Cli.Result after = this.cli.runUntilUnlocked("contacts", "import", file.toString());

		// then the import beside the live process is refused, try later; the one after
		// its death recovers its run and completes it, every contact created once
		assertThat(meanwhile.exitCode()).as(meanwhile.err()).isEqualTo(ExitCodes.LOCKED);
		assertThat(meanwhile.err()).contains(file + " is being imported by another process").doesNotContain("\tat ");
		assertThat(after.exitCode()).as(after.err()).isEqualTo(ExitCodes.OK);
		assertThat(this.jdbc.sql("SELECT status FROM batch_job_execution ORDER BY job_execution_id")
			.query(String.class)
			.list()).containsExactly("FAILED", "COMPLETED");
		assertThat(this.jdbc.sql("SELECT count(*) FROM batch_job_instance").query(Long.class).single()).isEqualTo(1);
		assertThat(this.jdbc.sql("SELECT count(DISTINCT email) FROM contact").query(Long.class).single()).isEqualTo(20);
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact").query(Long.class).single()).isEqualTo(20);
	}

	/**
	 * The imports' chunks take turns by this lock; held, an import waits in its first.
	 */
	private Connection holdTheImportsTurn() throws Exception {
		Connection turn = this.database.dataSource().getConnection();
		turn.setAutoCommit(false);
		AdvisoryLock.CONTACT_IMPORT.lockForTransaction(JdbcClient.create(new SingleConnectionDataSource(turn, true)));
		return turn;
	}

	private Cli.Result importAlongside(Path file) throws Exception {
		ExecutorService thread = Executors.newSingleThreadExecutor();
		try {
			Future<Cli.Result> result = thread.submit(() -> this.cli.run("contacts", "import", file.toString()));
			try {
				return result.get(30, TimeUnit.SECONDS);
			}
			catch (TimeoutException ex) {
				throw new AssertionError("the import beside the live process waited instead of being refused", ex);
			}
		}
		finally {
			thread.shutdownNow();
		}
	}

	private void await(Callable<Boolean> condition, String what) throws Exception {
		Await.until(what, Duration.ofSeconds(90), condition,
				() -> "child log:\n" + Cli.log(this.temp.resolve("child.log")));
	}

}
