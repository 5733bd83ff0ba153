package io.segmat.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.segmat.SegmatApplication;
import io.segmat.contacts.ContactImporter;
import io.segmat.contacts.ImportReport;
import io.segmat.db.Database;
import io.segmat.fields.CustomFieldDefinitions;
import io.segmat.lists.ContactLists;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code make bench-import}: the contacts import alone, on the bench's file (lists and
 * every custom field), in one fresh embedded PostgreSQL. Each round empties the contacts
 * and imports the file into them, imports it again unchanged, then imports a variant
 * whose every row changes one date. The first round runs in a cold JVM, as
 * {@code make bench} and a {@code segmat contacts import} do; later ones show the warm
 * rate.
 * <p>
 * Besides the rate it prints the CPU seconds spent by the JVM (all of its threads, the
 * JIT's included) and by PostgreSQL (its processes, read from /proc: about right), which
 * tell which side an import waits for on a small machine. Environment:
 * {@code BENCH_IMPORT} (contacts, default 50,000), {@code BENCH_REPEAT} (rounds, default
 * 2).
 */
public final class ImportBenchmark {

	private final ConfigurableApplicationContext context;

	private final JdbcClient jdbc;

	private ImportBenchmark(ConfigurableApplicationContext context) {
		this.context = context;
		this.jdbc = context.getBean(JdbcClient.class);
	}

	public static void main(String[] args) throws Exception {
		int contacts = Integer.parseInt(System.getenv().getOrDefault("BENCH_IMPORT", "50000").replace("_", ""));
		int rounds = Math.max(1, Integer.parseInt(System.getenv().getOrDefault("BENCH_REPEAT", "2")));
		Path work = Files.createTempDirectory("segmat-import-bench");
		boolean statements = !System.getenv().getOrDefault("BENCH_PG_STATEMENTS", "").isEmpty();
		EmbeddedPostgres.Builder server = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60));
		// the server as segmat's embedded default runs it, as in SegmatBenchmark
		Database.EMBEDDED_SERVER_SETTINGS.forEach(server::setServerConfig);
		if (statements) {
			server.setServerConfig("shared_preload_libraries", "pg_stat_statements,auto_explain")
				.setServerConfig("pg_stat_statements.track", "all")
				.setServerConfig("auto_explain.log_min_duration",
						System.getenv().getOrDefault("BENCH_PG_EXPLAIN_MS", "-1"))
				.setServerConfig("auto_explain.log_analyze", "on")
				.setServerConfig("auto_explain.log_buffers", "on")
				.setServerConfig("auto_explain.log_nested_statements", "on")
				.setServerConfig("logging_collector", "on")
				.setServerConfig("log_directory", work.resolve("pglog").toString());
		}
		try (EmbeddedPostgres pg = server.start()) {
			SpringApplication application = new SpringApplication(SegmatApplication.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			Map<String, Object> properties = new HashMap<>();
			properties.put("spring.datasource.url", pg.getJdbcUrl("postgres", "postgres"));
			properties.put("spring.datasource.username", "postgres");
			properties.put("logging.level.io.segmat", "WARN");
			application.setDefaultProperties(properties);
			try (ConfigurableApplicationContext context = application.run()) {
				ImportBenchmark bench = new ImportBenchmark(context);
				if (statements) {
					bench.jdbc.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").update();
				}
				bench.run(work, contacts, rounds);
				if (statements) {
					bench.printStatements();
					printServerLog(work.resolve("pglog"));
				}
			}
		}
		finally {
			try (var files = Files.list(work)) {
				for (Path file : files.toList()) {
					Files.deleteIfExists(file);
				}
			}
			Files.deleteIfExists(work);
		}
		// Batch's and Hikari's non-daemon threads must not keep the JVM up.
		System.exit(0);
	}

	private void run(Path work, int contacts, int rounds) throws IOException {
		CustomFieldDefinitions fields = this.context.getBean(CustomFieldDefinitions.class);
		BenchData.FIELDS.forEach(fields::create);
		Map<String, UUID> lists = new LinkedHashMap<>();
		for (String name : BenchData.LISTS) {
			lists.put(name, this.context.getBean(ContactLists.class).create(name).id());
		}
		Instant asOf = Instant.now().truncatedTo(ChronoUnit.DAYS);
		Path file = work.resolve("contacts.ndjson");
		Path changed = work.resolve("changed.ndjson");
		BenchData.writeContacts(file, contacts, asOf, lists);
		// Another asOf moves every signup_date and nothing else.
		BenchData.writeContacts(changed, contacts, asOf.plus(Duration.ofDays(1)), lists);
		System.out.printf("%,d contacts (%,d MB of NDJSON), %d cores%n", contacts, Files.size(file) >> 20,
				Runtime.getRuntime().availableProcessors());
		System.out.println(
				"| round | import | seconds | contacts/s | goal | × raw COPY | JVM CPU s | PostgreSQL CPU s | created | updated |");
		System.out.println("|---|---|---|---|---|---|---|---|---|---|");
		for (int round = 1; round <= rounds; round++) {
			this.jdbc.sql("TRUNCATE contact, contact_deletion, list_member, email_event CASCADE").update();
			double importSeconds = measure(round, "new file", file, contacts, "≥ 30,000/s", 0);
			double copySeconds = rawCopy(round, work, contacts, importSeconds);
			measure(round, "same file again", file, contacts, "≥ 60,000/s", copySeconds);
			measure(round, "every row changed", changed, contacts, "", copySeconds);
		}
	}

	/** Seconds the import took. */
	private double measure(int round, String what, Path file, int contacts, String goal, double copySeconds) {
		double jvm = jvmCpuSeconds();
		double pg = postgresCpuSeconds();
		long started = System.nanoTime();
		ImportReport report = this.context.getBean(ContactImporter.class).importFile(file, null);
		double seconds = (System.nanoTime() - started) / 1e9;
		if (!report.completed() || report.imported() != contacts) {
			throw new IllegalStateException("contact import did not complete: " + report);
		}
		System.out.printf("| %d | %s | %.2f | %,.0f | %s | %s | %.2f | %.2f | %,d | %,d |%n", round, what, seconds,
				contacts / seconds, goal, (copySeconds > 0) ? "%.2f×".formatted(seconds / copySeconds) : "",
				jvmCpuSeconds() - jvm, postgresCpuSeconds() - pg, report.created(), report.updated());
		return seconds;
	}

	/**
	 * The baseline: the rows the import just stored, contacts and memberships, copied out
	 * to a file and then with one raw {@code COPY} each into empty tables of the same
	 * shape and indexes (LIKE … INCLUDING ALL: no foreign keys, no validation, no
	 * look-up, no change tracking). What PostgreSQL needs to write these rows at all.
	 * Returns the seconds of the two COPYs in.
	 */
	private double rawCopy(int round, Path work, int contacts, double importSeconds) {
		Path contactRows = work.resolve("contact.copy");
		Path memberRows = work.resolve("list_member.copy");
		DataSource dataSource = this.context.getBean(DataSource.class);
		try (Connection connection = dataSource.getConnection()) {
			CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
			try (Statement statement = connection.createStatement()) {
				statement.execute("DROP TABLE IF EXISTS bench_contact, bench_list_member");
				statement.execute("CREATE TABLE bench_contact (LIKE contact INCLUDING ALL)");
				statement.execute("CREATE TABLE bench_list_member (LIKE list_member INCLUDING ALL)");
			}
			try (OutputStream out = Files.newOutputStream(contactRows)) {
				copy.copyOut("COPY contact TO STDOUT", out);
			}
			try (OutputStream out = Files.newOutputStream(memberRows)) {
				copy.copyOut("COPY list_member TO STDOUT", out);
			}
			double jvm = jvmCpuSeconds();
			double pg = postgresCpuSeconds();
			long started = System.nanoTime();
			try (InputStream in = Files.newInputStream(contactRows)) {
				// COPY writes the identity column contact_key as given.
				copy.copyIn("COPY bench_contact FROM STDIN", in);
			}
			try (InputStream in = Files.newInputStream(memberRows)) {
				copy.copyIn("COPY bench_list_member FROM STDIN", in);
			}
			double seconds = (System.nanoTime() - started) / 1e9;
			System.out.printf(
					"| %d | raw COPY of the same rows (baseline) | %.2f | %,.0f | | import %.2f× | %.2f | %.2f | | |%n",
					round, seconds, contacts / seconds, importSeconds / seconds, jvmCpuSeconds() - jvm,
					postgresCpuSeconds() - pg);
			try (Statement statement = connection.createStatement()) {
				statement.execute("DROP TABLE bench_contact, bench_list_member");
			}
			return seconds;
		}
		catch (SQLException | IOException ex) {
			throw new IllegalStateException("the raw COPY baseline failed", ex);
		}
		finally {
			try {
				Files.deleteIfExists(contactRows);
				Files.deleteIfExists(memberRows);
			}
			catch (IOException ex) {
				// a temporary directory, removed at the end
			}
		}
	}

	/**
	 * With {@code BENCH_PG_STATEMENTS} set: where PostgreSQL spent its time, statement by
	 * statement (foreign key checks and other nested statements included). With
	 * {@code BENCH_PG_EXPLAIN_MS} too, the plans of statements slower than that are
	 * printed from the server's log.
	 */
	private void printStatements() {
		System.out.println();
		System.out.println("| total ms | calls | rows | shared blocks hit+read | statement |");
		System.out.println("|---|---|---|---|---|");
		this.jdbc.sql("""
				SELECT total_exec_time, calls, rows, shared_blks_hit + shared_blks_read AS blocks,
				       regexp_replace(left(query, 160), '\\s+', ' ', 'g') AS query
				FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25
				""").query((rs) -> {
			System.out.printf("| %,.0f | %,d | %,d | %,d | %s |%n", rs.getDouble(1), rs.getLong(2), rs.getLong(3),
					rs.getLong(4), rs.getString(5));
		});
	}

	private static void printServerLog(Path directory) throws IOException {
		if (!Files.isDirectory(directory)) {
			return;
		}
		try (var files = Files.list(directory)) {
			for (Path file : files.sorted().toList()) {
				System.out.println();
				System.out.print(Files.readString(file, StandardCharsets.UTF_8));
				Files.delete(file);
			}
		}
		Files.delete(directory);
	}

	private static double jvmCpuSeconds() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime() / 1e9;
	}

	/**
	 * user + system time of the server's processes, from /proc (Linux); 0 where it cannot
	 * be read.
	 */
	private double postgresCpuSeconds() {
		double seconds = 0;
		for (Integer pid : this.jdbc.sql("SELECT pid FROM pg_stat_activity").query(Integer.class).list()) {
			try {
				String stat = Files.readString(Path.of("/proc", pid.toString(), "stat"));
				String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
				seconds += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
			}
			catch (IOException | RuntimeException ex) {
				// not Linux, or the process is gone
			}
		}
		return seconds;
	}

}
