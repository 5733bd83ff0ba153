package io.segmat.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.segmat.SegmatApplication;
import io.segmat.contacts.ContactImporter;
import io.segmat.contacts.ImportReport;
import io.segmat.db.Database;
import io.segmat.fields.CustomFieldDefinitions;
import io.segmat.lists.ContactLists;
import io.segmat.query.CompiledQuery;
import io.segmat.query.FieldCatalog;
import io.segmat.query.QueryCompiler;
import io.segmat.refresh.RefreshLauncher;
import io.segmat.refresh.RefreshRun;
import io.segmat.refresh.RefreshSettings;
import io.segmat.segments.Segments;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code make bench}: segmat's refresh measured through its real path (the Batch job
 * started by {@link RefreshLauncher}) side by side with the PostgreSQL baselines, in one
 * process and one fresh embedded server. Only public entry points of the product are used
 * (RefreshLauncher, Segments, ContactImporter, QueryCompiler), so the bench keeps
 * measuring whatever the evaluator does inside.
 * <p>
 * Environment: {@code BENCH_CONTACTS} (default 1,000,000), {@code BENCH_IMPORT} (contacts
 * imported through the import job to measure its rate, default 50,000; the rest are
 * cloned in SQL), {@code BENCH_REPEAT} (runs per figure, default 3),
 * {@code BENCH_CROSSOVER_REPEAT} (runs per figure of the incremental-or-full crossover,
 * default BENCH_REPEAT), {@code BENCH_CROSSOVER_MINUTES} (the crossover starts another
 * run over all its shares only if that fits in this many minutes, default 20),
 * {@code BENCH_OUT} (default target/bench), {@code BENCH_SKIP} (sections left out, comma
 * separated: {@code fresh}, {@code changes}, {@code shapes}, {@code hourly},
 * {@code crossover}, {@code feed}; for a quicker look while working),
 * {@code BENCH_PG_SETTINGS} (server settings).
 * <p>
 * Over 400 lines on purpose: the benchmark is one script, its sections run in order over
 * one data set, and reads top to bottom as the report it writes.
 */
public final class SegmatBenchmark {

	private static final String STEP_PREFIX = "evaluateSegmentStep:segment:";

	private static final String SAMPLES_STEPS = "evaluateSegmentStep:samples:";

	/** The change rounds: share of contacts updated before a refresh. */
	private static final double[] CHANGES = { 0.001, 0.01, 0.1 };

	// A quiet hour's job costs well under a second, and its steps of 15-40 ms move by
	// half from one run to the next on a shared machine (a window's two runs at 1M:
	// 19.4 and 48.2 ms): the nothing-changed round runs at least this many hours, so
	// that its medians stand on more than two. A sample is due after 1, 2, 4 ... hours,
	// so eight hours republish each one two or three times.
	private static final int QUIET_HOURS = 8;

	/**
	 * The crossover rounds: share of contacts changed before a job forced down one path.
	 * Dense around the default threshold (5 %), and far enough past it to see where the
	 * paths cross.
	 */
	private static final double[] CROSSOVER = { 0.005, 0.01, 0.02, 0.05, 0.1, 0.2 };

	/**
	 * Past this, a job over 200 segments is not repeated: one more run would say little
	 * and cost minutes.
	 */
	private static final Duration SLOW_JOB = Duration.ofSeconds(90);

	/**
	 * A threshold no candidate count reaches, and whose limit + 1 (the evaluator's LIMIT)
	 * cannot overflow.
	 */
	private static final long NEVER = 1_000_000_000_000L;

	private final int contacts;

	private final int importSize;

	private final int repeat;

	private final int crossoverRepeat;

	private final Duration crossoverBudget;

	private final Path out;

	private final List<String> skip = List
		.of(System.getenv().getOrDefault("BENCH_SKIP", "").replace(" ", "").split(",", -1));

	private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS);

	private int hour;

	private ConfigurableApplicationContext context;

	private JdbcClient jdbc;

	private Connection sql;

	private RefreshLauncher launcher;

	private Segments segments;

	private QueryCompiler compiler;

	private final Map<String, String> fieldIds = new LinkedHashMap<>();

	private final Map<String, UUID> lists = new LinkedHashMap<>();

	private final List<Spec> mix = new ArrayList<>();

	/** The mix's segments: name → id, as last created. */
	private final Map<String, UUID> ids = new LinkedHashMap<>();

	/** The hourly job's segments beyond the mix. */
	private final List<UUID> generated = new ArrayList<>();

	private final Report report = new Report();

	private SegmatBenchmark(int contacts, int importSize, int repeat, int crossoverRepeat, Duration crossoverBudget,
			Path out) {
		this.contacts = contacts;
		this.importSize = importSize;
		this.repeat = repeat;
		this.crossoverRepeat = crossoverRepeat;
		this.crossoverBudget = crossoverBudget;
		this.out = out;
	}

	public static void main(String[] args) throws Exception {
		int contacts = Integer.parseInt(System.getenv().getOrDefault("BENCH_CONTACTS", "1000000").replace("_", ""));
		int importSize = Integer.parseInt(System.getenv().getOrDefault("BENCH_IMPORT", "50000").replace("_", ""));
		int repeat = Integer.parseInt(System.getenv().getOrDefault("BENCH_REPEAT", "3"));
		int crossoverRepeat = Integer.parseInt(System.getenv().getOrDefault("BENCH_CROSSOVER_REPEAT", "" + repeat));
		Duration crossoverBudget = Duration
			.ofMinutes(Long.parseLong(System.getenv().getOrDefault("BENCH_CROSSOVER_MINUTES", "20")));
		Path out = Path.of(System.getenv().getOrDefault("BENCH_OUT", "target/bench"));
		new SegmatBenchmark(contacts, Math.max(1, importSize), Math.max(1, repeat), Math.max(1, crossoverRepeat),
				crossoverBudget, out)
			.run();
		// Batch's and Hikari's non-daemon threads must not keep the JVM up once the
		// report is written.
		System.exit(0);
	}

	private void run() throws Exception {
		long started = System.nanoTime();
		Path work = Files.createTempDirectory("segmat-bench");
		try (HeapWatch heap = new HeapWatch(); EmbeddedPostgres pg = postgres()) {
			this.context = startContext(pg, "segmat", Map.of());
			this.jdbc = this.context.getBean(JdbcClient.class);
			this.launcher = this.context.getBean(RefreshLauncher.class);
			this.segments = this.context.getBean(Segments.class);
			this.compiler = this.context.getBean(QueryCompiler.class);
			try {
				this.sql = this.context.getBean(DataSource.class).getConnection();
				this.sql.setAutoCommit(true);
				machine(heap);
				load(work);
				defineMix();
				firstMaterialization();
				if (!this.skip.contains("fresh")) {
					freshProcess(pg);
				}
				if (!this.skip.contains("changes")) {
					baselineViews();
					nothingChanged();
					for (double share : CHANGES) {
						changed(share);
					}
				}
				if (!this.skip.contains("shapes")) {
					documentedShapes();
				}
				if (!this.skip.contains("hourly")) {
					hourlyJob();
				}
				// Read before the crossover: its two extra application contexts are the
				// bench's, not the product's.
				heap(heap);
				if (!this.skip.contains("crossover")) {
					crossover(pg);
				}
				if (!this.skip.contains("feed")) {
					feedCost(pg);
				}
			}
			finally {
				if (this.sql != null) {
					this.sql.close();
				}
				this.context.close();
			}
		}
		finally {
			deleteQuietly(work);
		}
		this.report.note("bench wall time " + Sample.format((System.nanoTime() - started) / 1e9) + " s");
		this.report.write(this.out);
		System.out.println(this.report.markdown());
		System.out.println("written: " + this.out.resolve("bench.md") + ", " + this.out.resolve("bench.json"));
	}

	/**
	 * A fresh embedded server with the product's embedded server settings, since the
	 * bench measures the product; {@code BENCH_PG_SETTINGS} (name=value, comma separated)
	 * adds or overrides server settings, e.g. {@code log_min_duration_statement=0} for a
	 * profile. Durability stays the embedded library's (no fsync), as in every earlier
	 * report; {@code BENCH_PG_SETTINGS=fsync=on,synchronous_commit=on} measures the
	 * product's.
	 */
	private static EmbeddedPostgres postgres() throws IOException {
		EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60));
		Database.EMBEDDED_SERVER_SETTINGS.forEach(builder::setServerConfig);
		for (String setting : System.getenv().getOrDefault("BENCH_PG_SETTINGS", "").split(",", -1)) {
			if (setting.contains("=")) {
				builder.setServerConfig(setting.substring(0, setting.indexOf('=')).trim(),
						setting.substring(setting.indexOf('=') + 1).trim());
			}
		}
		return builder.start();
	}

	/**
	 * The product's application on the bench's database; {@code overrides} win over its
	 * settings.
	 */
	private static ConfigurableApplicationContext startContext(EmbeddedPostgres pg, String poolName,
			Map<String, Object> overrides) {
		SpringApplication application = new SpringApplication(SegmatApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		Map<String, Object> properties = new HashMap<>();
		properties.put("spring.datasource.url", pg.getJdbcUrl("postgres", "postgres"));
		properties.put("spring.datasource.username", "postgres");
		properties.put("spring.datasource.hikari.pool-name", poolName);
		// A log line per step would cost more than some of the steps measured.
		properties.put("logging.level.io.segmat", "WARN");
		application.setDefaultProperties(properties);
		// Default properties rank below application.properties; command-line arguments
		// rank above it.
		String[] args = overrides.entrySet()
			.stream()
			.map((e) -> "--" + e.getKey() + "=" + e.getValue())
			.toArray(String[]::new);
		return application.run(args);
	}

	private void machine(HeapWatch heap) {
		Map<String, Object> machine = new LinkedHashMap<>();
		machine.put("cores", Runtime.getRuntime().availableProcessors());
		machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
		machine.put("jvm_args", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
		machine.put("max_heap_mb", HeapWatch.maxHeap() / (1024 * 1024));
		machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
				+ System.getProperty("os.arch"));
		machine.put("postgresql", this.jdbc.sql("SELECT version()").query(String.class).single());
		machine.put("pg_settings", this.jdbc.sql("""
				SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) FROM pg_settings
				WHERE name IN ('shared_buffers', 'work_mem', 'max_wal_size', 'synchronous_commit', 'fsync', 'wal_level',
				               'max_parallel_workers_per_gather', 'effective_cache_size', 'jit')
				""").query(String.class).single());
		machine.put("contacts", this.contacts);
		machine.put("contacts_imported_through_the_job", Math.min(this.contacts, this.importSize));
		machine.put("repeat", this.repeat);
		machine.put("started", Instant.now().toString());
		this.report.machine(machine);
	}

	// ---------------------------------------------------------------- data

	private void load(Path work) throws IOException, SQLException {
		CustomFieldDefinitions fields = this.context.getBean(CustomFieldDefinitions.class);
		BenchData.FIELDS.forEach((name, type) -> this.fieldIds.put(name, fields.create(name, type).id()));
		ContactLists contactLists = this.context.getBean(ContactLists.class);
		for (String name : BenchData.LISTS) {
			this.lists.put(name, contactLists.create(name).id());
		}
		// The import job is measured on a file of up to BENCH_IMPORT contacts; the rest
		// of the base is cloned from
		// those rows in SQL, so every value keeps exactly the form the importer stores.
		int imported = Math.min(this.contacts, this.importSize);
		Path file = work.resolve("contacts.ndjson");
		long t = System.nanoTime();
		BenchData.writeContacts(file, imported, this.t0, this.lists);
		log("wrote %,d contacts (%,d MB) in %.1f s", imported, Files.size(file) / (1024 * 1024), secondsSince(t));

		t = System.nanoTime();
		ImportReport report = this.context.getBean(ContactImporter.class).importFile(file, null);
		double seconds = secondsSince(t);
		if (!report.completed() || report.imported() != imported) {
			throw new IllegalStateException("contact import did not complete: " + report);
		}
		double rate = imported / seconds;
		log("imported %,d contacts in %.1f s: %,.0f contacts/s", imported, seconds, rate);
		this.report.importRate(imported, seconds, rate, Files.size(file));
		Files.delete(file);
		if (this.contacts > imported) {
			t = System.nanoTime();
			cloneContacts(imported);
			log("cloned %,d more contacts in SQL in %.1f s", this.contacts - imported, secondsSince(t));
		}

		t = System.nanoTime();
		execute("SELECT setseed(0.42)");
		long events;
		try (PreparedStatement insert = this.sql.prepareStatement(BenchData.EVENTS)) {
			insert.setObject(1, this.t0.atOffset(java.time.ZoneOffset.UTC));
			events = insert.executeUpdate();
		}
		// The scenario's events are weeks old, long vacuumed by autovacuum on a real
		// server: every page all-visible, so that index-only scans need no heap fetch.
		List<String> visible = new ArrayList<>();
		for (String table : List.of("contact", "email_event", "contact_last_event", "list_member")) {
			visible.add(table + " " + vacuumUntilAllVisible(table));
		}
		log("generated %,d events in %.1f s", events, secondsSince(t));
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("contacts", this.contacts);
		data.put("events", events);
		data.put("all_visible_pages_after_setup", String.join(", ", visible));
		data.put("events_by_type", this.jdbc.sql(
				"SELECT string_agg(event_type || ' ' || n, ', ' ORDER BY n DESC) FROM (SELECT event_type, count(*) n FROM email_event GROUP BY 1) x")
			.query(String.class)
			.single());
		data.put("contacts_without_events", this.jdbc.sql(
				"SELECT count(*) FROM contact c WHERE NOT EXISTS (SELECT 1 FROM email_event e WHERE e.contact_key = c.contact_key)")
			.query(Long.class)
			.single());
		data.put("database_size",
				this.jdbc.sql("SELECT pg_size_pretty(pg_database_size(current_database()))")
					.query(String.class)
					.single());
		this.report.data(data);
	}

	/**
	 * Fills the base up to BENCH_CONTACTS by copying imported contacts (round robin) with
	 * a new id and email and a re-rolled score, and their list memberships. Columns are
	 * read from the catalog so that a column added to contact is copied too.
	 */
	private void cloneContacts(int imported) throws SQLException {
		String columns = this.jdbc
			.sql("""
					SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) FROM information_schema.columns
					WHERE table_schema = current_schema() AND table_name = 'contact'
					  AND column_name NOT IN ('contact_key', 'id', 'email', 'custom_fields', 'change_seq')
					""")
			.query(String.class)
			.single();
		String source = columns.replaceAll("([a-z_0-9]+)", "s.$1");
		execute("SELECT setseed(0.17)");
		execute("CREATE TEMP TABLE bench_clone AS SELECT g AS n, 1 + (g - 1) % " + imported + " AS src "
				+ "FROM generate_series(" + (imported + 1) + ", " + this.contacts + ") g");
		try (PreparedStatement insert = this.sql
			.prepareStatement("INSERT INTO contact (id, email, custom_fields, change_seq, " + columns
					+ ") SELECT gen_random_uuid(), 'k' || b.n || '.' || s.email, "
					+ "s.custom_fields || jsonb_build_object(?::text, floor(random() * 1000)::int), nextval('change_seq'), "
					+ source + " FROM bench_clone b JOIN contact s ON s.contact_key = b.src ORDER BY b.n")) {
			insert.setString(1, this.fieldIds.get("score"));
			insert.executeUpdate();
		}
		execute("""
				INSERT INTO list_member (list_id, contact_key)
				SELECT lm.list_id, c.contact_key
				FROM bench_clone b JOIN contact s ON s.contact_key = b.src
				JOIN list_member lm ON lm.contact_key = s.contact_key
				JOIN contact c ON c.email = 'k' || b.n || '.' || s.email
				""");
		execute("DROP TABLE bench_clone");
	}

	// ---------------------------------------------------------------- the segment mix

	/**
	 * The mix, each segment with the plainest correct SQL an expert would write for it by
	 * hand ({@code :at} stands for the evaluation instant): the second baseline, which a
	 * slow compiled query cannot hide in.
	 */
	private void defineMix() {
		String select = "SELECT contact_id, updated_at FROM contact_data WHERE ";
		String join = "SELECT c.contact_id, c.updated_at FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id ";
		String plan = "custom_fields->>'" + this.fieldIds.get("plan") + "'";
		this.mix.add(new Spec("attr-selective", "attribute, ~0.5 %", select + "country = 'JP' AND plan = 'enterprise'",
				null, "SELECT contact_key FROM contact WHERE country = 'JP' AND " + plan + " = 'enterprise'"));
		this.mix.add(new Spec("attr-broad-60", "attribute, ~60 %", select + "plan = 'free'", null,
				"SELECT contact_key FROM contact WHERE " + plan + " = 'free'"));
		this.mix.add(new Spec("attr-range", "attribute ranges",
				select + "lifetime_value > 100 AND age BETWEEN 25 AND 44 AND country IN ('US', 'UK', 'CA')", null,
				"SELECT contact_key FROM contact WHERE (custom_fields->>'" + this.fieldIds.get("lifetime_value")
						+ "')::numeric > 100 AND (custom_fields->>'" + this.fieldIds.get("age")
						+ "')::numeric BETWEEN 25 AND 44 AND country IN ('US', 'UK', 'CA')"));
		this.mix.add(new Spec("list-scoped", "parent list", select + "plan = 'pro'", "newsletter",
				"SELECT c.contact_key FROM contact c JOIN list_member l ON l.contact_key = c.contact_key "
						+ "WHERE l.list_id = '" + this.lists.get("newsletter") + "' AND c." + plan + " = 'pro'"));
		this.mix.add(new Spec("in-vip-list", "list membership",
				select + "array_contains(list_ids, ['" + this.lists.get("vip") + "'])", null,
				"SELECT contact_key FROM list_member WHERE list_id = '" + this.lists.get("vip") + "'"));
		this.mix.add(new Spec("opened-30d", "engagement window",
				join + "WHERE e.event_type = 'open' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)", null,
				"SELECT DISTINCT contact_key FROM email_event WHERE event_type = 'open' "
						+ "AND occurred_at > :at - interval '30 days'"));
		this.mix.add(new Spec("clicked-30d", "engagement window",
				join + "WHERE e.event_type = 'click' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)", null,
				"SELECT DISTINCT contact_key FROM email_event WHERE event_type = 'click' "
						+ "AND occurred_at > :at - interval '30 days'"));
		// The spec's engaged-30d: a window over two event types, whose events no index
		// returns together in time order
		this.mix.add(new Spec("engaged-30d", "window, two types",
				join + "WHERE (e.event_type = 'open' OR e.event_type = 'click') "
						+ "AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)",
				null, "SELECT DISTINCT contact_key FROM email_event WHERE event_type IN ('open', 'click') "
						+ "AND occurred_at > :at - interval '30 days'"));
		this.mix.add(new Spec("never-opened", "NOT IN subquery",
				select + "contact_id NOT IN (SELECT contact_id FROM event_data WHERE event_type = 'open')", null,
				"SELECT contact_key FROM contact c WHERE NOT EXISTS "
						+ "(SELECT 1 FROM email_event e WHERE e.contact_key = c.contact_key AND e.event_type = 'open')"));
		// The issue's "never opened in 90 days": a window inside a NOT IN subquery, whose
		// edge the oldest events cross every hour
		this.mix.add(new Spec("never-opened-90d", "NOT IN window",
				select + "contact_id NOT IN (SELECT contact_id FROM event_data WHERE event_type = 'open' "
						+ "AND timestamp > timestampadd(day, -90, CURRENT_TIMESTAMP))",
				null, "SELECT contact_key FROM contact c WHERE NOT EXISTS (SELECT 1 FROM email_event e WHERE "
						+ "e.contact_key = c.contact_key AND e.event_type = 'open' AND e.occurred_at > :at - interval '90 days')"));
		this.mix.add(new Spec("frequent-openers", "GROUP BY/HAVING",
				join + "WHERE e.event_type = 'open' GROUP BY c.contact_id, c.updated_at HAVING COUNT(*) >= 3", null,
				"SELECT contact_key FROM email_event WHERE event_type = 'open' GROUP BY contact_key HAVING count(*) >= 3"));
	}

	private void createMix() {
		this.ids.clear();
		for (Spec spec : this.mix) {
			this.ids.put(spec.name(), create(spec));
		}
	}

	private UUID create(Spec spec) {
		List<String> parent = (spec.parentList() != null) ? List.of(this.lists.get(spec.parentList()).toString())
				: null;
		return UUID.fromString(this.segments.create(spec.name(), spec.dsl(), parent).id());
	}

	// ---------------------------------------------------------------- measurements

	/**
	 * Each run creates the mix afresh, so every run is a real first materialization. Both
	 * baselines must produce segmat's membership exactly, or the bench stops.
	 */
	private void firstMaterialization() throws SQLException {
		Map<String, Sample> job = samples();
		Map<String, Sample> ctas = samples();
		Map<String, Sample> hand = samples();
		Map<String, Sample> indexed = samples();
		Map<String, Long> members = new LinkedHashMap<>();
		Sample total = new Sample();
		for (int run = 0; run < this.repeat; run++) {
			if (run > 0) {
				this.ids.values().forEach(this.segments::delete);
			}
			createMix();
			Instant at = nextSlot();
			Job result = launch(this.launcher, at, 1);
			total.add(result.ms());
			for (Spec spec : this.mix) {
				job.get(spec.name()).add(result.stepMs(this.ids.get(spec.name())));
				ctas.get(spec.name()).add(ctasMs(spec, inline(compile(spec, at))));
				hand.get(spec.name()).add(ctasMs(spec, spec.handWritten(at)));
				indexed.get(spec.name()).add(indexedTableMs(spec.handWritten(at)));
				members.put(spec.name(), count(spec));
			}
			log("first materialization run %d: %.0f ms", run + 1, result.ms());
		}
		this.report.firstMaterialization(this.mix, members, job, ctas, hand, indexed, total);
	}

	/**
	 * What a membership kept for readers costs at the least, by hand: {@code query} into
	 * a new table, its primary key, the commit; timed. Not a goal's baseline: it shows
	 * how much of segmat's time is that work and how much is segmat's own.
	 */
	private double indexedTableMs(String query) throws SQLException {
		execute("DROP TABLE IF EXISTS bench_indexed");
		long t = System.nanoTime();
		this.sql.setAutoCommit(false);
		try (Statement statement = this.sql.createStatement()) {
			statement.execute("CREATE TABLE bench_indexed AS " + query);
			statement.execute("ALTER TABLE bench_indexed ADD PRIMARY KEY (contact_key)");
			this.sql.commit();
		}
		finally {
			this.sql.setAutoCommit(true);
		}
		double ms = msSince(t);
		execute("DROP TABLE bench_indexed");
		return ms;
	}

	/**
	 * {@code CREATE TABLE AS} of {@code query}, timed; then checks that it holds exactly
	 * the segment's members.
	 */
	private double ctasMs(Spec spec, String query) throws SQLException {
		execute("DROP TABLE IF EXISTS bench_ctas");
		long t = System.nanoTime();
		long rows;
		try (Statement statement = this.sql.createStatement()) {
			rows = statement.executeUpdate("CREATE TEMP TABLE bench_ctas AS " + query);
		}
		double ms = msSince(t);
		long count = count(spec);
		// bench_ctas is a temporary table: only this connection sees it
		long differ;
		try (PreparedStatement compare = this.sql.prepareStatement(
				"""
						SELECT (SELECT count(*) FROM (SELECT contact_key FROM bench_ctas
						                              EXCEPT SELECT contact_key FROM segment_member WHERE segment_key = s.segment_key) a)
						     + (SELECT count(*) FROM (SELECT contact_key FROM segment_member WHERE segment_key = s.segment_key
						                              EXCEPT SELECT contact_key FROM bench_ctas) b)
						FROM segment s WHERE s.id = ?
						""")) {
			compare.setObject(1, this.ids.get(spec.name()));
			try (ResultSet rs = compare.executeQuery()) {
				rs.next();
				differ = rs.getLong(1);
			}
		}
		execute("DROP TABLE bench_ctas");
		if (rows != count || differ != 0) {
			throw new IllegalStateException(spec.name() + ": segmat has " + count + " members, the baseline " + rows
					+ " rows, " + differ + " contacts differ; baseline: " + query);
		}
		return ms;
	}

	/**
	 * The first runs as a CronJob sees them: each {@code segmat refresh} in a fresh JVM.
	 * The mix is created afresh, materialized by one process, refreshed by another an
	 * hour later with nothing changed, and by a third after 0.1 % of contacts changed.
	 */
	private void freshProcess(EmbeddedPostgres pg) throws SQLException, IOException, InterruptedException {
		Map<String, Sample> first = samples();
		Map<String, Sample> unchanged = samples();
		Map<String, Sample> changed = samples();
		Map<String, Sample> hand = samples();
		Map<String, Sample> ctas = samples();
		Sample[] wall = { new Sample(), new Sample(), new Sample() };
		Sample[] job = { new Sample(), new Sample(), new Sample() };
		Launcher fresh = freshLauncher();
		for (int run = 0; run < this.repeat; run++) {
			this.ids.values().forEach(this.segments::delete);
			createMix();
			Instant firstAt = nextSlot();
			Job[] jobs = new Job[3];
			jobs[0] = cli(pg, fresh, firstAt);
			jobs[1] = cli(pg, fresh, nextSlot());
			Instant at = nextSlot();
			change(0.001, at);
			jobs[2] = cli(pg, fresh, at);
			for (int i = 0; i < 3; i++) {
				wall[i].add(jobs[i].ms());
				job[i].add(jobs[i].jobMs());
			}
			for (Spec spec : this.mix) {
				UUID id = this.ids.get(spec.name());
				first.get(spec.name()).add(jobs[0].stepMs(id));
				unchanged.get(spec.name()).add(jobs[1].steps().getOrDefault(id, 0.0));
				changed.get(spec.name()).add(jobs[2].steps().getOrDefault(id, 0.0));
				hand.get(spec.name()).add(ctasMs(spec, spec.handWritten(at)));
				ctas.get(spec.name()).add(ctasMs(spec, inline(compile(spec, at))));
			}
			log("fresh process run %d: first %.0f ms, unchanged %.0f ms, 0.1 %% changed %.0f ms (process wall)",
					run + 1, jobs[0].ms(), jobs[1].ms(), jobs[2].ms());
		}
		this.report.freshProcess(this.mix, clockSegments(), first, unchanged, changed, hand, ctas, wall, job,
				fresh.description());
	}

	/**
	 * The view baselines over the same compiled predicate, literals inlined (a
	 * materialized view takes no parameters). The shadow membership table bench_member
	 * holds what a full difference refresh keeps, so later rounds can time one against
	 * the same starting point.
	 */
	private void baselineViews() throws SQLException {
		Map<String, Sample> refresh = samples();
		Map<String, Sample> concurrently = samples();
		Instant at = currentSlot();
		execute("DROP TABLE IF EXISTS bench_member");
		execute("CREATE TABLE bench_member (segment_key integer NOT NULL, contact_key bigint NOT NULL, "
				+ "PRIMARY KEY (segment_key, contact_key))");
		int k = 0;
		for (Spec spec : this.mix) {
			String view = view(spec);
			String inlined = inline(compile(spec, at));
			execute("CREATE MATERIALIZED VIEW " + view + " AS " + inlined + " WITH NO DATA");
			for (int run = 0; run < this.repeat; run++) {
				long t = System.nanoTime();
				execute("REFRESH MATERIALIZED VIEW " + view);
				refresh.get(spec.name()).add(msSince(t));
			}
			execute("CREATE UNIQUE INDEX ON " + view + " (contact_key)");
			for (int run = 0; run < this.repeat; run++) {
				long t = System.nanoTime();
				execute("REFRESH MATERIALIZED VIEW CONCURRENTLY " + view);
				concurrently.get(spec.name()).add(msSince(t));
			}
			execute("INSERT INTO bench_member SELECT " + k++ + ", contact_key FROM (" + inlined + ") q ORDER BY 2");
		}
		execute("VACUUM ANALYZE bench_member");
		this.report.views(this.mix, refresh, concurrently);
	}

	private void nothingChanged() {
		Map<String, Sample> step = samples();
		Map<String, Sample> share = samples();
		Map<String, Map<String, Integer>> work = new LinkedHashMap<>();
		Sample total = new Sample();
		long[] before = contactScans();
		int runs = Math.max(this.repeat, QUIET_HOURS);
		for (int run = 0; run < runs; run++) {
			Job result = launch(this.launcher, nextSlot(), 1);
			total.add(result.ms());
			double overhead = Math.max(0, result.ms() - result.stepsMs()) / this.mix.size();
			for (Spec spec : this.mix) {
				UUID id = this.ids.get(spec.name());
				double ms = result.steps().containsKey(id) ? result.stepMs(id) : 0;
				step.get(spec.name()).add(ms);
				share.get(spec.name()).add(ms + overhead);
				work.computeIfAbsent(spec.name(), (name) -> new LinkedHashMap<>())
					.merge(result.work(id), 1, Integer::sum);
			}
			log("nothing changed run %d: %.0f ms", run + 1, result.ms());
		}
		long[] after = contactScans();
		// "sample republished in 3 of 8 runs, not due in 5 of 8 runs": one line, whatever
		// the number of runs
		Map<String, String> did = new LinkedHashMap<>();
		work.forEach((name, counts) -> did.put(name,
				counts.entrySet()
					.stream()
					.map((entry) -> (entry.getValue() == runs) ? entry.getKey()
							: entry.getKey() + " in " + entry.getValue() + " of " + runs + " runs")
					.collect(Collectors.joining(", "))));
		this.report.nothingChanged(this.mix, clockSegments(), did, step, share, total, after[0] - before[0],
				after[1] - before[1]);
	}

	private void changed(double shareOfContacts) throws SQLException {
		Map<String, Sample> job = samples();
		Map<String, Sample> diff = samples();
		Map<String, Sample> concurrently = samples();
		Map<String, Sample> moved = samples();
		Sample total = new Sample();
		Sample changedContacts = new Sample();
		for (int run = 0; run < this.repeat; run++) {
			Instant at = nextSlot();
			changedContacts.add(change(shareOfContacts, at));
			Job result = launch(this.launcher, at, 1);
			total.add(result.ms());
			Map<UUID, Long> entered = movement(result.executionId());
			int k = 0;
			for (Spec spec : this.mix) {
				UUID id = this.ids.get(spec.name());
				job.get(spec.name()).add(result.steps().containsKey(id) ? result.stepMs(id) : 0);
				moved.get(spec.name()).add(entered.getOrDefault(id, 0L));
				diff.get(spec.name()).add(fullDifference(k++, inline(compile(spec, at))));
				long t = System.nanoTime();
				execute("REFRESH MATERIALIZED VIEW CONCURRENTLY " + view(spec));
				concurrently.get(spec.name()).add(msSince(t));
			}
			log("%.1f %% changed run %d: job %.0f ms", shareOfContacts * 100, run + 1, result.ms());
		}
		this.report.changed(shareOfContacts, changedContacts, this.mix, moved, job, diff, concurrently, total);
	}

	/**
	 * The query shapes users write (the spec's examples and the fixture's queries),
	 * beside the mix: each one's step at its first materialization, an hour later with
	 * nothing changed, and after 0.1 % of contacts changed. A shape whose unchanged or
	 * 0.1 % step stands out is one the mix does not cover. The segments are deleted
	 * afterwards.
	 */
	private void documentedShapes() throws IOException, SQLException {
		List<String> queries = new ArrayList<>();
		try (InputStream in = SegmatBenchmark.class.getResourceAsStream("documented-shapes.txt")) {
			for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
				if (line.isBlank() || line.startsWith("#")) {
					continue;
				}
				String query = line.strip();
				for (String list : BenchData.LISTS) {
					query = query.replace("{{list:" + list + "}}", this.lists.get(list).toString());
				}
				queries.add(query);
			}
		}
		Map<UUID, String> shapes = new LinkedHashMap<>();
		for (int i = 0; i < queries.size(); i++) {
			shapes.put(create(new Spec("shape-" + i, "documented", queries.get(i), null)), queries.get(i));
		}
		Job first = launch(this.launcher, nextSlot(), 1);
		Job quiet = launch(this.launcher, nextSlot(), 1);
		Instant at = nextSlot();
		change(0.001, at);
		Job changed = launch(this.launcher, at, 1);
		Map<UUID, Long> members = new HashMap<>();
		this.jdbc.sql("SELECT id, contacts_count FROM segment WHERE name LIKE 'shape-%'")
			.query((rs, n) -> members.put(rs.getObject(1, UUID.class), rs.getLong(2)))
			.list();
		List<Report.Shape> rows = new ArrayList<>();
		shapes.forEach((id, query) -> rows.add(new Report.Shape(query, members.getOrDefault(id, 0L),
				first.steps().get(id), quiet.steps().get(id), changed.steps().get(id), changed.modes().get(id))));
		this.report.shapes(rows);
		shapes.keySet().forEach(this.segments::delete);
		log("documented shapes: %d segments, steps unchanged %s / 0.1 %% changed %s ms at most", rows.size(),
				slowest(rows, Report.Shape::unchangedMs), slowest(rows, Report.Shape::changedMs));
	}

	private static String slowest(List<Report.Shape> rows, Function<Report.Shape, Double> step) {
		return rows.stream()
			.map(step)
			.filter(Objects::nonNull)
			.max(Double::compare)
			.map((ms) -> String.format("%.1f", ms))
			.orElse("-");
	}

	/**
	 * The 200-segment hourly job: the mix plus segments of the same shapes with other
	 * parameters, up to the account's limit, run with the default thread count after 0.1
	 * % of contacts changed.
	 */
	private void hourlyJob() throws SQLException {
		int limit = this.context.getEnvironment().getProperty("segmat.segments.max-segments", Integer.class, 200);
		List<Spec> extra = generatedSegments(limit - this.mix.size());
		for (Spec spec : extra) {
			this.generated.add(create(spec));
		}
		Job first = launch(this.launcher, nextSlot(), null);
		log("first materialization of %d more segments: %.0f ms", extra.size(), first.ms());
		Sample unchanged = new Sample();
		Job quiet = launch(this.launcher, nextSlot(), null);
		unchanged.add(quiet.ms());
		Sample total = new Sample();
		Sample evaluated = new Sample();
		for (int run = 0; run < this.repeat; run++) {
			Instant at = nextSlot();
			change(0.001, at);
			Job result = launch(this.launcher, at, null);
			total.add(result.ms());
			evaluated.add(result.steps().size());
			log("200-segment job at 0.1 %% changed, run %d: %.0f ms (%d steps)", run + 1, result.ms(),
					result.steps().size());
			if (result.ms() > SLOW_JOB.toMillis()) {
				break;
			}
		}
		int segmentCount = this.jdbc.sql("SELECT count(*) FROM segment").query(Integer.class).single();
		int threads = this.context.getEnvironment().getProperty("segmat.refresh.threads", Integer.class, 2);
		this.report.hourlyJob(segmentCount, threads, first.ms(), unchanged, total, evaluated);
	}

	private List<Spec> generatedSegments(int count) {
		String select = "SELECT contact_id, updated_at FROM contact_data WHERE ";
		String join = "SELECT c.contact_id, c.updated_at FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id ";
		String[] plans = { "free", "pro", "enterprise" };
		String[] types = { "open", "click" };
		int[] days = { 7, 14, 30, 60, 90 };
		List<Spec> specs = new ArrayList<>();
		for (int i = 0; specs.size() < count; i++) {
			String name = "gen-" + i;
			String country = BenchData.COUNTRIES[i % BenchData.COUNTRIES.length];
			int score = 50 + (i * 37) % 900;
			Spec spec = switch (i % 9) {
				case 0 -> new Spec(name, "attribute", select + "score < " + score, null);
				case 1 ->
					new Spec(name, "attribute", select + "country = '" + country + "' AND score >= " + score, null);
				case 2 ->
					new Spec(name, "attribute", select + "plan = '" + plans[i % 3] + "' AND score < " + score, null);
				case 3 -> new Spec(name, "parent list", select + "score >= " + score,
						BenchData.LISTS[i % BenchData.LISTS.length]);
				case 4 -> new Spec(name, "list membership", select + "array_contains(list_ids, ['"
						+ this.lists.get(BenchData.LISTS[i % BenchData.LISTS.length]) + "']) AND score < " + score,
						null);
				case 5 -> new Spec(name, "engagement window", join + "WHERE e.event_type = '" + types[i % 2]
						+ "' AND e.timestamp > timestampadd(day, -" + days[i % days.length] + ", CURRENT_TIMESTAMP)",
						null);
				case 6 ->
					new Spec(name, "NOT IN subquery", select + "contact_id NOT IN (SELECT contact_id FROM event_data "
							+ "WHERE event_type = '" + types[i % 2] + "') AND score < " + score, null);
				case 7 -> new Spec(name, "GROUP BY/HAVING", join + "WHERE e.event_type = '" + types[i % 2]
						+ "' GROUP BY c.contact_id, c.updated_at HAVING COUNT(*) >= " + (2 + i % 5), null);
				default -> new Spec(name, "attribute",
						select + "lifetime_value > " + (score / 3) + " AND age < " + (25 + i % 50), null);
			};
			specs.add(spec);
		}
		return specs;
	}

	/**
	 * Where the incremental path stops paying: for each share of contacts changed, the
	 * mix's partition steps with the evaluator forced down one path, then the other. Each
	 * path runs in its own application context on this database with thresholds that
	 * leave it no choice; the launcher's advisory lock keeps the contexts' runs apart, as
	 * it would keep two machines'. Runs last, on the mix alone: the hourly job's extra
	 * segments would otherwise be evaluated by every job here, and a dozen rounds of
	 * change would leave the earlier sections measuring another base.
	 */
	private void crossover(EmbeddedPostgres pg) throws SQLException {
		long t = System.nanoTime();
		this.generated.forEach(this.segments::delete);
		log("deleted the %d segments beyond the mix in %.1f s", this.generated.size(), secondsSince(t));
		Map<Double, CrossoverRound> rounds = new LinkedHashMap<>();
		for (double share : CROSSOVER) {
			rounds.put(share, new CrossoverRound(share, this.mix));
		}
		try (ConfigurableApplicationContext full = startContext(pg, "segmat-full",
				Map.of("segmat.refresh.incremental-max-fraction", 0, "segmat.refresh.incremental-minimum", 0));
				ConfigurableApplicationContext incremental = startContext(pg, "segmat-incremental", Map
					.of("segmat.refresh.incremental-max-fraction", 1, "segmat.refresh.incremental-minimum", NEVER))) {
			List<Forced> paths = List.of(new Forced(CrossoverRound.FULL, full.getBean(RefreshLauncher.class)),
					new Forced(CrossoverRound.INCREMENTAL, incremental.getBean(RefreshLauncher.class)));
			// Runs outermost: a burst of load from the machine's other tenants then
			// spoils one run of several
			// shares, which the medians drop, rather than every run of one share. And a
			// budget cut, at 1M contacts,
			// leaves every share with the same number of runs.
			long started = System.nanoTime();
			int passes = 0;
			while (passes < this.crossoverRepeat && (passes == 0
					|| secondsSince(started) / passes * (passes + 1) <= this.crossoverBudget.toSeconds())) {
				for (CrossoverRound round : rounds.values()) {
					crossoverRun(round, paths, passes);
				}
				passes++;
			}
			log("crossover: %d of %d runs in %.0f s", passes, this.crossoverRepeat, secondsSince(started));
			if (passes < this.crossoverRepeat) {
				this.report.note(String.format("crossover: %d of %d runs a share, the most that fit in %d minutes",
						passes, this.crossoverRepeat, this.crossoverBudget.toMinutes()));
			}
		}
		RefreshSettings defaults = this.context.getBean(RefreshSettings.class);
		this.report.crossoverSetup(this.crossoverRepeat, this.crossoverBudget, defaults.incrementalMaxFraction(),
				defaults.incrementalMinimum());
		rounds.values().forEach(this.report::crossover);
	}

	/** One run of each path at the round's share. */
	private void crossoverRun(CrossoverRound round, List<Forced> paths, int run) throws SQLException {
		// Off the clock: every run starts from a vacuumed base, not from the dead rows of
		// the runs before.
		execute("VACUUM ANALYZE contact");
		execute("VACUUM ANALYZE list_member");
		execute("VACUUM ANALYZE segment_member");
		// Alternating which path goes first keeps a warmer cache or a later autovacuum
		// from favouring one.
		List<Forced> order = new ArrayList<>(paths);
		if (run % 2 == 1) {
			Collections.reverse(order);
		}
		for (Forced path : order) {
			Instant at = nextSlot();
			long changed = change(round.share(), at, true);
			Job result = launch(path.launcher(), at, 1);
			double sum = round.add(path.mode(), changed, result, this.ids);
			log("%.1f %% changed, %s forced, run %d: mix steps %.0f ms, job %.0f ms", round.share() * 100, path.mode(),
					run + 1, sum, result.ms());
		}
	}

	private void heap(HeapWatch heap) {
		this.report.heap(heap.afterGcPeak(), heap.sampledPeak(), heap.poolPeaks(), HeapWatch.maxHeap(),
				heap.collections());
	}

	// ---------------------------------------------------------------- change feed

	/**
	 * What the change feed costs the refresh: the mix's first materialization, and the
	 * job after 0.1 % of contacts changed, each with the feed on and with it off (a
	 * second context with segmat.changes.enabled=false), alternating which goes first.
	 * Sums of the mix's steps, medians of the runs.
	 */
	private void feedCost(EmbeddedPostgres pg) throws SQLException {
		Map<String, Sample> first = new LinkedHashMap<>();
		Map<String, Sample> largest = new LinkedHashMap<>();
		Map<String, Sample> changed = new LinkedHashMap<>();
		try (ConfigurableApplicationContext off = startContext(pg, "segmat-nofeed",
				Map.of("segmat.changes.enabled", false))) {
			List<Forced> feeds = List.of(new Forced("on", this.launcher),
					new Forced("off", off.getBean(RefreshLauncher.class)));
			for (Forced feed : feeds) {
				first.put(feed.mode(), new Sample());
				largest.put(feed.mode(), new Sample());
				changed.put(feed.mode(), new Sample());
			}
			for (int run = 0; run < this.repeat; run++) {
				List<Forced> order = new ArrayList<>(feeds);
				if (run % 2 == 1) {
					Collections.reverse(order);
				}
				for (Forced feed : order) {
					this.ids.values().forEach(this.segments::delete);
					execute("VACUUM ANALYZE segment_member");
					createMix();
					Job load = launch(feed.launcher(), nextSlot(), 1);
					first.get(feed.mode()).add(mixSteps(load));
					largest.get(feed.mode())
						.add(this.mix.stream()
							.mapToDouble((spec) -> load.stepMs(this.ids.get(spec.name())))
							.max()
							.orElse(0));
					Instant at = nextSlot();
					change(0.001, at);
					Job after = launch(feed.launcher(), at, 1);
					changed.get(feed.mode()).add(mixSteps(after));
					log("feed %s run %d: first materialization %.0f ms, 0.1 %% changed %.0f ms", feed.mode(), run + 1,
							mixSteps(load), mixSteps(after));
				}
			}
		}
		long rows = this.jdbc.sql("SELECT count(*) FROM segment_change").query(Long.class).single();
		String bytes = this.jdbc.sql("SELECT pg_size_pretty(pg_total_relation_size('segment_change'))")
			.query(String.class)
			.single();
		this.report.note(String.format(
				"change feed, first materialization of the mix (sum of its steps): on %s ms, off %s ms, %.2fx;"
						+ " its largest segment: on %s ms, off %s ms, %.2fx",
				Sample.format(first.get("on").median()), Sample.format(first.get("off").median()),
				first.get("on").median() / first.get("off").median(), Sample.format(largest.get("on").median()),
				Sample.format(largest.get("off").median()), largest.get("on").median() / largest.get("off").median()));
		this.report.note(String.format(
				"change feed, 0.1 %% of contacts changed (sum of the mix's steps): on %s ms, off %s ms, %.2fx;"
						+ " segment_change holds %d rows (%s) after %d runs",
				Sample.format(changed.get("on").median()), Sample.format(changed.get("off").median()),
				changed.get("on").median() / changed.get("off").median(), rows, bytes, this.repeat));
	}

	private double mixSteps(Job job) {
		return this.mix.stream().mapToDouble((spec) -> job.steps().getOrDefault(this.ids.get(spec.name()), 0.0)).sum();
	}

	// ---------------------------------------------------------------- helpers

	/**
	 * Updates about {@code share} of the contacts the way an import would: plan, score
	 * and country re-rolled (so attribute segments gain and lose members), a fifth of
	 * them added to the vip list; each gets a new change number. Returns how many
	 * contacts changed.
	 */
	private long change(double share, Instant at) throws SQLException {
		return change(share, at, false);
	}

	/**
	 * {@link #change(double, Instant)}, or with {@code stationary} the same update drawn
	 * from the base's own distributions: country with the import's weights, vip
	 * membership re-rolled at the import's rate. The crossover changes several times the
	 * whole base; with the plain change the vip list would grow several-fold and every
	 * country would end equally big, so later rounds would measure other segments than
	 * earlier ones.
	 */
	private long change(double share, Instant at, boolean stationary) throws SQLException {
		String[] countries = stationary ? BenchData.weightedCountries() : BenchData.COUNTRIES;
		long wanted = Math.max(1, Math.round(this.contacts * share));
		execute("DROP TABLE IF EXISTS bench_picked");
		execute("CREATE TEMP TABLE bench_picked AS SELECT DISTINCT (1 + floor(random() * (SELECT max(contact_key) FROM contact)))::bigint AS k "
				+ "FROM generate_series(1, " + wanted + ")");
		long changed;
		try (PreparedStatement update = this.sql.prepareStatement(
				"""
						UPDATE contact c SET
						    custom_fields = c.custom_fields || jsonb_build_object(
						        ?::text, (ARRAY['free', 'free', 'free', 'free', 'free', 'free', 'pro', 'pro', 'pro', 'enterprise'])[1 + floor(random() * 10)::int],
						        ?::text, floor(random() * 1000)::int),
						    country = (?::text[])[1 + floor(random() * ?)::int],
						    updated_at = ?, change_seq = nextval('change_seq')
						FROM bench_picked p WHERE c.contact_key = p.k
						""")) {
			update.setString(1, this.fieldIds.get("plan"));
			update.setString(2, this.fieldIds.get("score"));
			update.setObject(3, countries);
			update.setInt(4, countries.length);
			update.setTimestamp(5, Timestamp.from(at));
			changed = update.executeUpdate();
		}
		if (stationary) {
			try (PreparedStatement leave = this.sql.prepareStatement(
					"DELETE FROM list_member WHERE list_id = ? AND contact_key IN (SELECT k FROM bench_picked)")) {
				leave.setObject(1, this.lists.get("vip"));
				leave.executeUpdate();
			}
		}
		try (PreparedStatement join = this.sql.prepareStatement(
				"INSERT INTO list_member (list_id, contact_key) SELECT ?, k FROM bench_picked WHERE random() < ? "
						+ "AND EXISTS (SELECT 1 FROM contact WHERE contact_key = k) ON CONFLICT DO NOTHING")) {
			join.setObject(1, this.lists.get("vip"));
			join.setDouble(2, stationary ? BenchData.VIP_SHARE : 0.2);
			join.executeUpdate();
		}
		execute("DROP TABLE bench_picked");
		return changed;
	}

	/**
	 * A full difference refresh, the classic way: a temp new-set, then delete the gone
	 * and insert the new.
	 */
	private double fullDifference(int segmentKey, String inlined) throws SQLException {
		long t = System.nanoTime();
		this.sql.setAutoCommit(false);
		try (Statement statement = this.sql.createStatement()) {
			statement.execute("CREATE TEMP TABLE bench_fresh ON COMMIT DROP AS " + inlined);
			statement.execute("ANALYZE bench_fresh");
			statement.execute("DELETE FROM bench_member m WHERE m.segment_key = " + segmentKey
					+ " AND NOT EXISTS (SELECT 1 FROM bench_fresh f WHERE f.contact_key = m.contact_key)");
			statement.execute("INSERT INTO bench_member (segment_key, contact_key) SELECT " + segmentKey
					+ ", f.contact_key FROM bench_fresh f WHERE NOT EXISTS (SELECT 1 FROM bench_member m WHERE m.segment_key = "
					+ segmentKey + " AND m.contact_key = f.contact_key) ORDER BY 2");
			this.sql.commit();
		}
		catch (SQLException ex) {
			this.sql.rollback();
			throw ex;
		}
		finally {
			this.sql.setAutoCommit(true);
		}
		return msSince(t);
	}

	private Job launch(RefreshLauncher launcher, Instant at, Integer threads) {
		long t = System.nanoTime();
		RefreshRun run = launcher.launch(at.toString(), at.toString(), threads);
		double ms = msSince(t);
		if (run.outcome() != RefreshRun.Outcome.COMPLETED) {
			throw new IllegalStateException(
					"refresh at " + at + " ended " + run.outcome() + ": " + run.message() + " " + run.failedSegments());
		}
		return job(run.executionId(), at, ms);
	}

	/**
	 * {@code segmat refresh} in a fresh JVM, as a CronJob runs it: the product's own
	 * entry point on the bench's classpath and database. The job's figures come from
	 * Batch's tables; {@code ms} is the process's wall time.
	 */
	private Job cli(EmbeddedPostgres pg, Launcher fresh, Instant at) throws IOException, InterruptedException {
		Path log = this.out.resolve("fresh-process.log");
		Files.createDirectories(this.out);
		List<String> command = new ArrayList<>(fresh.command());
		command.addAll(List.of("refresh", "--db-url", pg.getJdbcUrl("postgres", "postgres"), "--db-user", "postgres",
				"--slot", at.toString(), "--as-of", at.toString(), "--threads", "1"));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().put("SEGMAT_JAVA_OPTS", "-Xmx1g");
		builder.redirectErrorStream(true);
		builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		long t = System.nanoTime();
		int exit = builder.start().waitFor();
		double ms = msSince(t);
		if (exit != 0) {
			throw new IllegalStateException("segmat refresh at " + at + " exited " + exit + "; see " + log);
		}
		long executionId = this.jdbc.sql("SELECT max(job_execution_id) FROM batch_job_execution")
			.query(Long.class)
			.single();
		return job(executionId, at, ms);
	}

	/**
	 * How a fresh process starts segmat: as a CronJob does, with {@code bin/segmat} (the
	 * extracted jar and its class data sharing archive, {@code make build}), when they
	 * hold the code under test; else from the test classpath, which starts slower.
	 */
	static Launcher freshLauncher() throws IOException {
		Path script = Path.of("bin/segmat");
		Path jar = Path.of("target/segmat.jar");
		Path archive = Path.of("target/segmat-app/segmat.jsa");
		if (Files.isExecutable(script) && Files.isRegularFile(jar) && Files.isRegularFile(archive)
				&& !Files.getLastModifiedTime(archive).toInstant().isBefore(Files.getLastModifiedTime(jar).toInstant())
				&& !Files.getLastModifiedTime(jar).toInstant().isBefore(newestClass())) {
			return new Launcher(List.of(script.toString()),
					"`bin/segmat` (the jar with its class data sharing archive)");
		}
		return new Launcher(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
						"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.segmat.Segmat"),
				"the test classpath (no current `make build`: its jar and archive would start faster)");
	}

	private static Instant newestClass() throws IOException {
		try (var files = Files.walk(Path.of("target/classes"))) {
			return files.filter(Files::isRegularFile).map((file) -> {
				try {
					return Files.getLastModifiedTime(file).toInstant();
				}
				catch (IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			}).max(Instant::compareTo).orElse(Instant.MAX);
		}
	}

	record Launcher(List<String> command, String description) {
	}

	private Job job(long executionId, Instant at, double ms) {
		Map<UUID, Double> steps = new HashMap<>();
		this.jdbc.sql("""
				SELECT step_name, extract(epoch FROM end_time - start_time) * 1000 AS ms
				FROM batch_step_execution WHERE job_execution_id = ? AND step_name LIKE ?
				""").params(executionId, STEP_PREFIX + "%").query((rs, n) -> {
			steps.put(UUID.fromString(rs.getString(1).substring(STEP_PREFIX.length())), rs.getDouble(2));
			return null;
		}).list();
		Map<UUID, String> modes = new HashMap<>();
		this.jdbc.sql("SELECT segment_id, mode FROM segment_evaluation WHERE job_execution_id = ?")
			.param(executionId)
			.query((rs, n) -> modes.put(rs.getObject(1, UUID.class), rs.getString(2)))
			.list();
		// Segments that only had count and sample republished share a few partition
		// steps; each is given its share.
		List<UUID> republished = this.jdbc.sql("""
				SELECT id FROM segment WHERE sample_updated_at = ?
				  AND id NOT IN (SELECT segment_id FROM segment_evaluation WHERE job_execution_id = ?)
				""").params(Timestamp.from(at), executionId).query(UUID.class).list();
		this.jdbc.sql("""
				SELECT sum(extract(epoch FROM end_time - start_time) * 1000) FROM batch_step_execution
				WHERE job_execution_id = ? AND step_name LIKE ? HAVING count(*) > 0
				""")
			.params(executionId, SAMPLES_STEPS + "%")
			.query(Double.class)
			.optional()
			.ifPresent((samplesMs) -> republished.forEach((id) -> steps.put(id, samplesMs / republished.size())));
		double jobMs = this.jdbc.sql(
				"SELECT extract(epoch FROM end_time - start_time) * 1000 FROM batch_job_execution WHERE job_execution_id = ?")
			.param(executionId)
			.query(Double.class)
			.single();
		return new Job(executionId, ms, jobMs, steps, modes);
	}

	private Map<UUID, Long> movement(long executionId) {
		Map<UUID, Long> moved = new HashMap<>();
		this.jdbc.sql(
				"SELECT segment_id, coalesce(entered, 0) + coalesce(exited, 0) FROM segment_evaluation WHERE job_execution_id = ?")
			.param(executionId)
			.query((rs, n) -> moved.put(rs.getObject(1, UUID.class), rs.getLong(2)))
			.list();
		return moved;
	}

	/**
	 * Sequential scans of contact and the rows they read, from the statistics collector.
	 * Other sessions flush their counters within a second of going idle, hence the wait.
	 */
	private long[] contactScans() {
		pause(1500);
		this.jdbc.sql("SELECT pg_stat_clear_snapshot()").query().singleRow();
		return this.jdbc.sql("SELECT seq_scan, seq_tup_read FROM pg_stat_user_tables WHERE relname = 'contact'")
			.query((rs, n) -> new long[] { rs.getLong(1), rs.getLong(2) })
			.single();
	}

	/** The names of the mix's segments whose answer moves with the clock. */
	private Set<String> clockSegments() {
		Instant at = currentSlot();
		return this.mix.stream()
			.filter((spec) -> !compile(spec, at).boundaries().isEmpty())
			.map(Spec::name)
			.collect(Collectors.toSet());
	}

	private CompiledQuery compile(Spec spec, Instant at) {
		UUID parent = (spec.parentList() != null) ? this.lists.get(spec.parentList()) : null;
		return this.compiler.compile(spec.dsl(), FieldCatalog.load(this.jdbc), parent, at);
	}

	/**
	 * The compiled SQL with each bound parameter replaced by a literal that PostgreSQL
	 * itself quoted (quote_literal of the value's text form); the SQL keeps its own
	 * casts, so every literal is read back as the type the parameter had. Bench-only:
	 * views cannot take parameters. A doubled "??" is pgjdbc's escape for a literal
	 * question mark.
	 */
	private String inline(CompiledQuery query) throws SQLException {
		String text = query.sql();
		StringBuilder inlined = new StringBuilder(text.length() + 64);
		int next = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c != '?') {
				inlined.append(c);
			}
			else if (i + 1 < text.length() && text.charAt(i + 1) == '?') {
				inlined.append('?');
				i++;
			}
			else {
				inlined.append(literal(query.parameters().get(next++)));
			}
		}
		if (next != query.parameters().size()) {
			throw new IllegalStateException("inlined " + next + " of " + query.parameters().size() + " parameters");
		}
		return inlined.toString();
	}

	private String literal(Object value) throws SQLException {
		if (value == null) {
			return "NULL";
		}
		try (PreparedStatement quote = this.sql.prepareStatement("SELECT quote_literal(CAST(? AS text))")) {
			quote.setObject(1, value);
			try (ResultSet rs = quote.executeQuery()) {
				rs.next();
				return rs.getString(1);
			}
		}
	}

	private long count(Spec spec) {
		return this.jdbc.sql("SELECT contacts_count FROM segment WHERE id = ?")
			.param(this.ids.get(spec.name()))
			.query(Long.class)
			.single();
	}

	private String view(Spec spec) {
		return "bench_mv_" + this.mix.indexOf(spec);
	}

	private Map<String, Sample> samples() {
		Map<String, Sample> samples = new LinkedHashMap<>();
		this.mix.forEach((spec) -> samples.put(spec.name(), new Sample()));
		return samples;
	}

	/**
	 * Each run gets its own hour: a new slot for Batch, and an hour past the last
	 * evaluation so segments are due.
	 */
	private Instant nextSlot() {
		return this.t0.plus(Duration.ofHours(this.hour++));
	}

	private Instant currentSlot() {
		return this.t0.plus(Duration.ofHours(this.hour - 1));
	}

	/**
	 * VACUUM ANALYZE of {@code table}, again while under 99 % of its pages are marked
	 * all-visible (a VACUUM cannot mark rows that a transaction running beside it, such
	 * as an autovacuum's ANALYZE, may not see yet), at most five times.
	 * @return the share of all-visible pages, as a percentage
	 */
	private String vacuumUntilAllVisible(String table) throws SQLException {
		double share = 0;
		for (int attempt = 0; attempt < 5 && share < 0.99; attempt++) {
			if (attempt > 0) {
				pause(2000);
			}
			execute("VACUUM ANALYZE " + table);
			share = this.jdbc.sql(
					"SELECT relallvisible::float8 / greatest(relpages, 1) FROM pg_class WHERE oid = CAST(? AS regclass)")
				.param(table)
				.query(Double.class)
				.single();
		}
		return String.format("%.1f %%", share * 100);
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void execute(String statement) throws SQLException {
		try (Statement s = this.sql.createStatement()) {
			s.execute(statement);
		}
	}

	private static double msSince(long nanoTime) {
		return (System.nanoTime() - nanoTime) / 1e6;
	}

	private static double secondsSince(long nanoTime) {
		return (System.nanoTime() - nanoTime) / 1e9;
	}

	static void log(String format, Object... args) {
		System.err.printf("[bench %s] %s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS),
				String.format(format, args));
	}

	private static void deleteQuietly(Path dir) {
		try (var paths = Files.walk(dir)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
		}
		catch (IOException ex) {
			// A temp dir left behind is harmless.
		}
	}

	/** A launcher whose evaluator can only take one path. */
	record Forced(String mode, RefreshLauncher launcher) {
	}

	/** One segment of the mix. */
	record Spec(String name, String kind, String dsl, String parentList, String handWritten) {

		Spec(String name, String kind, String dsl, String parentList) {
			this(name, kind, dsl, parentList, null);
		}

		/** The hand-written baseline at the instant {@code at}. */
		String handWritten(Instant at) {
			return this.handWritten.replace(":at", "timestamptz '" + at + "'");
		}

	}

	/**
	 * One run of the refresh job: wall time, per segment its partition step's duration,
	 * and for the segments it evaluated the path taken (segment_evaluation.mode).
	 */
	record Job(long executionId, double ms, double jobMs, Map<UUID, Double> steps, Map<UUID, String> modes) {

		double stepMs(UUID segment) {
			Double ms = this.steps.get(segment);
			if (ms == null) {
				throw new IllegalStateException("segment " + segment + " had no step in execution " + this.executionId);
			}
			return ms;
		}

		double stepsMs() {
			return this.steps.values().stream().mapToDouble(Double::doubleValue).sum();
		}

		String work(UUID segment) {
			if (this.modes.containsKey(segment)) {
				return "evaluated (" + this.modes.get(segment) + ")";
			}
			return this.steps.containsKey(segment) ? "sample republished" : "not due";
		}

	}

}
