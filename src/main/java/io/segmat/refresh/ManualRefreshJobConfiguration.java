package io.segmat.refresh;

import java.time.Instant;
import java.util.UUID;

import io.segmat.db.ChangeSequence;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.DefaultJobParametersValidator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code segmentManualRefreshJob}: one segment evaluated now at a user's request. A job
 * of its own so that the API's {@code job_id} is a Batch execution operators can find.
 */
@Configuration(proxyBeanMethods = false)
class ManualRefreshJobConfiguration {

	static final String JOB_NAME = "segmentManualRefreshJob";

	static final String REFRESH_SEGMENT_STEP = "refreshSegmentStep";

	static final String SEGMENT_ID = "segmentId";

	static final String AS_OF = "asOf";

	static final String TIME_ZONE = "timeZone";

	@Bean
	Job segmentManualRefreshJob(JobRepository jobRepository, Step refreshSegmentStep) {
		return new JobBuilder(JOB_NAME, jobRepository)
			.validator(new DefaultJobParametersValidator(new String[] { SEGMENT_ID, AS_OF, TIME_ZONE }, new String[0]))
			.start(refreshSegmentStep)
			.build();
	}

	@Bean
	Step refreshSegmentStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			SegmentEvaluator evaluator, ChangeSequence changes, JdbcClient jdbc) {
		return new StepBuilder(REFRESH_SEGMENT_STEP, jobRepository).tasklet((contribution, chunkContext) -> {
			StepExecution step = chunkContext.getStepContext().getStepExecution();
			UUID segmentId = UUID.fromString(step.getJobParameters().getString(SEGMENT_ID));
			Instant asOf = Instant.parse(step.getJobParameters().getString(AS_OF));
			EvaluationResult result;
			try (LogContext logContext = LogContext.of(step.getJobExecutionId(), segmentId)) {
				result = evaluator.evaluate(segmentId, asOf, changes.committedWatermark(), step.getJobExecutionId(),
						EvaluationTrigger.MANUAL);
			}
			jdbc.sql("UPDATE segment SET refresh_time_zone = ? WHERE id = ?")
				.params(step.getJobParameters().getString(TIME_ZONE), segmentId)
				.update();
			contribution.incrementReadCount();
			contribution.incrementWriteCount(result.entered());
			contribution.incrementFilterCount(result.exited());
			return RepeatStatus.FINISHED;
		}, transactionManager).build();
	}

}
