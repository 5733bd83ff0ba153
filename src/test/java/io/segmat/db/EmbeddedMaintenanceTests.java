package io.segmat.db;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The embedded server lives only as long as a command, too short for autovacuum's first
 * visit: the command vacuums and analyzes what autovacuum would have, before it stops the
 * server.
 */
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
			Database external = open(new DatabaseSettings(embedded.url(), embedded.user(), null, null));

			// when a command using it is done
			external.maintain();
			external.close();

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
		String sql = "SELECT count(*) FROM pg_stat_user_tables WHERE relname = '" + table + "' AND n_live_tup = " + live
				+ " AND n_dead_tup = " + dead;
		for (int attempt = 0; attempt < 100 && number(database, sql) == 0; attempt++) {
			Thread.sleep(100);
		}
		assertThat(number(database, sql))
			.as("counters of %s: %d live, %d dead", table,
					number(database, "SELECT n_live_tup FROM pg_stat_user_tables WHERE relname = '" + table + "'"),
					number(database, "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = '" + table + "'"))
			.isOne();
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
