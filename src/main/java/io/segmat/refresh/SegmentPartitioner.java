package io.segmat.refresh;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.segmat.db.ChangeSequence;

import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * One partition per segment the run must evaluate, named after the segment so that a
 * restart recognises the ones already done. The segments that only need their count and
 * sample published again, the bulk of a quiet run, cost one short sample query each, and
 * a partition step of their own would add as much again in Batch's bookkeeping
 * (splitting, creating, starting and finishing a step execution and its context): they
 * share "samples:N" partitions instead, as many as there are workers, each handling its
 * segments one per chunk in their own transactions, so that a restart resumes after the
 * last one committed. All partitions share the run's watermark: whatever committed up to
 * it is included in every evaluation, anything later is seen by the next run.
 */
@Component
@JobScope
class SegmentPartitioner implements Partitioner {

	static final String SEGMENT_ID = "segmentId";

	static final String SEGMENT_NAME = "segmentName";

	static final String WORK = "work";

	static final String WATERMARK = "watermark";

	/** A samples partition's segments, comma-separated, in the order they are handled. */
	static final String SEGMENT_IDS = "segmentIds";

	/**
	 * A samples partition's progress: the index of the next segment in
	 * {@link #SEGMENT_IDS}.
	 */
	static final String NEXT = "next";

	private final RefreshPlanner planner;

	private final ChangeSequence changes;

	private final SegmentEvaluator evaluator;

	private final Instant asOf;

	private final int threads;

	SegmentPartitioner(RefreshPlanner planner, ChangeSequence changes, SegmentEvaluator evaluator,
			@Value("#{jobParameters['" + RefreshParameters.AS_OF + "']}") String asOf,
			@Value("#{jobParameters['" + RefreshParameters.THREADS + "']}") Long threads) {
		this.planner = planner;
		this.changes = changes;
		this.evaluator = evaluator;
		this.asOf = RefreshParameters.parseInstant(asOf);
		this.threads = (int) Math.max(1, threads);
	}

	@Override
	public Map<String, ExecutionContext> partition(int gridSize) {
		long watermark = this.changes.committedWatermark();
		Long jobExecutionId = StepSynchronizationManager.getContext().getStepExecution().getJobExecutionId();
		Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
		List<PlannedSegment> republish = new ArrayList<>();
		for (PlannedSegment segment : this.planner.plan(this.asOf,
				(id, message) -> this.evaluator.markInvalidInOwnTransaction(id, this.asOf, jobExecutionId, message))) {
			if (segment.work() == PlannedSegment.Work.REPUBLISH) {
				republish.add(segment);
				continue;
			}
			ExecutionContext context = new ExecutionContext();
			context.putString(SEGMENT_ID, segment.segmentId().toString());
			context.putString(SEGMENT_NAME, segment.name());
			context.putString(WORK, segment.work().name());
			context.putLong(WATERMARK, watermark);
			partitions.put("segment:" + segment.segmentId(), context);
		}
		// A segment's group follows from its id alone, so a restart, which plans again,
		// puts every segment still
		// due into the group it had: that group did not complete, and resumes its own
		// list where it stopped.
		Map<Integer, List<String>> groups = new TreeMap<>();
		for (PlannedSegment segment : republish) {
			groups
				.computeIfAbsent(Math.floorMod(segment.segmentId().hashCode(), this.threads),
						(group) -> new ArrayList<>())
				.add(segment.segmentId().toString());
		}
		groups.forEach((group, ids) -> {
			ExecutionContext context = new ExecutionContext();
			context.putString(WORK, PlannedSegment.Work.REPUBLISH.name());
			context.putString(SEGMENT_IDS, String.join(",", ids));
			context.putInt(NEXT, 0);
			context.putLong(WATERMARK, watermark);
			partitions.put("samples:" + (group + 1), context);
		});
		return partitions;
	}

}
