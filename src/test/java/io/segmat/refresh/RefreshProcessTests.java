package io.segmat.refresh;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.segmat.cli.ExitCodes;
import io.segmat.testsupport.Await;
import io.segmat.testsupport.Cli;
import io.segmat.testsupport.TestData;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The refresh as operators run it: a separate JVM, killed or terminated mid-run, then run
 * again for the same slot.
 */
// Slow: starts a JVM per test and kills it mid-run; `make test-fast` leaves it out.
@Tag("slow")
class RefreshProcessTests {

	private static final String SLOT = "2026-06-01T00:00:00Z";

	private final TestDatabase database = TestDatabase.create();

	private final JdbcClient jdbc = JdbcClient.create(this.database.dataSource());

	private final Cli cli = new Cli(this.database);

	@TempDir
	Path temp;

	@BeforeEach
	void threeSegmentsOverSomeContacts() {
		TestData data = new TestData(this.jdbc);
		for (int i = 0; i < 60; i++) {
			data.contact("c" + i + "@example.com", "C" + i, List.of("UK", "US", "FR").get(i % 3));
		}
		for (String country : List.of("UK", "US", "FR")) {
			assertThat(this.cli
				.run("segments", "create", "--name", country.toLowerCase(Locale.ROOT), "--query-dsl",
						"SELECT contact_id, updated_at FROM contact_data WHERE country = '" + country + "'")
				.exitCode()).isZero();
		}
	}

	@Test
	void aKilledRunIsRecoveredAndTheSlotCompletesWithNothingLostOrDoubled() throws Exception {
		Process child;
		try (Connection blocker = blockMembershipWrites()) {
			child = startRefresh(1);
			// a first materialization, its table loaded and indexed, waiting to attach it
			awaitBlockedOnMembership();

			// when the process is killed mid-run
			child.destroyForcibly();
			assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
			blocker.rollback();
		}
		assertThat(status(firstExecution())).isEqualTo("STARTED");

		Cli.Result rerun = refreshUntilUnlocked();

		assertThat(rerun.exitCode()).as(rerun.err()).isEqualTo(ExitCodes.OK);
		assertThat(status(firstExecution())).isEqualTo("FAILED");
		assertThat(this.jdbc.sql("SELECT count(*) FROM batch_job_instance").query(Long.class).single()).isEqualTo(1);
		assertMembershipsAsHandWrittenSql();
		assertFeedsReplayToTheMemberships();
		assertThat(this.jdbc
			.sql("SELECT relname::text FROM pg_class WHERE relname LIKE 'segment\\_member\\_%' "
					+ "AND relkind = 'r' AND NOT relispartition")
			.query(String.class)
			.list()).as("no stray table of the killed load").isEmpty();
		assertThat(this.jdbc.sql("SELECT count(*) FROM pg_inherits WHERE inhparent = 'segment_member'::regclass")
			.query(Long.class)
			.single()).as("a partition per segment").isEqualTo(3);
		assertThat(this.jdbc.sql("SELECT count(*) FROM segment_evaluation WHERE status = 'COMPLETED'")
			.query(Long.class)
			.single()).as("each segment evaluated once").isEqualTo(3);
	}

	@Test
	void sigtermStopsAtTheNextSegmentAndLeavesTheSlotRestartable() throws Exception {
		Process child;
		try (Connection blocker = blockMembershipWrites()) {
			child = startRefresh(1);
			awaitBlockedOnMembership();

			// when the process is asked to terminate while a segment is being evaluated
			child.destroy();
			awaitStopRequested(firstExecution());
			blocker.rollback();
		}
		assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

		assertThat(child.exitValue()).isNotZero();
		assertThat(status(firstExecution())).isEqualTo("STOPPED");
		long evaluatedBeforeStop = this.jdbc.sql("SELECT count(*) FROM segment_evaluation").query(Long.class).single();
		assertThat(evaluatedBeforeStop).isEqualTo(1);

		Cli.Result rerun = refreshUntilUnlocked();

		assertThat(rerun.exitCode()).as(rerun.err()).isEqualTo(ExitCodes.OK);
		assertMembershipsAsHandWrittenSql();
		assertThat(this.jdbc.sql("SELECT count(*) FROM segment_evaluation").query(Long.class).single()).isEqualTo(3);
	}

	private Connection blockMembershipWrites() throws Exception {
		Connection blocker = this.database.dataSource().getConnection();
		blocker.setAutoCommit(false);
		try (Statement statement = blocker.createStatement()) {
			statement.execute("LOCK TABLE segment_member IN EXCLUSIVE MODE");
		}
		return blocker;
	}

	private Process startRefresh(int threads) throws Exception {
		return this.cli.start(this.temp.resolve("child.log"), "refresh", "--slot", SLOT, "--as-of", SLOT, "--threads",
				String.valueOf(threads));
	}

	private void awaitBlockedOnMembership() throws Exception {
		await(() -> this.jdbc.sql("""
				SELECT count(*) > 0 FROM pg_locks
				WHERE NOT granted AND relation = 'segment_member'::regclass
				""").query(Boolean.class).single(), "the child to block on segment_member");
	}

	private void awaitStopRequested(long execution) throws Exception {
		await(() -> List.of("STOPPING", "STOPPED").contains(status(execution)), "execution " + execution + " to stop");
	}

	private void await(Callable<Boolean> condition, String what) throws Exception {
		Await.until(what, Duration.ofSeconds(90), condition,
				() -> "executions: "
						+ this.jdbc.sql("SELECT job_execution_id || ' ' || status FROM batch_job_execution")
							.query(String.class)
							.list()
						+ "; child log:\n" + Cli.log(this.temp.resolve("child.log")));
	}

	/** The dead process's session may hold the run lock for a moment after it died. */
	private Cli.Result refreshUntilUnlocked() throws Exception {
		return this.cli.runUntilUnlocked("refresh", "--slot", SLOT, "--as-of", SLOT);
	}

	private long firstExecution() {
		return this.jdbc.sql("SELECT min(job_execution_id) FROM batch_job_execution").query(Long.class).single();
	}

	private String status(long execution) {
		return this.jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = ?")
			.param(execution)
			.query(String.class)
			.single();
	}

	/** The killed run's feed rolled back with its memberships: no change twice. */
	private void assertFeedsReplayToTheMemberships() {
		for (String name : List.of("uk", "us", "fr")) {
			String id = this.jdbc.sql("SELECT id::text FROM segment WHERE name = ?")
				.param(name)
				.query(String.class)
				.single();
			Cli.Result changes = this.cli.run("segments", "changes", id, "--format", "csv");
			assertThat(changes.exitCode()).as(changes.err()).isZero();
			List<String> entered = changes.out()
				.lines()
				.skip(1)
				.map((line) -> line.split(",", -1))
				.peek((cells) -> assertThat(cells[2]).isEqualTo("entered"))
				.map((cells) -> cells[1])
				.sorted()
				.toList();
			List<String> members = this.jdbc.sql("""
					SELECT c.email FROM segment s JOIN segment_member m ON m.segment_key = s.segment_key
					JOIN contact c ON c.contact_key = m.contact_key WHERE s.name = ? ORDER BY c.email
					""").param(name).query(String.class).list();
			assertThat(entered).as(name).isEqualTo(members);
			assertThat(changes.err()).contains("next_cursor: ");
		}
	}

	private void assertMembershipsAsHandWrittenSql() {
		for (String country : List.of("UK", "US", "FR")) {
			List<String> members = this.jdbc.sql("""
					SELECT c.email FROM segment s JOIN segment_member m ON m.segment_key = s.segment_key
					JOIN contact c ON c.contact_key = m.contact_key WHERE s.name = ? ORDER BY c.email
					""").param(country.toLowerCase(Locale.ROOT)).query(String.class).list();
			List<String> expected = this.jdbc.sql("SELECT email FROM contact WHERE country = ? ORDER BY email")
				.param(country)
				.query(String.class)
				.list();
			assertThat(members).as(country).hasSize(20).isEqualTo(expected);
			assertThat(this.jdbc.sql("SELECT contacts_count FROM segment WHERE name = ?")
				.param(country.toLowerCase(Locale.ROOT))
				.query(Long.class)
				.single()).isEqualTo(20);
		}
	}

}
