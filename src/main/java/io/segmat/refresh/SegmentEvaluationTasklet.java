package io.segmat.refresh;

import java.time.Instant;
import java.util.UUID;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.stereotype.Component;

/**
 * Evaluates the one segment of its partition, in the step's transaction. A segment that
 * fails is recorded INVALID and its step still completes, so one bad query never fails
 * the run. A samples partition instead republishes its segments one per call, each call a
 * chunk with its own transaction, so an operator's stop takes effect at the next segment.
 */
@Component
class SegmentEvaluationTasklet implements Tasklet {

	static final String SEGMENT_FAILED = "SEGMENT_FAILED";

	private final SegmentEvaluator evaluator;

	SegmentEvaluationTasklet(SegmentEvaluator evaluator) {
		this.evaluator = evaluator;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		StepExecution step = chunkContext.getStepContext().getStepExecution();
		ExecutionContext context = step.getExecutionContext();
		if (context.containsKey(SegmentPartitioner.SEGMENT_IDS)) {
			return republishNext(contribution, step, context);
		}
		UUID segmentId = UUID.fromString(context.getString(SegmentPartitioner.SEGMENT_ID));
		Instant asOf = RefreshParameters.parseInstant(step.getJobParameters().getString(RefreshParameters.AS_OF));
		PlannedSegment.Work work = PlannedSegment.Work.valueOf(context.getString(SegmentPartitioner.WORK));
		EvaluationResult result = (work == PlannedSegment.Work.EVALUATE)
				? this.evaluator.evaluate(segmentId, asOf, context.getLong(SegmentPartitioner.WATERMARK),
						step.getJobExecutionId(), EvaluationTrigger.SCHEDULED)
				: this.evaluator.republish(segmentId, asOf);
		// The step's counts carry the segment's summary into Batch's metadata: read =
		// members, write = entered,
		// filter = left.
		contribution.incrementReadCount();
		contribution.incrementWriteCount(result.entered());
		contribution.incrementFilterCount(result.exited());
		String summary = context.getString(SegmentPartitioner.SEGMENT_NAME) + ": " + result.outcome() + ", entered "
				+ result.entered() + ", left " + result.exited() + ", count " + result.contactsCount();
		if (result.outcome() == EvaluationResult.Outcome.FAILED) {
			contribution.setExitStatus(new ExitStatus(SEGMENT_FAILED,
					context.getString(SegmentPartitioner.SEGMENT_NAME) + ": " + result.errorMessage()));
		}
		else {
			contribution.setExitStatus(ExitStatus.COMPLETED.addExitDescription(summary));
		}
		return RepeatStatus.FINISHED;
	}

	private RepeatStatus republishNext(StepContribution contribution, StepExecution step, ExecutionContext context) {
		String[] ids = context.getString(SegmentPartitioner.SEGMENT_IDS).split(",");
		int next = context.getInt(SegmentPartitioner.NEXT);
		if (next < ids.length) {
			Instant asOf = RefreshParameters.parseInstant(step.getJobParameters().getString(RefreshParameters.AS_OF));
			this.evaluator.republish(UUID.fromString(ids[next]), asOf);
			contribution.incrementReadCount();
			// Saved with this chunk's commit: a restart goes on from the following
			// segment.
			context.putInt(SegmentPartitioner.NEXT, next + 1);
		}
		if (next + 1 < ids.length) {
			return RepeatStatus.CONTINUABLE;
		}
		contribution.setExitStatus(ExitStatus.COMPLETED
			.addExitDescription("count and sample republished for " + ids.length + " segments"));
		return RepeatStatus.FINISHED;
	}

}
