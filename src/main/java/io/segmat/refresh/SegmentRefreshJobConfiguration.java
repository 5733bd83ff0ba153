package io.segmat.refresh;

import io.segmat.changes.ChangeRetention;
import io.segmat.query.QueryCompiler;

import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code segmentRefreshJob}: plans which segments are due ({@link RefreshPlanner}), lays
 * them out as partitions ({@link SegmentPartitions}), then {@code --threads} workers
 * evaluate each due segment ({@link SegmentEvaluator}) and publish the samples that only
 * need publishing again ({@link SamplePublisher}). Each partition is a step execution of
 * its own, so a restarted slot skips the partitions that already completed; each segment
 * commits in its own transaction. Last, the change feed's expired changes are pruned
 * ({@link ChangeRetention}), a batch per transaction, after the partitions of deleted
 * segments are removed ({@link OrphanPartitions}) in the same step: a step of their own
 * would add its bookkeeping to every run. The step names are stored in Batch's metadata,
 * which a restart reads back: they stay as they are.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RefreshSettings.class)
class SegmentRefreshJobConfiguration {

	static final String JOB_NAME = "segmentRefreshJob";

	static final String EVALUATE_SEGMENTS_STEP = "evaluateSegmentsStep";

	static final String EVALUATE_SEGMENT_STEP = "evaluateSegmentStep";

	static final String PRUNE_CHANGES_STEP = "pruneChangesStep";

	@Bean
	QueryCompiler queryCompiler() {
		return new QueryCompiler();
	}

	@Bean
	Job segmentRefreshJob(JobRepository jobRepository, Step evaluateSegmentsStep, Step pruneChangesStep,
			RefreshOutcomeListener outcome) {
		return new JobBuilder(JOB_NAME, jobRepository).validator(new RefreshParametersValidator())
			.listener(outcome)
			.start(evaluateSegmentsStep)
			.next(pruneChangesStep)
			.build();
	}

	/**
	 * The workers, as many as the run's {@code threads}. Job-scoped so each run sizes its
	 * own; the step itself stays a singleton, which the operator's stop needs.
	 */
	@Bean
	@JobScope
	SimpleAsyncTaskExecutor segmentRefreshWorkers(
			@Value("#{jobParameters['" + RefreshParameters.THREADS + "']}") Long threads) {
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("segmat-refresh-");
		executor.setConcurrencyLimit((int) Math.max(1, threads));
		return executor;
	}

	@Bean
	Step evaluateSegmentsStep(JobRepository jobRepository, Step evaluateSegmentStep, SegmentPartitioner partitioner,
			SimpleAsyncTaskExecutor segmentRefreshWorkers) {
		return new StepBuilder(EVALUATE_SEGMENTS_STEP, jobRepository).partitioner(EVALUATE_SEGMENT_STEP, partitioner)
			.step(evaluateSegmentStep)
			.taskExecutor(segmentRefreshWorkers)
			.build();
	}

	@Bean
	Step evaluateSegmentStep(JobRepository jobRepository, SegmentEvaluationTasklet tasklet,
			PlatformTransactionManager transactionManager) {
		return new StepBuilder(EVALUATE_SEGMENT_STEP, jobRepository).tasklet(tasklet, transactionManager).build();
	}

	@Bean
	Step pruneChangesStep(JobRepository jobRepository, ChangeRetention retention, OrphanPartitions orphans,
			PlatformTransactionManager transactionManager) {
		return new StepBuilder(PRUNE_CHANGES_STEP, jobRepository).tasklet(orphans.before(retention), transactionManager)
			.build();
	}

}
