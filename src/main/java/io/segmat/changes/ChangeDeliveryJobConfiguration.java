package io.segmat.changes;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code changeDeliveryJob}: posts the change feed to SEGMAT_CHANGES_WEBHOOK_URL, a batch
 * of changes per transaction of its one step ({@link ChangeDelivery}), until every
 * segment's changes are delivered or the receiver keeps failing. Each run is a new
 * instance (its {@code run} parameter is the instant it started): what a failed run left
 * undelivered waits in the feed, behind the destination's cursor, for the next one.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ChangeSettings.class)
class ChangeDeliveryJobConfiguration {

	static final String JOB_NAME = "changeDeliveryJob";

	static final String DELIVER_CHANGES_STEP = "deliverChangesStep";

	static final String RUN = "run";

	@Bean
	Job changeDeliveryJob(JobRepository jobRepository, Step deliverChangesStep) {
		return new JobBuilder(JOB_NAME, jobRepository).start(deliverChangesStep).build();
	}

	@Bean
	Step deliverChangesStep(JobRepository jobRepository, ChangeDelivery delivery,
			PlatformTransactionManager transactionManager) {
		return new StepBuilder(DELIVER_CHANGES_STEP, jobRepository).tasklet(delivery, transactionManager).build();
	}

}
