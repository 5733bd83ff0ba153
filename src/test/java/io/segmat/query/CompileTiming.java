package io.segmat.query;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import net.sf.jsqlparser.statement.Statement;

/**
 * Not a test: a main that times compiling the benchmark's queries in a warm JVM, whole
 * and by phase (README, Performance, "Compiling again"). Run with
 * {@code java -cp target/test-classes:target/classes:$(cat target/bench.classpath) io.segmat.query.CompileTiming}.
 */
public final class CompileTiming {

	private static final int WARM = 2_000;

	private static final int RUNS = 2_000;

	/** Keeps the results alive, so no compile is optimized away. */
	static volatile Object sink;

	private CompileTiming() {
	}

	public static void main(String[] args) {
		FieldCatalog fields = new FieldCatalog(List.of(new CatalogField("e1_T", "plan", FieldType.TEXT),
				new CatalogField("e2_N", "age", FieldType.NUMBER),
				new CatalogField("e3_N", "lifetime_value", FieldType.NUMBER),
				new CatalogField("e4_D", "signup_date", FieldType.DATE),
				new CatalogField("e5_N", "score", FieldType.NUMBER)));
		UUID newsletter = UUID.fromString("6d3c1b2a-0000-4000-8000-000000000001");
		UUID vip = UUID.fromString("6d3c1b2a-0000-4000-8000-000000000002");
		String select = "SELECT contact_id, updated_at FROM contact_data WHERE ";
		String join = "SELECT c.contact_id, c.updated_at FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id ";
		Map<String, String> mix = new LinkedHashMap<>();
		mix.put("attr-selective", select + "country = 'JP' AND plan = 'enterprise'");
		mix.put("attr-broad-60", select + "plan = 'free'");
		mix.put("attr-range",
				select + "lifetime_value > 100 AND age BETWEEN 25 AND 44 AND country IN ('US', 'UK', 'CA')");
		mix.put("list-scoped", select + "plan = 'pro'");
		mix.put("in-vip-list", select + "array_contains(list_ids, ['" + vip + "'])");
		mix.put("opened-30d",
				join + "WHERE e.event_type = 'open' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)");
		mix.put("clicked-30d",
				join + "WHERE e.event_type = 'click' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)");
		mix.put("never-opened",
				select + "contact_id NOT IN (SELECT contact_id FROM event_data WHERE event_type = 'open')");
		mix.put("frequent-openers",
				join + "WHERE e.event_type = 'open' GROUP BY c.contact_id, c.updated_at HAVING COUNT(*) >= 3");
		QueryCompiler compiler = new QueryCompiler();
		Instant t0 = Instant.parse("2026-11-29T12:00:00Z");
		if (args.length > 0 && args[0].equals("lukewarm")) {
			lukewarm(compiler, mix, fields, newsletter, t0);
			return;
		}
		System.out.printf(Locale.ROOT, "%-17s %9s %9s %9s %9s %9s %9s %9s%n", "query (µs, median)", "same", "moved",
				"scan", "parse", "translate", "toString", "handoff");
		for (Map.Entry<String, String> entry : mix.entrySet()) {
			String dsl = entry.getValue();
			UUID parent = entry.getKey().equals("list-scoped") ? newsletter : null;
			long[] counter = { 0 };
			double same = median(() -> compiler.compile(dsl, fields, parent, t0));
			double moved = median(
					() -> compiler.compile(dsl, fields, parent, t0.plus(Duration.ofMillis(++counter[0]))));
			RawText raw = RawText.scan(dsl, QueryLimits.defaults());
			Statement statement = QueryParser.parse(raw);
			double scan = median(() -> RawText.scan(dsl, QueryLimits.defaults()));
			double parse = median(() -> QueryParser.parse(raw));
			double translate = median(() -> new Translator(raw, fields, t0).translate(statement, parent));
			double string = median(statement::toString);
			double handoff = median(() -> {
				try {
					return BigStackThreadsHolder.POOL.submit(() -> "x").get();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			System.out.printf(Locale.ROOT, "%-17s %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f%n", entry.getKey(), same,
					moved, scan, parse, translate, string, handoff);
		}
	}

	/**
	 * A fresh JVM after the product's warm-up, then rounds of the bench's mix, each query
	 * compiled at a new instant and again an hour later, as a clock segment's evaluation
	 * does: the JIT has seen only a few hundred compiles, as in a refresh.
	 */
	private static void lukewarm(QueryCompiler compiler, Map<String, String> mix, FieldCatalog fields, UUID newsletter,
			Instant t0) {
		long start = System.nanoTime();
		QueryWarmUp.run();
		System.out.printf(Locale.ROOT, "warm-up %.1f ms%n", (System.nanoTime() - start) / 1e6);
		int rounds = 60;
		Map<String, long[][]> times = new LinkedHashMap<>();
		for (int round = 0; round < rounds; round++) {
			for (Map.Entry<String, String> entry : mix.entrySet()) {
				UUID parent = entry.getKey().equals("list-scoped") ? newsletter : null;
				long[][] t = times.computeIfAbsent(entry.getKey(), (k) -> new long[2][rounds]);
				Instant at = t0.plus(Duration.ofMinutes(5L * round));
				long a = System.nanoTime();
				sink = compiler.compile(entry.getValue(), fields, parent, at);
				long b = System.nanoTime();
				sink = compiler.compile(entry.getValue(), fields, parent, at.minus(Duration.ofHours(1)));
				long c = System.nanoTime();
				t[0][round] = b - a;
				t[1][round] = c - b;
			}
		}
		System.out.printf(Locale.ROOT, "%-17s %8s %8s %8s %8s %8s %8s%n", "query (µs)", "first", "again", "r2-10",
				"again", "r11-60", "again");
		for (Map.Entry<String, long[][]> entry : times.entrySet()) {
			long[][] t = entry.getValue();
			System.out.printf(Locale.ROOT, "%-17s %8.0f %8.0f %8.0f %8.0f %8.0f %8.0f%n", entry.getKey(), t[0][0] / 1e3,
					t[1][0] / 1e3, median(t[0], 1, 10), median(t[1], 1, 10), median(t[0], 10, rounds),
					median(t[1], 10, rounds));
		}
	}

	private static double median(long[] times, int from, int to) {
		long[] part = Arrays.copyOfRange(times, from, to);
		Arrays.sort(part);
		return part[part.length / 2] / 1e3;
	}

	private static final class BigStackThreadsHolder {

		static final java.util.concurrent.ExecutorService POOL = BigStackThreads.pool("timing");

	}

	private static double median(Supplier<?> work) {
		for (int i = 0; i < WARM; i++) {
			sink = work.get();
		}
		long[] times = new long[RUNS];
		for (int i = 0; i < RUNS; i++) {
			long start = System.nanoTime();
			Object result = work.get();
			times[i] = System.nanoTime() - start;
			sink = result;
		}
		Arrays.sort(times);
		return times[RUNS / 2] / 1e3;
	}

}
