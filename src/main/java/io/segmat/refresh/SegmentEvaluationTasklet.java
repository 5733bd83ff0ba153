package io.segmat.refresh;

import java.time.Instant;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.stereotype.Component;

/**
 * Runs one partition of {@link SegmentPartitions}. A segment's partition evaluates it in
 * the step's transaction; a segment that fails is recorded INVALID and its step still
 * completes, so one bad query never fails the run. A samples partition instead publishes
 * its segments' samples again one per call, each call a chunk with its own transaction,
 * so an operator's stop takes effect at the next segment.
 */
@Component
class SegmentEvaluationTasklet implements Tasklet {

	static final String SEGMENT_FAILED = "SEGMENT_FAILED";

	private static final Logger logger = LoggerFactory.getLogger(SegmentEvaluationTasklet.class);

	private final SegmentEvaluator evaluator;

	private final SamplePublisher publisher;

	SegmentEvaluationTasklet(SegmentEvaluator evaluator, SamplePublisher publisher) {
		this.evaluator = evaluator;
		this.publisher = publisher;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		StepExecution step = chunkContext.getStepContext().getStepExecution();
		ExecutionContext context = step.getExecutionContext();
		Instant asOf = RefreshParameters.parseInstant(step.getJobParameters().getString(RefreshParameters.AS_OF));
		if (SegmentPartitions.isSamples(context)) {
			return publishNextSample(contribution, context, asOf);
		}
		return evaluate(contribution, step, context, asOf);
	}

	private RepeatStatus evaluate(StepContribution contribution, StepExecution step, ExecutionContext context,
			Instant asOf) {
		UUID segmentId = UUID.fromString(context.getString(SegmentPartitions.SEGMENT_ID));
		try (LogContext logContext = LogContext.of(step.getJobExecutionId(), segmentId)) {
			// A segment's own partition always evaluates. Executions from before the
			// samples partitions stored a "work" key that could say REPUBLISH; a restart
			// of one evaluates instead, which publishes the sample too, with a count that
			// is right.
			EvaluationResult result = this.evaluator.evaluate(segmentId, asOf,
					context.getLong(SegmentPartitions.WATERMARK), step.getJobExecutionId(),
					EvaluationTrigger.SCHEDULED);
			logger.debug("segment {}: {}, entered {}, left {}, count {}", segmentId, result.outcome(), result.entered(),
					result.exited(), result.contactsCount());
			return summarize(contribution, context, result);
		}
	}

	private RepeatStatus summarize(StepContribution contribution, ExecutionContext context, EvaluationResult result) {
		// The step's counts carry the segment's summary into Batch's metadata: read =
		// members, write = entered, filter = left.
		contribution.incrementReadCount();
		contribution.incrementWriteCount(result.entered());
		contribution.incrementFilterCount(result.exited());
		String name = context.getString(SegmentPartitions.SEGMENT_NAME);
		if (result.outcome() == EvaluationResult.Outcome.FAILED) {
			contribution.setExitStatus(new ExitStatus(SEGMENT_FAILED, name + ": " + result.errorMessage()));
		}
		else {
			contribution
				.setExitStatus(ExitStatus.COMPLETED.addExitDescription(name + ": " + result.outcome() + ", entered "
						+ result.entered() + ", left " + result.exited() + ", count " + result.contactsCount()));
		}
		return RepeatStatus.FINISHED;
	}

	private RepeatStatus publishNextSample(StepContribution contribution, ExecutionContext context, Instant asOf) {
		String[] ids = context.getString(SegmentPartitions.SEGMENT_IDS).split(",", -1);
		int next = context.getInt(SegmentPartitions.NEXT);
		if (next < ids.length) {
			UUID segmentId = UUID.fromString(ids[next]);
			try (LogContext logContext = LogContext.of(contribution.getStepExecution().getJobExecutionId(),
					segmentId)) {
				this.publisher.republish(segmentId, asOf);
				logger.debug("segment {}: count and sample republished", segmentId);
			}
			contribution.incrementReadCount();
			// Saved with this chunk's commit: a restart goes on from the
			// following segment.
			context.putInt(SegmentPartitions.NEXT, next + 1);
		}
		if (next + 1 < ids.length) {
			return RepeatStatus.CONTINUABLE;
		}
		contribution.setExitStatus(ExitStatus.COMPLETED
			.addExitDescription("count and sample republished for " + ids.length + " segments"));
		return RepeatStatus.FINISHED;
	}

}
