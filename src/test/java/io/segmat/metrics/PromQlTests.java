package io.segmat.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PromQlTests {

	@Test
	void namesAreWhatIsLeftOfFunctionsMatchersRangesAndGroupings() {
		assertThat(PromQl.metricNames(
				"sum by (mode, status) (rate(a_total{uri=~\"/v3/.*\", x='y'}[5m])) / on (mode) group_left b_seconds_sum "
						+ "and time() - max(c) > 2 * 3600 unless d offset 5m"))
			.containsExactly("a_total", "b_seconds_sum", "c", "d");
	}

}
