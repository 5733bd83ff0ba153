package io.segmat.query;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class QueryWarmUpTests {

	@Test
	void everyWarmUpQueryCompilesWithNoCustomFields() {
		// given the warm-up's queries, which a failure would make silently useless
		// when then
		assertThatCode(QueryWarmUp::run).doesNotThrowAnyException();
	}

	@Test
	void theWarmUpTakesAClockSegmentsWholePath() {
		// given the warm-up's moving window, compiled at its two instants
		QueryCompiler compiler = new QueryCompiler();
		FieldCatalog fields = new FieldCatalog(List.of());
		CompiledQuery first = compiler.compile(QueryWarmUp.QUERIES.get(0), fields, null, QueryWarmUp.AS_OF);
		CompiledQuery later = compiler.compile(QueryWarmUp.QUERIES.get(0), fields, null, QueryWarmUp.LATER);

		// when then the comparison names the contacts its bound swept past, and the
		// nearest value ahead has a query: neither ends early, so the warm-up runs both
		assertThat(later.crossedSince(first)).isPresent();
		assertThat(ClockHorizon.nearestValueAhead(later)).isPresent();
	}

}
