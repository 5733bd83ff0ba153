package io.segmat.refresh;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.segmat.db.ChangeSequence;

import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Plans the run ({@link RefreshPlanner}) and lays the plan out as partitions
 * ({@link SegmentPartitions}). Batch calls it again on a restart, and the new plan
 * decides which segments are still due; partitions that already completed are skipped by
 * name.
 */
@Component
@JobScope
class SegmentPartitioner implements Partitioner {

	private final RefreshPlanner planner;

	private final ChangeSequence changes;

	private final SegmentEvaluator evaluator;

	private final Instant asOf;

	private final int workers;

	SegmentPartitioner(RefreshPlanner planner, ChangeSequence changes, SegmentEvaluator evaluator,
			@Value("#{jobParameters['" + RefreshParameters.AS_OF + "']}") String asOf,
			@Value("#{jobParameters['" + RefreshParameters.THREADS + "']}") Long threads) {
		this.planner = planner;
		this.changes = changes;
		this.evaluator = evaluator;
		this.asOf = RefreshParameters.parseInstant(asOf);
		this.workers = (int) Math.max(1, threads);
	}

	@Override
	public Map<String, ExecutionContext> partition(int gridSize) {
		long watermark = this.changes.committedWatermark();
		Long jobExecutionId = StepSynchronizationManager.getContext().getStepExecution().getJobExecutionId();
		List<PlannedSegment> plan = this.planner.plan(this.asOf,
				(id, message) -> this.evaluator.markInvalidInOwnTransaction(id, this.asOf, jobExecutionId, message));
		return SegmentPartitions.of(plan, watermark, this.workers);
	}

}
