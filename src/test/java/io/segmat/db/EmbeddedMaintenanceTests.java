package io.segmat.db;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.segmat.testsupport.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The embedded server lives only as long as a command, too short for autovacuum's first
 * visit: the command vacuums and analyzes what autovacuum would have, before it stops the
 * server.
 */
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedMaintenanceTests {

	@TempDir
	Path home;

	@Test
	void tablesAutovacuumWouldVisitAreVacuumedAndAnalyzedAndTheirStatisticsOutliveTheServer() throws Exception {
		DatabaseSettings settings = new DatabaseSettings(null, null, null, this.home);
		try (Database database = open(settings)) {
			// given a table of 5,000 rows, 1,000 of them deleted, that nothing ever
			// analyzed
			execute(database, "CREATE TABLE loaded (id int PRIMARY KEY)",
					"INSERT INTO loaded SELECT g FROM generate_series(1, 5000) g",
					"DELETE FROM loaded WHERE id <= 1000");
			awaitCounters(database, "loaded", 4000, 1000);

			// when the command is done
			database.maintain();

			// then it was vacuumed and analyzed by hand, not by autovacuum
			assertThat(visitsByHand(database, "loaded")).isEqualTo(11);
			assertThat(number(database, "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'loaded'"))
				.isZero();
		}
		try (Database again = open(settings)) {
			// and the next command's planner knows the table
			assertThat(number(again, "SELECT reltuples::bigint FROM pg_class WHERE relname = 'loaded'"))
				.isEqualTo(4000);
			assertThat(number(again, "SELECT count(*) FROM pg_stats WHERE tablename = 'loaded'")).isOne();
		}
	}

	@Test
	void aTableWithFewChangesSinceItsLastVacuumIsLeftAlone() throws Exception {
		try (Database database = open(new DatabaseSettings(null, null, null, this.home))) {
			// given a table vacuumed and analyzed, then 10 of its 5,000 rows updated
			execute(database, "CREATE TABLE kept (id int PRIMARY KEY, n int)",
					"INSERT INTO kept SELECT g, 0 FROM generate_series(1, 5000) g");
			awaitCounters(database, "kept", 5000, 0);
			execute(database, "VACUUM ANALYZE kept");
			execute(database, "UPDATE kept SET n = 1 WHERE id <= 10");
			awaitCounters(database, "kept", 5000, 10);

			// when
			database.maintain();

			// then neither threshold was crossed: autovacuum would have left it too
			assertThat(visitsByHand(database, "kept")).isEqualTo(11);
		}
	}

	@Test
	void anExternalDatabaseIsLeftToItsOwnAutovacuum() throws Exception {
		try (Database embedded = open(new DatabaseSettings(null, null, null, this.home))) {
			// given a server segmat did not start, with a table nothing analyzed
			execute(embedded, "CREATE TABLE theirs (id int)",
					"INSERT INTO theirs SELECT g FROM generate_series(1, 5000) g");
			awaitCounters(embedded, "theirs", 5000, 0);
			try (Database external = open(new DatabaseSettings(embedded.url(), embedded.user(), null, null))) {
				// when a command using it is done
				external.maintain();
			}

			// then the table was not touched
			assertThat(visitsByHand(embedded, "theirs")).isZero();
		}
	}

	@Test
	void aServerKilledUnderTheCommandIsLeftAloneAndTheCommandStillEnds() throws Exception {
		// given the embedded server, killed under the command
		Database database = open(new DatabaseSettings(null, null, null, this.home));
		long postmaster = LeftoverServer.find(this.home.resolve("pgdata")).orElseThrow().pid();
		assertThat(Signals.send("KILL", postmaster)).isTrue();

		// when the command is done, then neither the maintenance nor the stop throws
		database.maintain();
		database.close();
		assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive)).isEmpty();
	}

	@Test
	void aSessionTheServerEndsMidwayIsAWarningAndTheNextCommandTriesAgain(CapturedOutput output) throws Exception {
		try (Database database = open(new DatabaseSettings(null, null, null, this.home))) {
			// given a table due, and another client's session, which the maintenance
			// waits for, that ends the maintenance's own session as soon as it sees it
			execute(database, "CREATE TABLE pending (id int)",
					"INSERT INTO pending SELECT g FROM generate_series(1, 5000) g");
			awaitCounters(database, "pending", 5000, 0);
			try (Connection other = DriverManager.getConnection(database.url(), database.user(), null)) {
				CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> endMaintenanceSession(other));

				// when the command is done
				database.maintain();
				ended.get(10, TimeUnit.SECONDS);
			}

			// then it said so, without throwing, and left the table as it was
			assertThat(output).contains("Could not find the tables due for maintenance");
			assertThat(visitsByHand(database, "pending")).isZero();

			// and the next command's maintenance does it
			database.maintain();
			assertThat(visitsByHand(database, "pending")).isEqualTo(11);
		}
	}

	@Test
	void aTableThatCannotBeAnalyzedIsAWarningAndTheTablesAfterItAreStillDone(CapturedOutput output) throws Exception {
		try (Database database = open(new DatabaseSettings(null, null, null, this.home))) {
			// given two tables due, the first by name with an index whose function
			// refuses once the database says so, as a broken extension's would: its
			// ANALYZE, which computes the index expression's statistics, fails
			execute(database, """
					CREATE FUNCTION refusing(n int) RETURNS int IMMUTABLE LANGUAGE plpgsql AS $$
					BEGIN
					    IF current_setting('segmat_test.refuse', true) = 'on' THEN
					        RAISE EXCEPTION 'refused';
					    END IF;
					    RETURN n;
					END $$""", "CREATE TABLE a_refusing (id int)", "CREATE INDEX ON a_refusing (refusing(id))",
					"INSERT INTO a_refusing SELECT g FROM generate_series(1, 5000) g", "CREATE TABLE b_sound (id int)",
					"INSERT INTO b_sound SELECT g FROM generate_series(1, 5000) g",
					"ALTER DATABASE postgres SET segmat_test.refuse = 'on'");
			awaitCounters(database, "a_refusing", 5000, 0);
			awaitCounters(database, "b_sound", 5000, 0);

			// when the command is done
			database.maintain();

			// then the failure was said, without throwing, and the next table still done
			assertThat(output)
				.contains("Not done before stopping the embedded server: VACUUM (SKIP_LOCKED, ANALYZE true) "
						+ "public.a_refusing; the next command tries again");
			assertThat(number(database, "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'a_refusing'"))
				.isZero();
			assertThat(visitsByHand(database, "b_sound")).isEqualTo(11);
		}
	}

	@Test
	void aServerThatDoesNotAnswerIsLeftAlone() throws Exception {
		// given a port no server listens on
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}

		// when the maintenance cannot connect, then it returns without throwing
		assertThatNoException().isThrownBy(
				() -> EmbeddedMaintenance.run("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", null));
	}

	/**
	 * The table's manual vacuums and analyses, as one number: the analyses in the tens,
	 * the vacuums in the units (autovacuum's own are counted apart).
	 */
	private static long visitsByHand(Database database, String table) throws SQLException {
		return number(database,
				"SELECT vacuum_count + 10 * analyze_count FROM pg_stat_user_tables WHERE relname = '" + table + "'");
	}

	/** Terminates the maintenance's session once it shows, from {@code other}. */
	private static void endMaintenanceSession(Connection other) {
		try (Statement statement = other.createStatement()) {
			Await.until("the maintenance's session", Duration.ofSeconds(10), () -> {
				try (ResultSet rows = statement.executeQuery("""
						SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
						WHERE application_name = 'segmat maintenance'""")) {
					rows.next();
					return rows.getLong(1) > 0;
				}
			});
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Database open(DatabaseSettings settings) {
		return Database.open(settings, Duration.ZERO, (notice) -> {
		});
	}

	private static void execute(Database database, String... statements) throws SQLException {
		try (Connection connection = DriverManager.getConnection(database.url(), database.user(), null);
				Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
	}

	/**
	 * Waits for the server's activity counters to show what the closed session did: a
	 * session reports them when it ends, a moment after the client has gone.
	 */
	private static void awaitCounters(Database database, String table, long live, long dead) throws Exception {
		String counted = "FROM pg_stat_user_tables WHERE relname = '" + table + "'";
		Await.until("counters of " + table + ": " + live + " live, " + dead + " dead", Duration.ofSeconds(10),
				() -> number(database,
						"SELECT count(*) " + counted + " AND n_live_tup = " + live + " AND n_dead_tup = " + dead) == 1,
				() -> "seen " + number(database, "SELECT n_live_tup " + counted) + " live, "
						+ number(database, "SELECT n_dead_tup " + counted) + " dead");
	}

	private static long number(Database database, String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(database.url(), database.user(), null);
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getLong(1);
		}
	}

}
