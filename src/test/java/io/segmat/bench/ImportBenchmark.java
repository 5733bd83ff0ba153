package io.segmat.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
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
import io.segmat.fields.CustomFieldDefinitions;
import io.segmat.lists.ContactLists;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

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
		try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start()) {
			SpringApplication application = new SpringApplication(SegmatApplication.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			Map<String, Object> properties = new HashMap<>();
			properties.put("spring.datasource.url", pg.getJdbcUrl("postgres", "postgres"));
			properties.put("spring.datasource.username", "postgres");
			properties.put("logging.level.io.segmat", "WARN");
			application.setDefaultProperties(properties);
			try (ConfigurableApplicationContext context = application.run()) {
				new ImportBenchmark(context).run(work, contacts, rounds);
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
		System.out
			.println("| round | import | seconds | contacts/s | JVM CPU s | PostgreSQL CPU s | created | updated |");
		System.out.println("|---|---|---|---|---|---|---|---|");
		for (int round = 1; round <= rounds; round++) {
			this.jdbc.sql("TRUNCATE contact, contact_deletion, list_member, email_event CASCADE").update();
			measure(round, "new file", file, contacts);
			measure(round, "same file again", file, contacts);
			measure(round, "every row changed", changed, contacts);
		}
	}

	private void measure(int round, String what, Path file, int contacts) {
		double jvm = jvmCpuSeconds();
		double pg = postgresCpuSeconds();
		long started = System.nanoTime();
		ImportReport report = this.context.getBean(ContactImporter.class).importFile(file, null);
		double seconds = (System.nanoTime() - started) / 1e9;
		if (!report.completed() || report.imported() != contacts) {
			throw new IllegalStateException("contact import did not complete: " + report);
		}
		System.out.printf("| %d | %s | %.2f | %,.0f | %.2f | %.2f | %,d | %,d |%n", round, what, seconds,
				contacts / seconds, jvmCpuSeconds() - jvm, postgresCpuSeconds() - pg, report.created(),
				report.updated());
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
