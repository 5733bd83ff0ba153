package io.segmat.refresh;

import java.time.Instant;
import java.util.List;
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
 * its segments' samples again, {@link SegmentPartitions#SAMPLES_PER_CHUNK} per call, each
 * call a chunk with its own transaction, so an operator's stop takes effect at the next
 * chunk.
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
			return publishNextSamples(contribution, context, asOf);
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

	private RepeatStatus publishNextSamples(StepContribution contribution, ExecutionContext context, Instant asOf) {
		List<String> ids = List.of(context.getString(SegmentPartitions.SEGMENT_IDS).split(",", -1));
		int next = context.getInt(SegmentPartitions.NEXT);
		int end = Math.min(next + SegmentPartitions.SAMPLES_PER_CHUNK, ids.size());
		if (next < end) {
			List<EvaluationResult> results = this.publisher
				.republish(ids.subList(next, end).stream().map(UUID::fromString).toList(), asOf);
			logger.debug("count and sample republished for {} segments", results.size());
			results.forEach((result) -> contribution.incrementReadCount());
			// Saved with this chunk's commit: a restart goes on from the following
			// segment.
			context.putInt(SegmentPartitions.NEXT, end);
		}
		if (end < ids.size()) {
			return RepeatStatus.CONTINUABLE;
		}
		contribution.setExitStatus(ExitStatus.COMPLETED
			.addExitDescription("count and sample republished for " + ids.size() + " segments"));
		return RepeatStatus.FINISHED;
	}

}
