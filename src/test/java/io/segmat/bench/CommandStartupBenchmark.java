package io.segmat.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.segmat.db.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * {@code make bench-startup} (and the end of {@code make bench}): what a command that
 * does little costs, as a CronJob or a script pays it, a fresh JVM each time. Each figure
 * is the median of {@code BENCH_STARTUP_RUNS} runs (default 5), measured in the same run
 * as {@code java -version}'s, the floor no Java command goes under: on a machine shared
 * with other work the ratio to the floor says more than the milliseconds.
 * <p>
 * Measured: {@code --help} (no database), and {@code fields list} over an up-to-date
 * schema, with the embedded server (a home of the benchmark's own, which each run starts
 * and stops) and with an external PostgreSQL ({@code --db-url}, a server the benchmark
 * starts once); each with {@code java -jar target/segmat.jar} and with {@code bin/segmat}
 * (the extracted jar and the class data sharing archive {@code make build} makes).
 * Besides the wall time it gives the CPU time of the command (its JVM and what it waited
 * for, read from /proc), which a busy machine does not inflate. The report goes to stdout
 * and {@code target/bench/startup.md}.
 */
public final class CommandStartupBenchmark {

	private static final Path JAR = Path.of("target/segmat.jar");

	private static final Path LAUNCHER = Path.of("bin/segmat");

	private static final Path APP_ARCHIVE = Path.of("target/segmat-app/segmat.jsa");

	// bin/segmat runs short commands on the JIT's first tier; SEGMAT_JAVA_OPTS comes
	// after its option and wins, so this gives them both tiers again
	private static final String BOTH_TIERS = "-XX:TieredStopAtLevel=4";

	private final int runs;

	private final List<String> rows = new ArrayList<>();

	private Measurement floor;

	private CommandStartupBenchmark(int runs) {
		this.runs = runs;
	}

	public static void main(String[] args) throws Exception {
		int runs = Math.max(1, Integer.parseInt(System.getenv().getOrDefault("BENCH_STARTUP_RUNS", "5")));
		if (!Files.isRegularFile(JAR)) {
			throw new IllegalStateException(JAR + " is missing: run make build first");
		}
		new CommandStartupBenchmark(runs).run();
		System.exit(0);
	}

	private void run() throws Exception {
		boolean archived = Files.isRegularFile(APP_ARCHIVE)
				&& Files.getLastModifiedTime(APP_ARCHIVE).compareTo(Files.getLastModifiedTime(JAR)) >= 0;
		Path home = Files.createTempDirectory("segmat-startup-bench");
		Path pgData = Files.createTempDirectory("segmat-startup-bench-pg");
		Map<String, String> embedded = Map.of("SEGMAT_HOME", home.toString());
		EmbeddedPostgres.Builder server = EmbeddedPostgres.builder()
			.setDataDirectory(pgData)
			.setCleanDataDirectory(true)
			.setPGStartupWait(Duration.ofSeconds(60));
		// the server as segmat's embedded default runs it, as in SegmatBenchmark
		Database.EMBEDDED_SERVER_SETTINGS.forEach(server::setServerConfig);
		try (EmbeddedPostgres pg = server.start()) {
			String url = pg.getJdbcUrl("postgres", "postgres");
			List<String> external = List.of("--db-url", url, "--db-user", "postgres");
			// both databases brought up to date first: the runs measure the common case
			once(java("migrate"), embedded);
			once(java(args("migrate", external)), Map.of());
			this.floor = measure("java -version", List.of("java", "-version"), Map.of());
			row(this.floor);
			for (boolean viaLauncher : archived ? List.of(false, true) : List.of(false)) {
				String how = viaLauncher ? "bin/segmat" : "java -jar target/segmat.jar";
				row(measure(how + " --help", command(viaLauncher, List.of("--help")), Map.of()));
				row(measure(how + " fields list (embedded server)", command(viaLauncher, List.of("fields", "list")),
						embedded));
				row(measure(how + " fields list --db-url", command(viaLauncher, args("fields list", external)),
						Map.of()));
			}
			if (archived) {
				// what the first tier saves: the second costs a short command more
				// than it gains
				row(measure("SEGMAT_JAVA_OPTS=" + BOTH_TIERS + " bin/segmat fields list --db-url (both JIT tiers)",
						command(true, args("fields list", external)), Map.of("SEGMAT_JAVA_OPTS", BOTH_TIERS)));
			}
		}
		finally {
			delete(home);
		}
		StringBuilder report = new StringBuilder();
		report.append(String.format(Locale.ROOT, "%n## Command start-up (median of %d runs, a fresh JVM each)%n%n",
				this.runs));
		report.append("| command | wall | × java -version | CPU |\n|---|---:|---:|---:|\n");
		this.rows.forEach(report::append);
		report.append(String.format(Locale.ROOT, "%nGoal: a command that does little answers in ≤ 1.5 s.%s%n",
				archived ? "" : " (bin/segmat not measured: no class data sharing archive newer than the jar; "
						+ "make build makes it)"));
		System.out.print(report);
		Path out = Path.of("target/bench/startup.md");
		Files.createDirectories(out.getParent());
		Files.writeString(out, report, StandardCharsets.UTF_8);
	}

	private static List<String> args(String command, List<String> more) {
		List<String> all = new ArrayList<>(List.of(command.split(" ", -1)));
		all.addAll(more);
		return all;
	}

	private static List<String> java(String command) {
		return java(List.of(command));
	}

	private static List<String> java(List<String> args) {
		List<String> all = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
		all.addAll(args);
		return all;
	}

	private static List<String> command(boolean viaLauncher, List<String> args) {
		if (!viaLauncher) {
			return java(args);
		}
		List<String> all = new ArrayList<>(List.of(LAUNCHER.toString()));
		all.addAll(args);
		return all;
	}

	private Measurement measure(String name, List<String> command, Map<String, String> env)
			throws IOException, InterruptedException {
		List<Long> walls = new ArrayList<>();
		List<Long> cpus = new ArrayList<>();
		for (int i = 0; i < this.runs; i++) {
			long cpuBefore = childrenCpuMillis();
			long start = System.nanoTime();
			once(command, env);
			walls.add((System.nanoTime() - start) / 1_000_000);
			cpus.add(childrenCpuMillis() - cpuBefore);
		}
		return new Measurement(name, median(walls), median(cpus));
	}

	private static void once(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.redirectError(ProcessBuilder.Redirect.DISCARD);
		Map<String, String> environment = builder.environment();
		environment.keySet().removeIf((key) -> key.startsWith("SEGMAT_"));
		environment.putAll(new HashMap<>(env));
		int exit = builder.start().waitFor();
		if (exit != 0) {
			throw new IllegalStateException(String.join(" ", command) + " exited " + exit);
		}
	}

	private void row(Measurement m) {
		String ratio = (this.floor == null) ? "1.0"
				: String.format(Locale.ROOT, "%.1f", (double) m.wallMillis() / Math.max(1, this.floor.wallMillis()));
		this.rows.add(String.format(Locale.ROOT, "| `%s` | %d ms | %s | %s |%n", m.name(), m.wallMillis(), ratio,
				(m.cpuMillis() >= 0) ? m.cpuMillis() + " ms" : "n/a"));
	}

	/**
	 * CPU time of this JVM's children that have ended (utime and stime of the reaped
	 * children, /proc/self/stat fields 16 and 17), in ms; -1 off Linux. The embedded
	 * server a command starts is the command's child, which it waits for: its CPU is
	 * counted with the command's (it was not while {@code pg_ctl} detached it).
	 */
	private static long childrenCpuMillis() {
		try {
			String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
			// fields[0] is stat's field 3
			long ticks = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
			return ticks * 10;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	private static long median(List<Long> values) {
		List<Long> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.get(sorted.size() / 2);
	}

	private static void delete(Path directory) throws IOException {
		new ProcessBuilder("rm", "-rf", directory.toString()).start();
	}

	private record Measurement(String name, long wallMillis, long cpuMillis) {
	}

}
