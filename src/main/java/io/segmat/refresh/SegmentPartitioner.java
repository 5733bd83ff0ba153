package io.segmat.refresh;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.segmat.db.ChangeSequence;

import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * One partition per segment the run must touch, named after the segment so that a restart
 * recognises the ones already done. All partitions share the run's watermark: whatever
 * committed up to it is included in every evaluation, anything later is seen by the next run.
 */
@Component
@JobScope
class SegmentPartitioner implements Partitioner {

	static final String SEGMENT_ID = "segmentId";

	static final String SEGMENT_NAME = "segmentName";

	static final String WORK = "work";

	static final String WATERMARK = "watermark";

	private final RefreshPlanner planner;

	private final ChangeSequence changes;

	private final SegmentEvaluator evaluator;

	private final Instant asOf;

	SegmentPartitioner(RefreshPlanner planner, ChangeSequence changes, SegmentEvaluator evaluator,
			@Value("#{jobParameters['" + RefreshParameters.AS_OF + "']}") String asOf) {
		this.planner = planner;
		this.changes = changes;
		this.evaluator = evaluator;
		this.asOf = RefreshParameters.parseInstant(asOf);
	}

	@Override
	public Map<String, ExecutionContext> partition(int gridSize) {
		long watermark = this.changes.committedWatermark();
		Long jobExecutionId = StepSynchronizationManager.getContext().getStepExecution().getJobExecutionId();
		Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
		for (PlannedSegment segment : this.planner.plan(this.asOf, (id, message) -> this.evaluator
			.markInvalidInOwnTransaction(id, this.asOf, jobExecutionId, message))) {
			ExecutionContext context = new ExecutionContext();
			context.putString(SEGMENT_ID, segment.segmentId().toString());
			context.putString(SEGMENT_NAME, segment.name());
			context.putString(WORK, segment.work().name());
			context.putLong(WATERMARK, watermark);
			partitions.put("segment:" + segment.segmentId(), context);
		}
		return partitions;
	}

}
