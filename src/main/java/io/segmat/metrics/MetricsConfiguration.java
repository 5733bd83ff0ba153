package io.segmat.metrics;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.segmat.refresh.RefreshSettings;

import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.micrometer.metrics.export.prometheus.PrometheusPushGatewayManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * segmat's meters, in a context that asked for metrics ({@link Metrics}). Spring Batch's
 * own observations need nothing here: Boot's observation registry is there, and Boot
 * hands it to every job, step and the job operator (Batch's
 * {@code BatchObservabilityBeanPostProcessor}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(Metrics.ENABLED)
class MetricsConfiguration {

	@Bean
	RunMetrics runMetrics(MeterRegistry registry, JdbcClient jdbc) {
		return new RunMetrics(registry, jdbc);
	}

	@Bean
	SegmentGauges segmentGauges(PrometheusRegistry registry, JdbcClient jdbc, Clock clock, RefreshSettings settings) {
		SegmentGauges gauges = new SegmentGauges(jdbc, clock, settings.evaluationInterval());
		registry.register(gauges);
		return gauges;
	}

	/**
	 * Batch names a partition's step execution {@code step:partition}, one per segment
	 * for the refresh; its step timer keeps the step's name alone, as segmat's own series
	 * already say what each segment did.
	 */
	@Bean
	MeterFilter partitionlessStepNames() {
		return MeterFilter.replaceTagValues("spring.batch.step.name", (name) -> {
			int colon = name.indexOf(':');
			return (colon > 0) ? name.substring(0, colon) : name;
		});
	}

	/**
	 * {@link RunMetrics} listens to every job, so that no job's configuration needs to
	 * know about metrics. It is looked up when a job ends, not when the job is built.
	 */
	@Bean
	static BeanPostProcessor runMetricsListener(ObjectProvider<RunMetrics> runMetrics) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof AbstractJob job) {
					job.registerJobExecutionListener(
							new org.springframework.batch.core.listener.JobExecutionListener() {

								@Override
								public void afterJob(JobExecution execution) {
									runMetrics.getObject().afterJob(execution);
								}

							});
				}
				return bean;
			}

		};
	}

	/**
	 * Orders the push on shutdown. Boot's Pushgateway manager pushes when it is
	 * destroyed, and beans are destroyed before what they depend on: depending on the
	 * segment gauges (and so on the database) it pushes while they can still be read; the
	 * job operator depending on it, a run stopped by SIGTERM has ended, and its figures
	 * are recorded, before the push. Eager even when the context is lazy, or nothing
	 * would ever create it.
	 */
	@Bean
	static BeanFactoryPostProcessor pushAfterTheRun() {
		return (ConfigurableListableBeanFactory beanFactory) -> {
			String[] managers = beanFactory.getBeanNamesForType(PrometheusPushGatewayManager.class, true, false);
			for (String manager : managers) {
				BeanDefinition definition = beanFactory.getBeanDefinition(manager);
				definition.setLazyInit(false);
				definition.setDependsOn(with(definition.getDependsOn(), "segmentGauges"));
				for (String operator : beanFactory.getBeanNamesForType(JobOperator.class, true, false)) {
					BeanDefinition operatorDefinition = beanFactory.getBeanDefinition(operator);
					operatorDefinition.setDependsOn(with(operatorDefinition.getDependsOn(), manager));
				}
			}
		};
	}

	private static String[] with(String[] names, String name) {
		List<String> all = new ArrayList<>((names != null) ? Arrays.asList(names) : List.of());
		all.add(name);
		return all.toArray(String[]::new);
	}

}
