package io.segmat.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.segmat.db.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One real embedded PostgreSQL per test JVM, and a freshly migrated database per caller.
 * Each database is cloned from a template that Flyway migrated once, so a test class pays
 * milliseconds, not a full migration. Test classes that share a Spring configuration
 * share one database as well ({@link #shared()}, see {@link SpringTestSupport}) and empty
 * it with {@link #truncateAll()}.
 */
public final class TestDatabase {

	private static final String TEMPLATE = "segmat_template";

	private static final AtomicInteger counter = new AtomicInteger();

	private static EmbeddedPostgres server;

	private static TestDatabase shared;

	private final String name;

	private final PGSimpleDataSource dataSource;

	private String truncate;

	private TestDatabase(String name, PGSimpleDataSource dataSource) {
		this.name = name;
		this.dataSource = dataSource;
	}

	/** A new, migrated, empty database. */
	public static synchronized TestDatabase create() {
		EmbeddedPostgres pg = server();
		String name = "t" + ProcessHandle.current().pid() + "_" + counter.incrementAndGet();
		execute(pg.getPostgresDatabase(), "CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
		return new TestDatabase(name, dataSource(pg, name));
	}

	/**
	 * The database of the test classes that share the application's default test
	 * configuration, and so one Spring context ({@link SpringTestSupport}).
	 */
	public static synchronized TestDatabase shared() {
		if (shared == null) {
			shared = create();
		}
		return shared;
	}

	/**
	 * Empties every table but Flyway's history: the data and Spring Batch's job
	 * repository. The tables are read from the catalog, so a new migration's tables are
	 * emptied too. Sequences go on counting, as they did when each class listed its own
	 * tables to truncate: ids stay unique across tests, and so do the names of what the
	 * application derives from them (a Date field's index).
	 */
	public void truncateAll() {
		if (this.truncate == null) {
			// read once: the migrations made every table, and tests add none
			List<String> tables = JdbcClient.create(this.dataSource).sql("""
					SELECT format('%I.%I', schemaname, tablename) FROM pg_tables
					WHERE schemaname = 'public' AND tablename <> 'flyway_schema_history'
					  AND NOT EXISTS (SELECT 1 FROM pg_inherits i
					                  WHERE i.inhrelid = format('%I.%I', schemaname, tablename)::regclass)
					ORDER BY tablename
					""").query(String.class).list();
			// a lock held by a test that forgot to close a transaction fails here, loudly
			this.truncate = "SET lock_timeout = '30s'; TRUNCATE " + String.join(", ", tables) + " CASCADE";
		}
		execute(this.dataSource, this.truncate);
		// segment_member's partitions (one per segment ever evaluated) are emptied with
		// it; their segments are gone, so they go too, rather than pile up over a suite.
		execute(this.dataSource, """
				SET lock_timeout = '30s';
				DO $$
				DECLARE part regclass;
				BEGIN
				    FOR part IN SELECT inhrelid::regclass FROM pg_inherits
				                WHERE inhparent = 'public.segment_member'::regclass LOOP
				        EXECUTE format('DROP TABLE %s', part);
				    END LOOP;
				END
				$$
				""");
	}

	/**
	 * A PostgreSQL of a test's own, over {@code dataDirectory} and on {@code port} (0 for
	 * any free one), kept there so that the test can stop it and start it again as it
	 * was: the server a test takes away from segmat, never the shared one.
	 */
	public static EmbeddedPostgres startServer(Path dataDirectory, int port) throws IOException {
		return EmbeddedPostgres.builder()
			.setServerConfig("fsync", "off")
			.setDataDirectory(dataDirectory)
			.setCleanDataDirectory(false)
			.setRegisterShutdownHook(false)
			.setPort(port)
			.start();
	}

	public DataSource dataSource() {
		return this.dataSource;
	}

	public String name() {
		return this.name;
	}

	public String jdbcUrl() {
		return this.dataSource.getUrl();
	}

	/** Points a Spring test context at this database. */
	public void register(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", this::jdbcUrl);
		registry.add("spring.datasource.username", TestDatabase::user);
	}

	/** The arguments that point a command line at this database. */
	public String[] cliArguments() {
		return new String[] { "--db-url", jdbcUrl(), "--db-user", user() };
	}

	public static String user() {
		return "postgres";
	}

	private static synchronized EmbeddedPostgres server() {
		if (server == null) {
			try {
				Path dataDirectory = Files.createTempDirectory("epg");
				// A test server needs no crash safety: without fsync, creating databases
				// and truncating tables cost no disk flushes on a machine shared with
				// other builds. Otherwise the product's embedded settings, so that
				// partitions load as they do in the product.
				EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
				Database.EMBEDDED_SERVER_SETTINGS.forEach(builder::setServerConfig);
				server = builder.setServerConfig("fsync", "off")
					.setServerConfig("full_page_writes", "off")
					.setDataDirectory(dataDirectory)
					.setCleanDataDirectory(false)
					.setRegisterShutdownHook(false)
					.start();
				Runtime.getRuntime()
					.addShutdownHook(new Thread(() -> stop(server, dataDirectory), "segmat-test-postgres-stop"));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot start the embedded PostgreSQL for tests", ex);
			}
			execute(server.getPostgresDatabase(), "CREATE DATABASE " + TEMPLATE);
			Flyway.configure()
				.dataSource(dataSource(server, TEMPLATE))
				.locations("classpath:db/migration")
				.load()
				.migrate();
		}
		return server;
	}

	/**
	 * Stops the server, then leaves the removal of its data directory, thousands of
	 * files, to a process of its own: on a busy machine it can take longer than Surefire
	 * waits for the test JVM to exit.
	 */
	private static void stop(EmbeddedPostgres pg, Path dataDirectory) {
		try {
			pg.close();
		}
		catch (IOException ex) {
			// removed all the same
		}
		try {
			new ProcessBuilder("rm", "-rf", dataDirectory.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			// no rm: leave the directory to the temporary files' cleaning
		}
	}

	private static PGSimpleDataSource dataSource(EmbeddedPostgres pg, String database) {
		PGSimpleDataSource ds = new PGSimpleDataSource();
		ds.setServerNames(new String[] { "localhost" });
		ds.setPortNumbers(new int[] { pg.getPort() });
		ds.setDatabaseName(database);
		ds.setUser(user());
		return ds;
	}

	private static void execute(DataSource ds, String sql) {
		try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
			s.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
		}
	}

}
