package io.segmat.query;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compiling the randomized equality suite's queries again at other instants, with a
 * compiler that remembers them, gives what a compiler that never saw them gives: the same
 * SQL, parameters, boundaries and crossings, byte for byte.
 */
class RecompileProperties {

	private static final FieldCatalog CATALOG = new FieldCatalog(
			OracleData.FIELDS.stream().map((f) -> new CatalogField(f.id(), f.name(), switch (f.kind()) {
				case TEXT -> FieldType.TEXT;
				case NUMBER -> FieldType.NUMBER;
				case TIMESTAMP -> FieldType.DATE;
			})).toList());

	private final QueryCompiler compiler = new QueryCompiler();

	@Property(tries = 150)
	void aQueryCompiledAgainAtOtherInstantsIsWhatAFreshCompilerGives(@ForAll("queries") Query query,
			@ForAll("moves") List<Long> moves) {
		// given a query compiled once
		String dsl = query.dsl();
		Instant earlier = OracleData.AS_OF;
		CompiledQuery before = this.compiler.compile(dsl, CATALOG, query.parent(), earlier);
		for (long seconds : moves) {
			// when compiled again at a later instant and at the first one
			Instant later = earlier.plus(Duration.ofSeconds(seconds));
			CompiledQuery again = this.compiler.compile(dsl, CATALOG, query.parent(), later);
			CompiledQuery first = this.compiler.compile(dsl, CATALOG, query.parent(), earlier);

			// then each is the fresh compile's, and so is the crossing between them
			CompiledQuery expected = new QueryCompiler().compile(dsl, CATALOG, query.parent(), later);
			CompiledQuery expectedFirst = new QueryCompiler().compile(dsl, CATALOG, query.parent(), earlier);
			assertThat(again).as(dsl).usingRecursiveComparison().isEqualTo(expected);
			assertThat(first).as(dsl).usingRecursiveComparison().isEqualTo(expectedFirst);
			assertThat(again.crossedSince(first)).as(dsl)
				.usingRecursiveComparison()
				.isEqualTo(expected.crossedSince(expectedFirst));
		}
		Statistics.label("reads the clock").collect(before.dependencies().clock());
	}

	record Query(String dsl, UUID parent) {
	}

	/**
	 * The equality suite's queries, and as many that read the clock: those are the ones
	 * translated again at each instant.
	 */
	@Provide
	Arbitrary<Query> queries() {
		Arbitrary<Query> suite = DifferentialQueryGenerator.queries().map((q) -> new Query(q.dsl(), q.parentList()));
		return Arbitraries.oneOf(suite, clockQueries());
	}

	private static Arbitrary<Query> clockQueries() {
		Arbitrary<String> now = Arbitraries.of("CURRENT_TIMESTAMP", "NOW()", "current_timestamp()");
		Arbitrary<String> unit = Arbitraries.of("second", "minute", "hour", "day", "week", "month", "year");
		Arbitrary<String> bound = Arbitraries.oneOf(now,
				Combinators.combine(unit, Arbitraries.integers().between(-400, 400), now)
					.as((u, n, c) -> "timestampadd(" + u + ", " + n + ", " + c + ")"),
				Combinators
					.combine(now, Arbitraries.of("-", "+"), Arbitraries.integers().between(0, 90),
							Arbitraries.of("HOUR", "DAY", "WEEK"))
					.as((c, op, n, u) -> c + " " + op + " INTERVAL " + n + " " + u),
				Combinators.combine(unit, now).as((u, c) -> "date_trunc('" + u + "', " + c + ")"),
				Combinators.combine(unit, Arbitraries.integers().between(-12, 12), unit, now)
					.as((u, n, t, c) -> "timestampadd(" + u + ", " + n + ", date_trunc('" + t + "', " + c + "))"));
		Arbitrary<String> comparison = Combinators
			.combine(Arbitraries.of("c.created_at", "c.updated_at", "c.Signup_Date", "e.timestamp"),
					Arbitraries.of("<", "<=", ">", ">=", "=", "<>"), bound)
			.as((column, op, b) -> column + " " + op + " " + b);
		Arbitrary<String> condition = Arbitraries.oneOf(comparison,
				Combinators.combine(comparison, Arbitraries.of(" AND ", " OR "), comparison)
					.as((a, op, b) -> "(" + a + op + b + ")"),
				comparison.map((a) -> "NOT (" + a + ")"), comparison.map((a) -> a + " AND c.plan = 'pro'"),
				comparison.map((a) -> "e.event_type = 'open' AND " + a));
		Arbitrary<String> grouped = Combinators.combine(Arbitraries.of("MAX", "MIN"), Arbitraries.of("<", ">"), bound)
			.as((agg, op, b) -> " GROUP BY c.contact_id, c.updated_at HAVING " + agg + "(e.timestamp) " + op + " " + b);
		return Combinators.combine(condition, grouped.injectNull(0.7), Arbitraries.of(OracleData.LISTS).injectNull(0.7))
			.as((where, group,
					parent) -> new Query("SELECT c.contact_id, c.updated_at FROM contact_data c "
							+ "JOIN event_data e ON c.contact_id = e.contact_id WHERE " + where
							+ ((group == null) ? "" : group), parent));
	}

	/** Seconds later: a minute, a day, a month, years. */
	@Provide
	Arbitrary<List<Long>> moves() {
		return Arbitraries.longs().between(1, 10L * 366 * 86_400).list().ofMinSize(1).ofMaxSize(3);
	}

}
