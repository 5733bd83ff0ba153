package io.segmat.db;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.segmat.cli.ExitCodes;
import io.segmat.cli.SegmatCommand;
import io.segmat.testsupport.Await;
import io.segmat.testsupport.Cli;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The product's embedded server over a home, run by real segmat processes that are killed
 * with SIGKILL at several points; the next command must find the server the dead process
 * left running, stop it and go on.
 */
// Slow: embedded servers started and child JVMs killed; `make test-fast` leaves it out.
@Tag("slow")
class EmbeddedServerRecoveryTests {

	private static final Duration PATIENCE = Duration.ofSeconds(180);

	private static final String SLOT = "2026-06-01T00:00:00Z";

	@TempDir
	Path temp;

	private final List<Process> children = new ArrayList<>();

	private Path home() {
		return this.temp.resolve("home");
	}

	private Path dataDirectory() {
		return home().resolve("pgdata");
	}

	@AfterEach
	void stopEverythingStarted() throws Exception {
		for (Process child : this.children) {
			child.destroyForcibly();
			child.waitFor(30, TimeUnit.SECONDS);
		}
		Optional<LeftoverServer> left = LeftoverServer.find(dataDirectory());
		if (left.isPresent()) {
			stopPostmaster(left.get().pid());
		}
	}

	@Test
	void theProductsEmbeddedServerSyncsEveryCommitToDisk() throws Exception {
		DatabaseSettings settings = new DatabaseSettings(null, null, null, home());
		try (Database database = Database.open(settings, Duration.ZERO, (notice) -> {
		}); Connection connection = DriverManager.getConnection(database.url(), database.user(), null)) {
			assertThat(show(connection, "fsync")).isEqualTo("on");
			assertThat(show(connection, "synchronous_commit")).isEqualTo("on");
		}
	}

	@Test
	void serveKilledWithSigkillLeavesAServerTheNextCommandStopsBeforeGoingOn() throws Exception {
		Process serve = start("serve", "--port", "0");
		awaitLog(serve, "listening");
		long postmaster = runningPostmaster();

		kill(serve);

		assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive))
			.as("the server outlives the killed command")
			.isPresent();
		Result next = run("migrate");
		assertThat(next.exitCode()).as(next.log()).isEqualTo(ExitCodes.OK);
		assertThat(next.log()).contains("stopping the embedded PostgreSQL left running").doesNotContain("\tat ");
		assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive)).isEmpty();
		assertThat(LeftoverServer.find(dataDirectory())).as("the next command stopped its own server").isEmpty();
	}

	@Test
	void aCommandKilledBeforeItsMigrationLeavesAServerTheNextCommandStops() throws Exception {
		Process migrate = start("migrate");
		// The server accepts connections before the command's Spring context starts
		// migrating.
		await(() -> readyPort().isPresent() || !migrate.isAlive(), "the embedded server to start", migrate);
		long postmaster = runningPostmaster();

		kill(migrate);

		Result next = run("migrate");
		assertThat(next.exitCode()).as(next.log()).isEqualTo(ExitCodes.OK);
		assertThat(next.log()).contains("\"schema_version\"");
		assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive)).isEmpty();
	}

	@Test
	void aRefreshKilledMidRunLeavesAServerTheNextRefreshStopsAndCompletesTheSlot() throws Exception {
		Path contacts = this.temp.resolve("contacts.csv");
		Files.writeString(contacts,
				"email,first_name,country\na@example.com,A,UK\nb@example.com,B,UK\n" + "c@example.com,C,FR\n");
		assertThat(run("contacts", "import", contacts.toString()).exitCode()).isZero();
		assertThat(run("segments", "create", "--name", "uk", "--query-dsl",
				"SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'")
			.exitCode()).isZero();

		Process refresh = start("refresh", "--slot", SLOT, "--as-of", SLOT);
		await(() -> readyPort().isPresent() || !refresh.isAlive(), "the embedded server to start", refresh);
		try (Connection blocker = connect()) {
			blocker.setAutoCommit(false);
			try (Statement statement = blocker.createStatement()) {
				statement.execute("LOCK TABLE segment_member IN ACCESS EXCLUSIVE MODE");
			}
			await(() -> blockedOnMembership(blocker) || !refresh.isAlive(), "the refresh to reach segment_member",
					refresh);
			assertThat(refresh.isAlive()).as("the refresh is mid-run").isTrue();

			kill(refresh);
			blocker.rollback();
		}

		Result next = run("refresh", "--slot", SLOT, "--as-of", SLOT);
		assertThat(next.exitCode()).as(next.log()).isEqualTo(ExitCodes.OK);
		assertThat(run("segments", "list").log()).containsPattern("\"contacts_count\"\\s*:\\s*2");
	}

	@Test
	void aServerWhoseOwnerIsAliveIsLeftAlone() throws Exception {
		try (EmbeddedPostgres server = EmbeddedPostgres.builder()
			.setDataDirectory(dataDirectory())
			.setCleanDataDirectory(false)
			.setPGStartupWait(PATIENCE)
			.start()) {
			// this JVM, alive, is recorded as the server's owner
			EmbeddedServerOwner.current().record(home());

			assertThatExceptionOfType(DatabaseBusyException.class).isThrownBy(this::open)
				.withMessageContaining("still used by process " + ProcessHandle.current().pid());
			assertThat(LeftoverServer.find(dataDirectory())).isPresent();

			// and a server no segmat recorded is not segmat's to stop
			Files.delete(home().resolve(EmbeddedServerOwner.FILE_NAME));
			assertThatExceptionOfType(DatabaseUnavailableException.class).isThrownBy(this::open)
				.withMessageContaining("did not start");
			try (Connection connection = DriverManager.getConnection(server.getJdbcUrl("postgres", "postgres"))) {
				assertThat(show(connection, "server_version")).isNotBlank();
			}
		}
	}

	@Test
	void onlyAPostgresOverThisDataDirectoryIsTakenForTheHomesServer() {
		Path data = Path.of("/srv/segmat/pgdata");

		assertThat(LeftoverServer.isPostmasterOf(
				List.of("/tmp/embedded-pg/PG-1/bin/postgres", "-D", "/srv/segmat/pgdata", "-p", "5432"), data))
			.isTrue();
		assertThat(LeftoverServer
			.isPostmasterOf(List.of("/tmp/embedded-pg/PG-1/bin/postgres", "-D", "/srv/other/pgdata"), data)).isFalse();
		assertThat(LeftoverServer.isPostmasterOf(List.of("/usr/bin/java", "-D", "/srv/segmat/pgdata"), data)).isFalse();
		assertThat(LeftoverServer.isPostmasterOf(List.of(), data)).isFalse();
	}

	@Test
	void aPostmasterPidFileNamingAnotherLiveProcessIsNotAServer() throws Exception {
		Files.createDirectories(dataDirectory());
		Files.writeString(dataDirectory().resolve("postmaster.pid"),
				ProcessHandle.current().pid() + "\n" + dataDirectory() + "\n0\n5432\n");

		assertThat(LeftoverServer.find(dataDirectory())).isEmpty();
	}

	private void open() {
		DatabaseSettings settings = new DatabaseSettings(null, null, null, home());
		try (Database database = Database.open(settings, Duration.ZERO, (notice) -> {
		})) {
			// opening is the point
		}
	}

	/**
	 * A segmat command in its own JVM, over the test's home, its server without fsync as
	 * tests may run it.
	 */
	private Process start(String... args) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(
				List.of(java, "-Xmx512m", "-D" + Database.TESTS_SKIP_FSYNC_PROPERTY + "=true"));
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.segmat.Segmat"));
		command.addAll(List.of(args));
		Path log = this.temp.resolve("child-" + this.children.size() + ".log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().remove(DatabaseSettings.URL_VARIABLE);
		builder.environment().put(DatabaseSettings.HOME_VARIABLE, home().toString());
		Process process = builder.start();
		this.children.add(process);
		return process;
	}

	/**
	 * A segmat command run in this JVM, quicker than a child's: to the embedded server it
	 * is just another process over the home than the killed one.
	 */
	private Result run(String... args) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int exitCode = SegmatCommand.execute(args, Map.of(DatabaseSettings.HOME_VARIABLE, home().toString()),
				new PrintWriter(out, true), new PrintWriter(err, true));
		return new Result(exitCode, out + "\n" + err);
	}

	private String log(Process process) throws IOException {
		return Cli.log(this.temp.resolve("child-" + this.children.indexOf(process) + ".log"));
	}

	/** SIGKILL, as {@code kill -9}: the JVM runs no shutdown hook and stops nothing. */
	private static void kill(Process process) throws InterruptedException {
		process.destroyForcibly();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
	}

	private void awaitLog(Process process, String text) throws Exception {
		await(() -> log(process).contains(text) || !process.isAlive(), "'" + text + "' in the log", process);
		assertThat(process.isAlive()).as(log(process)).isTrue();
	}

	private void await(Callable<Boolean> condition, String what, Process process) throws Exception {
		Await.until(what, PATIENCE, condition, () -> "child log:\n" + log(process));
	}

	private long runningPostmaster() throws IOException {
		return LeftoverServer.find(dataDirectory())
			.orElseThrow(() -> new AssertionError("no embedded server runs over " + dataDirectory()))
			.pid();
	}

	/** The port of the home's server once its {@code postmaster.pid} says it is ready. */
	private Optional<Integer> readyPort() throws IOException {
		List<String> lines;
		try {
			lines = Files.readAllLines(dataDirectory().resolve("postmaster.pid"), StandardCharsets.UTF_8);
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
		if (lines.size() < 8 || !lines.get(7).strip().equals("ready")) {
			return Optional.empty();
		}
		return Optional.of(Integer.parseInt(lines.get(3).strip()));
	}

	private Connection connect() throws Exception {
		int port = readyPort().orElseThrow(() -> new AssertionError("the embedded server is not ready"));
		return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres?user=postgres");
	}

	private static String show(Connection connection, String setting) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SHOW " + setting)) {
			rows.next();
			return rows.getString(1);
		}
	}

	private static boolean blockedOnMembership(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("""
				SELECT count(*) > 0 FROM pg_locks
				WHERE NOT granted AND relation = 'segment_member'::regclass
				""")) {
			rows.next();
			return rows.getBoolean(1);
		}
	}

	private static void stopPostmaster(long pid) throws Exception {
		new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor(10, TimeUnit.SECONDS);
		Optional<ProcessHandle> handle = ProcessHandle.of(pid);
		if (handle.isPresent()) {
			handle.get().onExit().get(60, TimeUnit.SECONDS);
		}
	}

	private record Result(int exitCode, String log) {
	}

}
