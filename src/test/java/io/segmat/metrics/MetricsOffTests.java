package io.segmat.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.segmat.testsupport.SpringTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A context that did not ask for metrics, as every command but serve and a pushing one:
 * none of the actuator, Micrometer or segmat's meters is in it. (Batch's own
 * observability post-processor, which @EnableBatchProcessing registers, finds no
 * observation registry and leaves Batch's no-op one.)
 */
class MetricsOffTests extends SpringTestSupport {

	@Autowired
	ApplicationContext context;

	@Test
	void nothingMetricsRelatedStarts() {
		assertThat(this.context.getBeanNamesForType(MeterRegistry.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(ObservationRegistry.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(HealthContributor.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(RunMetrics.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(SegmentGauges.class)).isEmpty();
	}

}
