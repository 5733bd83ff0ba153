package io.segmat.query;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;

class QueryWarmUpTests {

	@Test
	void everyWarmUpQueryCompilesWithNoCustomFields() {
		// given the warm-up's queries, which a failure would make silently useless
		// when then
		assertThatCode(QueryWarmUp::run).doesNotThrowAnyException();
	}

}
