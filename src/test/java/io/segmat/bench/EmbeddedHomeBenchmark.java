package io.segmat.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.segmat.testsupport.EmbeddedHomes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code make bench-home} (and the end of {@code make bench}): segmat as a new user runs
 * it from cron, over the embedded home, whose server lives only as long as each command.
 * {@code SegmatBenchmark}'s processes use a server of the benchmark's own, which stays up
 * and which its setup vacuums and analyzes, so it cannot see what depends on the home's
 * life cycle, such as tables no autovacuum ever visits.
 * <p>
 * {@code bin/segmat demo --contacts BENCH_HOME_CONTACTS} (default 100,000) over a fresh
 * home, then, each a fresh process: three refreshes an hour apart with nothing changed,
 * {@code contacts import} of 0.1 % of the contacts changed, a refresh an hour later, and
 * for each moving window's edge, the first refresh past the instant its segment recorded
 * for its next crossing and two more an hour apart. Each segment's step as the refresh
 * reports it, each process's wall time, and whether the home's tables have statistics.
 * The report goes to stdout and {@code target/bench/home.md}.
 */
public final class EmbeddedHomeBenchmark {

	private static final Path LAUNCHER = Path.of("bin/segmat");

	private static final Pattern SLOT = Pattern.compile("slot (\\S+) completed");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final int contacts;

	/** Column name to each segment's step in that run, in ms. */
	private final Map<String, Map<String, Long>> steps = new LinkedHashMap<>();

	private final Map<String, Long> walls = new LinkedHashMap<>();

	private EmbeddedHomeBenchmark(int contacts) {
		this.contacts = contacts;
	}

	public static void main(String[] args) throws Exception {
		int contacts = Integer.parseInt(System.getenv().getOrDefault("BENCH_HOME_CONTACTS", "100000"));
		if (!Files.isRegularFile(Path.of("target/segmat-app/segmat.jsa"))) {
			throw new IllegalStateException("no class data sharing archive: run make build first");
		}
		new EmbeddedHomeBenchmark(contacts).run();
		System.exit(0);
	}

	private void run() throws Exception {
		Path home = Files.createTempDirectory("segmat-home-bench");
		Path changes = Files.createTempFile("segmat-home-bench", ".ndjson");
		try {
			Output demo = segmat(home, "demo", "--contacts", Integer.toString(this.contacts));
			this.walls.put("demo", demo.wallMillis());
			Matcher slot = SLOT.matcher(demo.err());
			if (!slot.find()) {
				throw new IllegalStateException("the demo reported no slot: " + demo.err());
			}
			// the demo's data is dated from the instant it materialized at, not from ours
			Instant materialized = Instant.parse(slot.group(1));
			for (int hour = 1; hour <= 3; hour++) {
				refresh(home, materialized.plus(Duration.ofHours(hour)), "+" + hour + " h, nothing changed");
			}
			int changed = writeChanges(home.resolve("demo/contacts.ndjson"), changes);
			this.walls.put("contacts import (" + changed + " changed)",
					segmat(home, "contacts", "import", changes.toString()).wallMillis());
			Instant last = materialized.plus(Duration.ofHours(4));
			refresh(home, last, "+4 h, after " + changed + " changed");
			// The demo's events stop days before its instant, so no contact crossed a
			// window's edge in the hours above, and the windows were not evaluated. Each
			// window records when the next one does (clock_stable_until): the first run
			// after it catches up, the next two are the hourly cron's steady state.
			int window = 0;
			for (Instant edge : windowEdges(home)) {
				Instant first = edge.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
				if (!first.isAfter(last)) {
					continue;
				}
				window++;
				for (int hour = 0; hour < 3; hour++) {
					last = first.plus(Duration.ofHours(hour));
					refresh(home, last, "edge " + window + ((hour == 0) ? ", first run past it" : ", +" + hour + " h"));
				}
			}
			report(statistics(home));
		}
		finally {
			Files.deleteIfExists(changes);
			new ProcessBuilder("rm", "-rf", home.toString()).start().waitFor();
		}
	}

	private void refresh(Path home, Instant at, String column) throws IOException, InterruptedException {
		Output output = segmat(home, "refresh", "--slot", at.toString(), "--as-of", at.toString());
		this.walls.put("refresh " + column, output.wallMillis());
		Map<String, Long> byName = new LinkedHashMap<>();
		for (JsonNode segment : JSON.readTree(output.out()).path("segments")) {
			byName.put(segment.path("name").asString(), segment.path("duration_ms").asLong());
		}
		this.steps.put(column, byName);
	}

	/**
	 * Every thousandth demo contact with its plan switched and its lifetime value raised,
	 * which moves contacts in and out of the plan and value segments.
	 * @return how many
	 */
	private static int writeChanges(Path demoContacts, Path changes) throws IOException {
		List<String> lines = new ArrayList<>();
		int index = 0;
		for (String line : Files.readAllLines(demoContacts, StandardCharsets.UTF_8)) {
			if (index++ % 1000 != 7) {
				continue;
			}
			JsonNode contact = JSON.readTree(line);
			ObjectNode fields = ((ObjectNode) contact.path("custom_fields")).deepCopy();
			fields.put("plan", "free".equals(fields.path("plan").asString()) ? "pro" : "free");
			fields.put("lifetime_value", fields.path("lifetime_value").asDouble() + 5000);
			ObjectNode change = JSON.createObjectNode();
			change.put("email", contact.path("email").asString());
			change.set("custom_fields", fields);
			lines.add(JSON.writeValueAsString(change));
		}
		Files.write(changes, lines, StandardCharsets.UTF_8);
		return lines.size();
	}

	/**
	 * When the home's clock segments are next due with nothing changed: the distinct
	 * instants they recorded, earliest first.
	 */
	private static List<Instant> windowEdges(Path home) {
		return EmbeddedHomes.rows(home, """
				SELECT DISTINCT clock_stable_until FROM segment WHERE clock_stable_until IS NOT NULL
				ORDER BY clock_stable_until
				""").stream().map((row) -> ((Timestamp) row.get("clock_stable_until")).toInstant()).toList();
	}

	/**
	 * The home's tables of 1,000 rows or more, as the server's counters see them once the
	 * last command has stopped it: whether anything analyzed them, and their dead rows.
	 */
	private static List<Map<String, Object>> statistics(Path home) {
		return EmbeddedHomes.rows(home, """
				SELECT relname AS table, n_live_tup AS rows, n_dead_tup AS dead_rows,
				       coalesce(greatest(last_analyze, last_autoanalyze) IS NOT NULL, false) AS analyzed
				FROM pg_stat_user_tables WHERE n_live_tup >= 1000 ORDER BY n_live_tup DESC
				""");
	}

	private void report(List<Map<String, Object>> tables) throws IOException {
		StringBuilder report = new StringBuilder();
		report.append(String.format(Locale.ROOT,
				"%n## A refresh from cron over the embedded home (%,d demo contacts, each command a fresh process)%n%n",
				this.contacts));
		report.append("Each segment's step as `segmat refresh` reports it, in ms; \"–\" where the run did not "
				+ "evaluate the segment (nothing it reads changed, and no clock bound crossed it).\n\n");
		List<String> columns = new ArrayList<>(this.steps.keySet());
		Set<String> names = new LinkedHashSet<>();
		this.steps.values().forEach((run) -> names.addAll(run.keySet()));
		report.append("| segment | ").append(String.join(" | ", columns)).append(" |\n|---|");
		report.append("---:|".repeat(columns.size())).append('\n');
		for (String name : names) {
			report.append("| ").append(name);
			for (String column : columns) {
				Long ms = this.steps.get(column).get(name);
				report.append(" | ").append((ms != null) ? ms.toString() : "–");
			}
			report.append(" |\n");
		}
		report.append("\n| command | wall ms |\n|---|---:|\n");
		this.walls
			.forEach((command, ms) -> report.append("| ").append(command).append(" | ").append(ms).append(" |\n"));
		report.append("\nThe tables of 1,000 rows or more afterwards, as the server counts them (a table with rows "
				+ "that nothing analyzed plans without statistics):\n\n| table | rows | dead rows | analyzed |\n"
				+ "|---|---:|---:|---|\n");
		long neverAnalyzed = 0;
		for (Map<String, Object> table : tables) {
			boolean analyzed = Boolean.TRUE.equals(table.get("analyzed"));
			neverAnalyzed += analyzed ? 0 : 1;
			report.append(String.format(Locale.ROOT, "| %s | %d | %d | %s |%n", table.get("table"),
					((Number) table.get("rows")).longValue(), ((Number) table.get("dead_rows")).longValue(),
					analyzed ? "yes" : "**no**"));
		}
		report.append(String.format(Locale.ROOT, "%nEvery table of 1,000 rows or more analyzed: %s%n",
				(neverAnalyzed == 0) ? "pass" : "**FAIL** (" + neverAnalyzed + " never analyzed)"));
		System.out.print(report);
		Path out = Path.of("target/bench/home.md");
		Files.createDirectories(out.getParent());
		Files.writeString(out, report, StandardCharsets.UTF_8);
	}

	private static Output segmat(Path home, String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
		command.addAll(List.of(args));
		Path out = Files.createTempFile("segmat-home-bench", ".out");
		Path err = Files.createTempFile("segmat-home-bench", ".err");
		try {
			ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
				.redirectError(err.toFile());
			Map<String, String> environment = builder.environment();
			environment.keySet().removeIf((key) -> key.startsWith("SEGMAT_"));
			environment.put("SEGMAT_HOME", home.toString());
			long start = System.nanoTime();
			int exit = builder.start().waitFor();
			long wall = (System.nanoTime() - start) / 1_000_000;
			String errors = Files.readString(err, StandardCharsets.UTF_8);
			if (exit != 0) {
				throw new IllegalStateException(String.join(" ", command) + " exited " + exit + ": " + errors);
			}
			return new Output(Files.readString(out, StandardCharsets.UTF_8), errors, wall);
		}
		finally {
			Files.deleteIfExists(out);
			Files.deleteIfExists(err);
		}
	}

	private record Output(String out, String err, long wallMillis) {
	}

}
