package io.segmat.query;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Compiling ahead, as a refresh's planner asks for the queries of the segments due: the
 * callers then find the results kept, the very ones compiled ahead, and a query that
 * fails ahead still fails in its caller's compile with its own message.
 */
class CompileAheadTests {

	private static final Instant AS_OF = Instant.parse("2026-06-01T12:00:00Z");

	private static final Instant EARLIER = AS_OF.minus(Duration.ofHours(1));

	private static final String WINDOW = "SELECT c.contact_id, c.updated_at FROM contact_data c "
			+ "JOIN event_data e ON c.contact_id = e.contact_id "
			+ "WHERE e.event_type = 'open' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)";

	private static final String ATTRIBUTE = "SELECT contact_id, updated_at FROM contact_data WHERE country = 'JP'";

	private final QueryCompiler compiler = new QueryCompiler();

	private final FieldCatalog fields = new FieldCatalog(List.of());

	private List<CompiledQuery> compileAhead(List<QueryCompiler.Ahead> requests) throws InterruptedException {
		List<CompiledQuery> results = new ArrayList<>();
		this.compiler.startCompilingAhead(requests, results::add).join();
		return results;
	}

	private QueryCompiler.Ahead ahead(String query, Instant asOf) {
		return new QueryCompiler.Ahead(query, this.fields, null, asOf);
	}

	@Test
	void theCallersFindTheResultsCompiledAheadAtEachInstant() throws InterruptedException {
		// given a clock window at two instants and an attribute query, compiled ahead
		List<CompiledQuery> ahead = compileAhead(
				List.of(ahead(WINDOW, AS_OF), ahead(WINDOW, EARLIER), ahead(ATTRIBUTE, AS_OF)));

		// when the callers compile them, with a catalogue loaded again
		FieldCatalog loadedAgain = new FieldCatalog(List.of());
		List<CompiledQuery> asked = List.of(this.compiler.compile(WINDOW, loadedAgain, null, AS_OF),
				this.compiler.compile(WINDOW, loadedAgain, null, EARLIER),
				this.compiler.compile(ATTRIBUTE, loadedAgain, null, AS_OF));

		// then each is the result compiled ahead, which is what a compiler that never saw
		// the query gives
		assertThat(ahead).hasSize(3).doesNotContainNull();
		for (int i = 0; i < ahead.size(); i++) {
			assertThat(asked.get(i)).isSameAs(ahead.get(i));
		}
		assertThat(asked.get(1)).usingRecursiveComparison()
			.isEqualTo(new QueryCompiler().compile(WINDOW, this.fields, null, EARLIER));
	}

	@Test
	void aQueryThatFailsAheadFailsAgainInItsCallersCompile() throws InterruptedException {
		// given a query naming a field that does not exist, and a valid one after it
		String unknown = "SELECT contact_id, updated_at FROM contact_data WHERE plann = 'free'";

		// when both are compiled ahead
		List<CompiledQuery> ahead = compileAhead(List.of(ahead(unknown, AS_OF), ahead(ATTRIBUTE, AS_OF)));

		// then the failure cost only its own request, and the caller gets the error
		assertThat(ahead).hasSize(2);
		assertThat(ahead.get(0)).isNull();
		assertThat(ahead.get(1)).isNotNull();
		assertThatThrownBy(() -> this.compiler.compile(unknown, this.fields, null, AS_OF))
			.isInstanceOf(QueryException.class)
			.hasMessageContaining("plann");
	}

	@Test
	void onlyAsManyRequestsAsTheCompilerKeepsForThemAreCompiled() throws InterruptedException {
		// given more distinct queries than compiling ahead takes
		List<QueryCompiler.Ahead> requests = IntStream.range(0, QueryCompiler.AHEAD_QUERIES + 5)
			.mapToObj((i) -> ahead(ATTRIBUTE + " AND city = 'c" + i + "'", AS_OF))
			.toList();

		// when they are compiled ahead
		List<CompiledQuery> ahead = compileAhead(requests);

		// then the first ones are, and the first of them is still kept
		assertThat(ahead).hasSize(QueryCompiler.AHEAD_QUERIES).doesNotContainNull();
		assertThat(this.compiler.compile(requests.get(0).queryDsl(), this.fields, null, AS_OF)).isSameAs(ahead.get(0));
	}

	@Test
	void nothingToCompileStartsNoThread() {
		// given no request
		// when compiled ahead
		List<CompiledQuery> results = new ArrayList<>();
		Thread thread = this.compiler.startCompilingAhead(List.of(), results::add);

		// then no thread was started, and nothing was compiled
		assertThat(thread.getState()).isEqualTo(Thread.State.NEW);
		assertThat(results).isEmpty();
	}

}
