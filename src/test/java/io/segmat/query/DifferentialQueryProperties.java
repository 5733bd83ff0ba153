package io.segmat.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.fail;

/**
 * The compiler against the spec: random contacts and events go into PostgreSQL and into
 * the oracle, random valid queries go through QueryCompiler, and the compiled SQL must
 * select exactly the contacts the oracle's reading of the spec selects, each once.
 */
// Slow: a jqwik property over random data and queries; `make test-fast` leaves it out.
@Tag("slow")
class DifferentialQueryProperties {

	private static final int QUERIES_PER_TRY = 4;

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

}
