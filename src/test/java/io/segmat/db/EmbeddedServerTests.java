package io.segmat.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The embedded server as a command starts and stops it: in a session of its own, stopped
 * by a clean fast shutdown, a failed start naming its log, and the binaries extracted
 * once and found again without reading the archive.
 */
class EmbeddedServerTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	@TempDir
	Path home;

	@Test
	void theServerRunsInASessionOfItsOwnSoATerminalsCtrlCReachesOnlyTheCommand() throws Exception {
		try (EmbeddedServer server = EmbeddedServer.start(this.home.resolve("pgdata"), Map.of(), WAIT)) {
			long postmaster = LeftoverServer.find(this.home.resolve("pgdata")).orElseThrow().pid();

			assertThat(session(postmaster)).isNotEqualTo(session(ProcessHandle.current().pid())).isEqualTo(postmaster);
			try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
					Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery("SHOW max_connections")) {
				rows.next();
				assertThat(rows.getString(1)).as("the embedded library's default").isEqualTo("300");
			}
		}
	}

	@Test
	void closingIsAFastShutdownTheNextStartNeedsNoRecoveryFrom() throws Exception {
		Path data = this.home.resolve("pgdata");
		try (EmbeddedServer server = EmbeddedServer.start(data, Map.of(), WAIT);
				Connection open = DriverManager.getConnection(server.jdbcUrl())) {
			// an idle session does not hold a fast shutdown up
			open.setAutoCommit(false);
			try (Statement statement = open.createStatement()) {
				statement.execute("CREATE TABLE t (x int)");
			}
		}

		assertThat(LeftoverServer.find(data)).isEmpty();
		assertThat(log()).contains("received fast shutdown request", "database system is shut down");
		try (EmbeddedServer again = EmbeddedServer.start(data, Map.of(), WAIT)) {
			assertThat(log()).contains("database system was shut down at")
				.doesNotContain("not properly shut down", "redo starts");
		}
	}

	@Test
	void aServerLaunchedWhileTheCommandStartsIsWaitedForOnceAndStoppedEvenBeforeItIsReady() throws Exception {
		Path data = this.home.resolve("pgdata");
		try (EmbeddedServer server = EmbeddedServer.launch(data, Map.of(), WAIT)) {
			server.awaitReady();
			server.awaitReady();
			try (Connection connection = DriverManager.getConnection(server.jdbcUrl())) {
				assertThat(connection.isValid(5)).isTrue();
			}
		}

		EmbeddedServer starting = EmbeddedServer.launch(data, Map.of(), WAIT);
		starting.close();

		assertThat(LeftoverServer.find(data)).isEmpty();
		try (EmbeddedServer again = EmbeddedServer.start(data, Map.of(), WAIT);
				Connection connection = DriverManager.getConnection(again.jdbcUrl())) {
			assertThat(connection.isValid(5)).isTrue();
		}
	}

	@Test
	void aStopSignalTheServerDroppedIsSentAgainUntilItStops() throws Exception {
		// given a process that takes no notice of the first stop signal, as a postmaster
		// does that receives it before it installs its handlers while it inherited an
		// ignored SIGINT (USR1 stands in for it here: a background job ignores SIGINT,
		// so this test could not catch it)
		Path ready = this.home.resolve("ready");
		Process server = new ProcessBuilder("sh", "-c", "n=0; trap 'n=$((n+1)); [ $n -ge 2 ] && exit 0' USR1; "
				+ "touch '" + ready + "'; while :; do sleep 0.05; done")
			.start();
		while (!Files.exists(ready)) {
			assertThat(server.isAlive()).isTrue();
			Thread.sleep(10);
		}
		assertThat(Signals.send("USR1", server.pid())).isTrue();

		// when the stop waits for it
		EmbeddedServer.awaitExit(server, "USR1", Duration.ofSeconds(20), Duration.ofMillis(200));

		// then the signal went again and the process stopped
		assertThat(server.isAlive()).isFalse();
		assertThat(server.exitValue()).isZero();
	}

	@Test
	void aServerThatCannotStartIsReportedWithItsLogNotWaitedFor() throws Exception {
		Path data = this.home.resolve("pgdata");

		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> EmbeddedServer.start(data, Map.of("no_such_setting", "1"), WAIT))
			.withMessageContaining("exited during its start")
			.withMessageContaining(this.home.resolve("postgresql.log").toString());
		assertThat(log()).contains("no_such_setting");
		assertThat(LeftoverServer.find(data)).isEmpty();
	}

	@Test
	void theBinariesAreExtractedOnceAndATreeMissingAProgramIsExtractedAgain() throws Exception {
		Path working = this.home.resolve("binaries");

		Path first = PostgresBinaries.directory(working);
		FileTime extracted = Files.getLastModifiedTime(first.resolve("bin/postgres"));
		Path second = PostgresBinaries.directory(working);

		assertThat(second).isEqualTo(first);
		assertThat(first.getFileName().toString()).matches("segmat-postgres-[0-9a-f]{8}-[0-9]+");
		assertThat(Files.getLastModifiedTime(second.resolve("bin/postgres"))).isEqualTo(extracted);
		try (var entries = Files.list(working)) {
			assertThat(entries).containsExactly(first);
		}

		Files.delete(first.resolve("bin/initdb"));
		Path repaired = PostgresBinaries.directory(working);

		assertThat(repaired).isEqualTo(first);
		assertThat(repaired.resolve("bin/initdb")).isExecutable();
		try (var entries = Files.list(working)) {
			assertThat(entries).containsExactly(first);
		}
	}

	@Test
	void aTableLoadedAndIndexedInTheTransactionThatCreatesItWritesNoWal() throws Exception {
		DatabaseSettings settings = new DatabaseSettings(null, null, null, this.home);
		try (Database database = Database.open(settings, Duration.ZERO, (notice) -> {
		}); Connection connection = DriverManager.getConnection(database.url(), database.user(), null)) {
			// given the product's embedded server, a table loaded as a first
			// materialization loads a segment's partition
			connection.setAutoCommit(false);
			String start = text(connection, "SELECT pg_current_wal_insert_lsn()::text");
			execute(connection, "CREATE TABLE loaded AS SELECT 1 AS segment_key, g::bigint AS contact_key "
					+ "FROM generate_series(1, 100000) g ORDER BY g");
			execute(connection, "ALTER TABLE loaded ADD PRIMARY KEY (segment_key, contact_key)");

			// when the WAL it wrote is measured against what it holds
			long wal = Long.parseLong(text(connection,
					"SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '" + start + "'::pg_lsn)::bigint::text"));
			long size = Long.parseLong(text(connection, "SELECT pg_total_relation_size('loaded')::text"));
			connection.commit();

			// then it wrote a few catalog records, not its rows (the server with
			// wal_level=replica writes more WAL than the table's size), and the rows
			// are kept
			assertThat(size).isGreaterThan(4_000_000);
			assertThat(wal).isLessThan(size / 20);
			assertThat(show(connection, "wal_level")).isEqualTo("minimal");
			assertThat(text(connection, "SELECT count(*)::text FROM loaded")).isEqualTo("100000");
		}
	}

	private static void execute(Connection connection, String sql) throws Exception {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static String text(Connection connection, String sql) throws Exception {
		try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getString(1);
		}
	}

	private static String show(Connection connection, String setting) throws Exception {
		return text(connection, "SHOW " + setting);
	}

	private String log() throws IOException {
		return Files.readString(this.home.resolve("postgresql.log"), StandardCharsets.UTF_8);
	}

	/** The session id, field 6 of /proc/pid/stat. */
	private static long session(long pid) throws IOException {
		String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
		return Long.parseLong(fields[3]);
	}

}
