package io.segmat.query;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Compiling a query again, as a refresh does at each evaluation and at other instants:
 * the result is the one a compiler that never saw the query gives, byte for byte, and it
 * costs no parse.
 */
class RecentQueriesTests {

	private static final Instant AS_OF = Instant.parse("2026-06-01T12:00:00Z");

	private static final String SELECT = "SELECT contact_id, updated_at FROM contact_data WHERE ";

	private static final String WINDOW = "SELECT c.contact_id, c.updated_at FROM contact_data c "
			+ "JOIN event_data e ON c.contact_id = e.contact_id "
			+ "WHERE e.event_type = 'open' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)";

	private static final UUID NEWSLETTER = UUID.fromString("6d3c1b2a-0000-4000-8000-000000000001");

	private final QueryCompiler compiler = new QueryCompiler();

	private final FieldCatalog fields = catalog(FieldType.TEXT);

	private static FieldCatalog catalog(FieldType planType) {
		return new FieldCatalog(
				List.of(new CatalogField("e1_T", "plan", planType), new CatalogField("e2_N", "age", FieldType.NUMBER),
						new CatalogField("e3_D", "renewal", FieldType.DATE)));
	}

	/** Compiled by a compiler that never saw the query. */
	private CompiledQuery fresh(String query, FieldCatalog catalog, UUID parent, Instant asOf) {
		return new QueryCompiler().compile(query, catalog, parent, asOf);
	}

	private static void assertSame(CompiledQuery actual, CompiledQuery expected) {
		// field by field, arrays by their elements: every text and parameter the same
		assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
	}

	@Test
	void aClockWindowAtAnotherInstantIsWhatAFreshCompileGives() {
		// given a window compiled at one instant
		this.compiler.compile(WINDOW, this.fields, null, AS_OF);

		// when compiled again an hour later
		Instant later = AS_OF.plus(Duration.ofHours(1));
		CompiledQuery again = this.compiler.compile(WINDOW, this.fields, null, later);

		// then it is the fresh compile's, with the window's edge moved
		assertSame(again, fresh(WINDOW, this.fields, null, later));
		assertThat(again.parameters()).contains(java.time.OffsetDateTime.parse("2026-05-02T13:00Z"));
	}

	@Test
	void theCrossingBetweenTwoKeptInstantsIsTheFreshCompilesCrossing() {
		// given a window compiled at two instants, twice each
		Instant later = AS_OF.plus(Duration.ofMinutes(5));
		this.compiler.compile(WINDOW, this.fields, null, AS_OF);
		this.compiler.compile(WINDOW, this.fields, null, later);

		// when the crossing between the kept results is derived
		ContactSelection crossed = this.compiler.compile(WINDOW, this.fields, null, later)
			.crossedSince(this.compiler.compile(WINDOW, this.fields, null, AS_OF))
			.orElseThrow();

		// then it is the one fresh compiles give
		ContactSelection expected = fresh(WINDOW, this.fields, null, later)
			.crossedSince(fresh(WINDOW, this.fields, null, AS_OF))
			.orElseThrow();
		assertThat(crossed).usingRecursiveComparison().isEqualTo(expected);
	}

	@Test
	void aClockWindowAtAKeptInstantIsTheKeptResult() {
		// given a window compiled at an evaluation's instant
		CompiledQuery first = this.compiler.compile(WINDOW, this.fields, null, AS_OF);
		this.compiler.compile(WINDOW, this.fields, null, AS_OF.plusSeconds(60));

		// when the next evaluation compiles it at the previous instant again
		CompiledQuery again = this.compiler.compile(WINDOW, this.fields, null, AS_OF);

		// then nothing is compiled: it is the same result
		assertThat(again).isSameAs(first);
	}

	@Test
	void aQueryThatDoesNotReadTheClockIsCompiledOnceForEveryInstant() {
		// given an attribute query compiled once
		String query = SELECT + "country = 'JP' AND plan = 'enterprise'";
		CompiledQuery first = this.compiler.compile(query, this.fields, null, AS_OF);

		// when compiled at another instant, with a catalogue loaded again with the same
		// fields
		CompiledQuery again = this.compiler.compile(query, catalog(FieldType.TEXT), null, AS_OF.plusSeconds(3600));

		// then it is the same result, which is the fresh compile's
		assertThat(again).isSameAs(first);
		assertSame(again, fresh(query, this.fields, null, AS_OF.plusSeconds(3600)));
	}

	@Test
	void aFieldWhoseTypeChangedIsCheckedAgain() {
		// given a query compiled while plan was a Text field
		String query = SELECT + "plan = '5'";
		CompiledQuery asText = this.compiler.compile(query, this.fields, null, AS_OF);

		// when plan is a Number field since
		FieldCatalog changed = catalog(FieldType.NUMBER);
		CompiledQuery asNumber = this.compiler.compile(query, changed, null, AS_OF);

		// then the query is compiled for the new type
		assertThat(asNumber.sql()).isNotEqualTo(asText.sql());
		assertSame(asNumber, fresh(query, changed, null, AS_OF));
	}

	@Test
	void aFieldDeletedSinceIsRefused() {
		// given a query compiled while the field plan existed
		String query = SELECT + "plan = 'free'";
		this.compiler.compile(query, this.fields, null, AS_OF);

		// when plan is deleted and the query compiled again
		FieldCatalog without = new FieldCatalog(List.of(new CatalogField("e2_N", "age", FieldType.NUMBER)));

		// then the query is refused, naming the field
		assertThatThrownBy(() -> this.compiler.compile(query, without, null, AS_OF)).isInstanceOf(QueryException.class)
			.hasMessageContaining("plan");
	}

	@Test
	void anotherParentListIsCompiledAgain() {
		// given a query compiled without a parent list
		String query = SELECT + "plan = 'pro'";
		CompiledQuery unscoped = this.compiler.compile(query, this.fields, null, AS_OF);

		// when compiled under a parent list
		CompiledQuery scoped = this.compiler.compile(query, this.fields, NEWSLETTER, AS_OF);

		// then the parent's membership is part of it
		assertThat(unscoped.parameters()).doesNotContain(NEWSLETTER.toString());
		assertThat(scoped.parameters()).contains(NEWSLETTER.toString());
		assertSame(scoped, fresh(query, this.fields, NEWSLETTER, AS_OF));
	}

	@Test
	void arithmeticOutOfRangeAtAnotherInstantIsStillRefused() {
		// given a window reaching 2,000 years back, valid in 2026
		String query = SELECT + "renewal > timestampadd(year, -2000, CURRENT_TIMESTAMP)";
		this.compiler.compile(query, this.fields, null, AS_OF);

		// when compiled at an instant where it reaches before the year 1
		Instant early = Instant.parse("1970-01-01T00:00:00Z");

		// then it is refused as a fresh compile refuses it
		assertThatThrownBy(() -> this.compiler.compile(query, this.fields, null, early))
			.isInstanceOf(QueryException.class)
			.hasMessage("the timestamp arithmetic goes out of range at line 1, column 65");
		assertThatThrownBy(() -> fresh(query, this.fields, null, early))
			.hasMessage("the timestamp arithmetic goes out of range at line 1, column 65");
	}

	@Test
	void aQueryRefusedOnceIsRefusedAgain() {
		// given a query with an unknown column, refused once
		String query = SELECT + "plann = 'free'";
		String message = catchMessage(query);

		// when compiled again at another instant, then the same error
		assertThat(catchMessage(query)).isEqualTo(message).contains("plann");
	}

	private String catchMessage(String query) {
		try {
			this.compiler.compile(query, this.fields, null, AS_OF);
		}
		catch (QueryException ex) {
			return ex.getMessage();
		}
		throw new AssertionError("not refused: " + query);
	}

	/**
	 * A query known to the compiler is translated on the caller's thread; the deepest
	 * trees that many tokens allow need far less stack than a thread's default (1 MB).
	 */
	@ParameterizedTest
	@MethodSource("deepShapes")
	void theDeepestQueryTranslatedOnTheCallersThreadFitsInASmallStack(String start, String repeated, String end)
			throws InterruptedException {
		// given the longest repetition of a construct within the tokens translated inline
		String query = longest(start, repeated, end);
		assertThat(RawText.scan(query, QueryLimits.defaults()).tokens())
			.hasSizeBetween(RecentQueries.INLINE_TOKENS - 10, RecentQueries.INLINE_TOKENS);
		this.compiler.compile(query, this.fields, null, AS_OF);

		// when compiled again at another instant on a thread with a quarter of the
		// default
		// stack
		Instant later = AS_OF.plusSeconds(60);
		AtomicReference<Object> outcome = new AtomicReference<>();
		Thread small = new Thread(null, () -> {
			try {
				outcome.set(this.compiler.compile(query, this.fields, null, later));
			}
			catch (RuntimeException | StackOverflowError ex) {
				outcome.set(ex);
			}
		}, "small-stack", 256L << 10);
		small.start();
		small.join();

		// then it compiles as a fresh compiler does
		assertThat(outcome.get()).isInstanceOf(CompiledQuery.class);
		assertSame((CompiledQuery) outcome.get(), fresh(query, this.fields, null, later));
	}

	static Stream<Arguments> deepShapes() {
		return Stream.of(Arguments.of("age", " + 1", " > 0"), Arguments.of("age = 1", " OR age = 1", ""),
				Arguments.of("CURRENT_TIMESTAMP", " + INTERVAL '1' DAY", " > renewal"),
				Arguments.of("age = 1", " AND (age = 1 OR plan = 'x')", ""));
	}

	/** {@code start}, then {@code repeated} as often as the inline tokens allow. */
	private static String longest(String start, String repeated, String end) {
		StringBuilder query = new StringBuilder(SELECT + start);
		while (RawText.scan(query + repeated + end, QueryLimits.defaults())
			.tokens()
			.size() <= RecentQueries.INLINE_TOKENS) {
			query.append(repeated);
		}
		return query + end;
	}

	@Test
	void workersCompilingTheSameQueriesAtOnceGetTheFreshCompilesResults() throws Exception {
		// given four queries, two reading the clock, and eight threads
		List<String> queries = List.of(WINDOW, SELECT + "plan = 'free'", SELECT + "renewal < NOW() + INTERVAL 2 HOUR",
				SELECT + "contact_id NOT IN (SELECT contact_id FROM event_data WHERE event_type = 'open')");
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			// when each thread compiles every query at its own instants
			List<Future<List<CompiledQuery>>> results = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				int thread = t;
				results.add(threads.submit(() -> {
					List<CompiledQuery> compiled = new ArrayList<>();
					for (int round = 0; round < 20; round++) {
						for (String query : queries) {
							compiled.add(this.compiler.compile(query, this.fields, null, instant(thread, round)));
						}
					}
					return compiled;
				}));
			}

			// then every result is the fresh compile's at its instant
			for (int t = 0; t < 8; t++) {
				List<CompiledQuery> compiled = results.get(t).get();
				for (int round = 0; round < 20; round++) {
					for (int q = 0; q < queries.size(); q++) {
						assertSame(compiled.get(round * queries.size() + q),
								fresh(queries.get(q), this.fields, null, instant(t, round)));
					}
				}
			}
		}
		finally {
			threads.shutdown();
		}
	}

	/** Threads share some instants (each round's first) and not others. */
	private static Instant instant(int thread, int round) {
		return AS_OF.plusSeconds(round * 60L + ((round % 2 == 0) ? 0 : thread));
	}

}
