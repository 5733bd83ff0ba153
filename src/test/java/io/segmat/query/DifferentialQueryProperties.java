package io.segmat.query;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.fail;

/**
 * The compiler against the spec: random contacts and events go into PostgreSQL and into
 * the oracle, random valid queries go through QueryCompiler, and the compiled SQL must
 * select exactly the contacts the oracle's reading of the spec selects, each once. Over
 * the same database, a query that reads the clock names every contact the clock moves in
 * or out.
 */
// Slow: a jqwik property over random data and queries; `make test-fast` leaves it out.
@Tag("slow")
class DifferentialQueryProperties {

	private static final int QUERIES_PER_TRY = 4;

	private static final int CROSSING_QUERIES_PER_TRY = 6;

	private static final String SELECT = "SELECT contact_id, updated_at FROM contact_data WHERE ";

	private static final String JOIN = "SELECT c.contact_id, c.updated_at FROM contact_data c "
			+ "JOIN event_data e ON c.contact_id = e.contact_id WHERE ";

	private static DifferentialDatabase db;

	private static FieldCatalog catalog;

	private final QueryCompiler compiler = new QueryCompiler();

	@BeforeContainer
	static void open() {
		db = new DifferentialDatabase();
		// The catalog as the application reads it, from the custom_field rows the loader
		// wrote.
		catalog = FieldCatalog.load(JdbcClient.create(db.dataSource()));
	}

	@AfterContainer
	static void close() {
		db.close();
	}

	@Property(tries = 200)
	void compiledSqlSelectsTheMembersTheSpecDefines(@ForAll("data") OracleData data,
			@ForAll("queries") List<OracleExpr.Query> queries) {
		db.load(data);
		List<String> disagreements = new ArrayList<>();
		for (OracleExpr.Query query : queries) {
			SortedSet<String> expected = OracleEvaluator.members(query, data);
			String disagreement = disagreement(query, data, expected);
			if (disagreement != null) {
				disagreements.add(disagreement);
			}
			Statistics.label("members")
				.collect(expected.isEmpty() ? "none" : expected.size() == data.contacts().size() ? "all" : "some");
			Statistics.label("join").collect(query.join());
		}
		if (!disagreements.isEmpty()) {
			fail(data.contacts().size() + " contacts, " + data.events().size() + " events\n\n"
					+ String.join("\n\n", disagreements));
		}
	}

	/**
	 * Null when the compiler agrees with the oracle, else what differs and on which
	 * contacts.
	 */
	private String disagreement(OracleExpr.Query query, OracleData data, SortedSet<String> expected) {
		String dsl = query.dsl();
		String header = "query_dsl: " + dsl + "\nparent list: " + query.parentList();
		CompiledQuery compiled;
		try {
			compiled = this.compiler.compile(dsl, catalog, query.parentList(), OracleData.AS_OF);
		}
		catch (QueryException ex) {
			return header + "\nrejected a valid query: " + ex.getMessage();
		}
		header += "\nsql: " + compiled.sql() + "\nparameters: " + describe(compiled.parameters());
		List<String> rows;
		try {
			rows = db.members(compiled.sql(), compiled.parameters());
		}
		catch (IllegalStateException ex) {
			return header + "\n" + ex.getMessage();
		}
		SortedSet<String> actual = new TreeSet<>(rows);
		SortedSet<String> missing = new TreeSet<>(expected);
		missing.removeAll(actual);
		SortedSet<String> unexpected = new TreeSet<>(actual);
		unexpected.removeAll(expected);
		Set<String> duplicates = rows.stream()
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
			.entrySet()
			.stream()
			.filter(e -> e.getValue() > 1)
			.map(java.util.Map.Entry::getKey)
			.collect(Collectors.toCollection(TreeSet::new));
		if (missing.isEmpty() && unexpected.isEmpty() && duplicates.isEmpty()) {
			return null;
		}
		return header + "\nexpected " + expected.size() + ", compiled SQL selected " + actual.size()
				+ "\nmissing (the spec selects them, the SQL does not):\n" + contacts(missing, data)
				+ "unexpected (the SQL selects them, the spec does not):\n" + contacts(unexpected, data)
				+ (duplicates.isEmpty() ? "" : "selected more than once: " + duplicates + "\n");
	}

	/**
	 * The first few contacts in full, with their events: what a reader needs to see why.
	 */
	private static String contacts(SortedSet<String> emails, OracleData data) {
		StringBuilder out = new StringBuilder();
		int shown = 0;
		for (String email : emails) {
			if (shown++ == 5) {
				out.append("  ... and ").append(emails.size() - 5).append(" more\n");
				break;
			}
			int index = indexOf(email, data);
			out.append("  ").append(data.contacts().get(index)).append('\n');
			data.events()
				.stream()
				.filter(e -> e.contact() == index)
				.forEach(e -> out.append("    ").append(e).append('\n'));
		}
		return out.toString();
	}

	private static int indexOf(String email, OracleData data) {
		for (int i = 0; i < data.contacts().size(); i++) {
			if (data.contacts().get(i).email().equals(email)) {
				return i;
			}
		}
		throw new IllegalArgumentException(email);
	}

	private static String describe(List<Object> parameters) {
		return parameters.stream()
			.map(p -> p instanceof Object[] array ? java.util.Arrays.toString(array) : String.valueOf(p))
			.collect(Collectors.joining(", ", "[", "]"));
	}

	@Provide
	Arbitrary<OracleData> data() {
		return OracleDataGenerator.data();
	}

	@Provide
	Arbitrary<List<OracleExpr.Query>> queries() {
		return DifferentialQueryGenerator.queries().list().ofSize(QUERIES_PER_TRY);
	}

	/**
	 * The refresh's shortcut for a query that reads the clock: with nothing changed,
	 * every contact whose membership moves between two instants is one the crossing
	 * between them names ({@link CompiledQuery#crossedSince}), whether it sweeps every
	 * event, each contact's latest event of a type (contact_last_event), the contacts or
	 * their Date fields.
	 */
	@Property(tries = 150)
	void everyContactTheClockMovesInOrOutIsAmongTheCrossed(@ForAll("data") OracleData data,
			@ForAll("crossingQueries") List<String> queries, @ForAll("moves") long seconds) {
		// given random contacts and events, and nothing changing but the clock
		db.load(data);
		Instant earlier = OracleData.AS_OF;
		Instant later = earlier.plus(Duration.ofSeconds(seconds));
		List<String> failures = new ArrayList<>();
		for (String query : queries) {
			CompiledQuery before = this.compiler.compile(query, catalog, null, earlier);
			CompiledQuery after = this.compiler.compile(query, catalog, null, later);
			Optional<ContactSelection> crossed = after.crossedSince(before);
			Statistics.label("crossing")
				.collect(!before.dependencies().clock() ? "no clock" : crossed.isEmpty() ? "full evaluation"
						: crossed.get().sql().contains("contact_last_event") ? "latest events" : "every value");
			if (crossed.isEmpty() || !before.dependencies().clock()) {
				continue;
			}
			// when the members at both instants are compared
			Set<String> then = new TreeSet<>(db.members(before.sql(), before.parameters()));
			Set<String> now = new TreeSet<>(db.members(after.sql(), after.parameters()));
			Set<String> moved = new TreeSet<>(then);
			moved.addAll(now);
			moved.removeIf((email) -> then.contains(email) && now.contains(email));
			// then every contact that moved in or out is a crossed one
			moved.removeAll(db.members(crossed.get().sql(), crossed.get().parameters()));
			if (!moved.isEmpty()) {
				failures.add("query_dsl: " + query + "\nfrom " + earlier + " to " + later + "\ncrossing: "
						+ crossed.get().sql() + "\nmoved but not crossed: " + moved);
			}
		}
		if (!failures.isEmpty()) {
			fail(String.join("\n\n", failures));
		}
	}

	@Provide
	Arbitrary<List<String>> crossingQueries() {
		return Arbitraries
			.frequencyOf(Tuple.of(1, DifferentialQueryGenerator.queries().map(OracleExpr.Query::dsl)),
					Tuple.of(3, windows()))
			.list()
			.ofSize(CROSSING_QUERIES_PER_TRY);
	}

	/**
	 * Engagement windows, the shapes whose crossing may read each contact's latest event
	 * of a type, and their near relatives that must not: other conditions on the events,
	 * a count, upper bounds, two edges, a bound under NOT or OR.
	 */
	private static Arbitrary<String> windows() {
		Arbitrary<String> types = Arbitraries.of("", "event_type = 'open' AND ", "event_type = 'click' AND ",
				"(event_type = 'open' OR event_type = 'click') AND ", "event_type IN ('open', 'delivered') AND ",
				"event_type <> 'bounce' AND ", "url = 'https://example.com/sale' AND ",
				"event_type = 'open' AND url IS NULL AND ");
		Arbitrary<String> times = Arbitraries.integers()
			.between(1, 60)
			.flatMap((days) -> Arbitraries.of("timestamp > timestampadd(day, -" + days + ", CURRENT_TIMESTAMP)",
					"timestamp >= timestampadd(hour, -" + days * 5 + ", NOW())",
					"timestampadd(day, -" + days + ", CURRENT_TIMESTAMP) < timestamp",
					"timestamp < timestampadd(day, -" + days + ", CURRENT_TIMESTAMP)",
					"timestamp BETWEEN NOW() - INTERVAL " + (days + 10) + " DAY AND NOW() - INTERVAL " + days + " DAY",
					"NOT (timestamp <= timestampadd(day, -" + days + ", CURRENT_TIMESTAMP))",
					"(timestamp > timestampadd(day, -" + days + ", CURRENT_TIMESTAMP) OR event_type = 'bounce')"));
		Arbitrary<String> contact = Arbitraries.of("", "country = 'UK' AND ");
		return Combinators.combine(Arbitraries.integers().between(0, 5), contact, types, times)
			.as((shape, c, type, time) -> switch (shape) {
				case 0 -> JOIN + c.replace("country", "c.country") + qualified("e.", type + time);
				case 1 ->
					JOIN + qualified("e.", type + time) + " GROUP BY c.contact_id, c.updated_at HAVING COUNT(*) >= 2";
				case 2 -> SELECT + c + "contact_id IN (SELECT contact_id FROM event_data WHERE " + type + time + ")";
				case 3 ->
					SELECT + c + "contact_id NOT IN (SELECT contact_id FROM event_data WHERE " + type + time + ")";
				case 4 ->
					SELECT + c + "EXISTS (SELECT 1 FROM event_data e WHERE e.contact_id = contact_data.contact_id AND "
							+ qualified("e.", type + time) + ")";
				default -> SELECT + c
						+ "NOT EXISTS (SELECT 1 FROM event_data e WHERE e.contact_id = contact_data.contact_id AND "
						+ qualified("e.", type + time) + ")";
			});
	}

	/** The event columns under an alias. */
	private static String qualified(String alias, String conditions) {
		return conditions.replaceAll("\\b(event_type|timestamp|url)\\b(?!\\()", alias + "$1");
	}

	/** From a minute to 40 days: an hourly run's move, and a skip's. */
	@Provide
	Arbitrary<Long> moves() {
		return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(3600L)),
				Tuple.of(3, Arbitraries.longs().between(60, 40L * 86400)));
	}

}
