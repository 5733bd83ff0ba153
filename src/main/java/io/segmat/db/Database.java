package io.segmat.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The database a command works on. With no URL it starts the embedded PostgreSQL over the
 * data kept under the home folder and stops it on close.
 * <p>
 * Only one process may run the embedded server over one home: a second command waits for
 * the home's lock file for a while, then gives up with a clear message, so two commands
 * never start two servers on the same data directory.
 */
public final class Database implements AutoCloseable {

	/**
	 * Set only by tests: the embedded server then runs without {@code fsync} and with
	 * asynchronous commits, as the embedded library would by default. Faster, and nothing
	 * a test keeps needs to survive an OS crash.
	 */
	static final String TESTS_SKIP_FSYNC_PROPERTY = "segmat.tests.embedded-skip-fsync";

	/**
	 * The embedded server's settings beyond durability, which the benchmark's server runs
	 * too. The server has no replica and no WAL archive, so its WAL serves crash recovery
	 * alone ({@code wal_level=minimal}, which allows no WAL senders): a table created and
	 * filled in one transaction, as a segment's first materialization loads its
	 * partition, then writes no WAL for its rows nor its index, and is written out at the
	 * commit instead. At 180,000 rows that spares 12 MB of WAL for the load and 5 MB for
	 * the index, the load's largest cost beyond the query itself.
	 */
	public static final Map<String, String> EMBEDDED_SERVER_SETTINGS = Map.of("wal_level", "minimal", "max_wal_senders",
			"0");

	private static final Duration LEFTOVER_STOP_WAIT = Duration.ofSeconds(30);

	private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

	private final String url;

	private final String user;

	private final String password;

	private final EmbeddedServer embedded;

	private final FileChannel lockChannel;

	/** The embedded server's home; null for an external database. */
	private final Path home;

	private Database(String url, String user, String password, EmbeddedServer embedded, FileChannel lockChannel,
			Path home) {
		this.home = home;
		this.url = url;
		this.user = user;
		this.password = password;
		this.embedded = embedded;
		this.lockChannel = lockChannel;
	}

	/** The database, ready for connections. */
	public static Database open(DatabaseSettings settings, Duration lockWait, Consumer<String> notice) {
		Database database = start(settings, lockWait, notice);
		try {
			database.awaitReady();
		}
		catch (RuntimeException ex) {
			database.close();
			throw ex;
		}
		return database;
	}

	/**
	 * The database, whose embedded server may still be starting: the caller does other
	 * work meanwhile, then calls {@link #awaitReady} before its first connection.
	 */
	public static Database start(DatabaseSettings settings, Duration lockWait, Consumer<String> notice) {
		if (!settings.embedded()) {
			return new Database(settings.url(), settings.user(), settings.password(), null, null, null);
		}
		return startEmbedded(settings.home(), lockWait, notice);
	}

	/** Returns once the database accepts connections; at once for an external one. */
	public void awaitReady() {
		if (this.embedded == null) {
			return;
		}
		try {
			this.embedded.awaitReady();
		}
		catch (IOException ex) {
			throw new DatabaseUnavailableException(
					"cannot start the embedded PostgreSQL under " + this.home + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * The schemas of this database that hold a segmat installation (Flyway's history and
	 * the segment table), by name.
	 */
	public List<String> accountSchemas() {
		awaitReady();
		DriverManagerDataSource dataSource = new DriverManagerDataSource(this.url, this.user, this.password);
		return JdbcClient.create(dataSource)
			.sql("""
					SELECT n.nspname FROM pg_namespace n
					WHERE EXISTS (SELECT FROM pg_class c WHERE c.relnamespace = n.oid AND c.relname = 'flyway_schema_history')
					  AND EXISTS (SELECT FROM pg_class c WHERE c.relnamespace = n.oid AND c.relname = 'segment')
					ORDER BY n.nspname
					""")
			.query(String.class)
			.list();
	}

	public String url() {
		return this.url;
	}

	public String user() {
		return this.user;
	}

	public String password() {
		return this.password;
	}

	/**
	 * For the embedded server, does what autovacuum would have done had the server lived
	 * long enough ({@link EmbeddedMaintenance}); for an external database, whose own
	 * autovacuum runs, nothing. Call it once the command's work is done, before
	 * {@link #close}, but not from a shutdown hook: a stopping process has no time for
	 * it. Never throws.
	 */
	public void maintain() {
		if (this.embedded != null && this.embedded.ready()) {
			EmbeddedMaintenance.run(this.url, this.user, this.password);
		}
	}

	@Override
	public void close() {
		try {
			if (this.embedded != null) {
				this.embedded.close();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot stop the embedded PostgreSQL", ex);
		}
		finally {
			closeQuietly(this.lockChannel);
		}
	}

	private static Database startEmbedded(Path home, Duration lockWait, Consumer<String> notice) {
		FileChannel channel = null;
		try {
			Files.createDirectories(home);
			channel = FileChannel.open(home.resolve("segmat.lock"), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE);
			awaitLock(channel, home, lockWait, notice);
			Path dataDirectory = home.resolve("pgdata");
			// Otherwise PostgreSQL refuses to start on a data directory a server left
			// by a killed command still holds, and the start times out.
			LeftoverServer.stopIfOrphaned(home, dataDirectory, LEFTOVER_STOP_WAIT, notice);
			EmbeddedServerOwner.current().record(home);
			Map<String, String> serverSettings = new LinkedHashMap<>(EMBEDDED_SERVER_SETTINGS);
			if (!Boolean.getBoolean(TESTS_SKIP_FSYNC_PROPERTY)) {
				// The server runs with -F and synchronous_commit=off, the embedded
				// library's defaults, made for throwaway test data; the home's data
				// must survive an OS crash. A -c after -F wins.
				serverSettings.putAll(Map.of("fsync", "on", "synchronous_commit", "on"));
			}
			EmbeddedServer server = EmbeddedServer.launch(dataDirectory, serverSettings, STARTUP_WAIT);
			return new Database(server.jdbcUrl(), "postgres", null, server, channel, home);
		}
		catch (IOException ex) {
			closeQuietly(channel);
			throw new DatabaseUnavailableException(
					"cannot start the embedded PostgreSQL under " + home + ": " + ex.getMessage(), ex);
		}
		catch (RuntimeException ex) {
			closeQuietly(channel);
			throw ex;
		}
	}

	private static void awaitLock(FileChannel channel, Path home, Duration wait, Consumer<String> notice)
			throws IOException {
		// Polling rather than a blocking lock, so the wait is bounded and reported.
		long deadline = System.nanoTime() + wait.toNanos();
		boolean told = false;
		while (true) {
			FileLock lock = channel.tryLock();
			if (lock != null) {
				return;
			}
			if (System.nanoTime() >= deadline) {
				throw new DatabaseBusyException("another segmat command is using the embedded database under " + home
						+ "; try again when it has finished, or set " + DatabaseSettings.URL_VARIABLE
						+ " to share a PostgreSQL server");
			}
			if (!told) {
				notice.accept("waiting for another segmat command using " + home);
				told = true;
			}
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new DatabaseBusyException("interrupted while waiting for the embedded database under " + home);
			}
		}
	}

	private static void closeQuietly(FileChannel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// The lock dies with the channel or the process; nothing else to release.
			}
		}
	}

}
