package io.segmat.refresh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * How a plan is laid out as partitions of the evaluation step. The names and keys here
 * are stored in Batch's metadata, and a restart of an earlier execution reads them back
 * from there: changing one breaks the restart of executions that stored the old one.
 * <p>
 * Each segment to evaluate gets a partition of its own, named after the segment so that a
 * restart recognises the ones already done. The segments that only need their count and
 * sample published again, the bulk of a quiet run, cost one short sample query each, and
 * a partition step of their own would add as much again in Batch's bookkeeping
 * (splitting, creating, starting and finishing a step execution and its context): they
 * share "samples:N" partitions instead, as many as there are workers, each handling its
 * segments {@link #SAMPLES_PER_CHUNK} per chunk in their own transactions, so that a
 * restart resumes after the last chunk committed. All partitions share the run's
 * watermark: whatever committed up to it is included in every evaluation, anything later
 * is seen by the next run.
 */
final class SegmentPartitions {

	static final String SEGMENT_ID = "segmentId";

	static final String SEGMENT_NAME = "segmentName";

	static final String WATERMARK = "watermark";

	/** A samples partition's segments, comma-separated, in the order they are handled. */
	static final String SEGMENT_IDS = "segmentIds";

	/**
	 * A samples partition's progress: the index of the next segment in
	 * {@link #SEGMENT_IDS}.
	 */
	static final String NEXT = "next";

	/**
	 * Segments a samples partition publishes per chunk. Each chunk pays Batch's
	 * bookkeeping (a context update, a version check, a step update and a commit, about
	 * as much as two samples), which this many segments share; a sample costs a few
	 * milliseconds whatever the segment's size, so an operator's stop still takes effect
	 * within a fraction of a second.
	 */
	static final int SAMPLES_PER_CHUNK = 20;

	private SegmentPartitions() {
	}

	/**
	 * The partitions of a plan, by name.
	 * @param watermark the committed change number every evaluation includes
	 * @param workers how many samples partitions there may be at most
	 */
	static Map<String, ExecutionContext> of(List<PlannedSegment> plan, long watermark, int workers) {
		Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
		List<PlannedSegment> republish = new ArrayList<>();
		for (PlannedSegment segment : plan) {
			if (segment.work() == PlannedSegment.Work.REPUBLISH) {
				republish.add(segment);
				continue;
			}
			ExecutionContext context = new ExecutionContext();
			context.putString(SEGMENT_ID, segment.segmentId().toString());
			context.putString(SEGMENT_NAME, segment.name());
			context.putLong(WATERMARK, watermark);
			partitions.put("segment:" + segment.segmentId(), context);
		}
		// A segment's group follows from its id alone, so a restart, which plans again,
		// puts every segment still due into the group it had: that group did not
		// complete, and resumes its own list where it stopped.
		Map<Integer, List<String>> groups = new TreeMap<>();
		for (PlannedSegment segment : republish) {
			groups.computeIfAbsent(Math.floorMod(segment.segmentId().hashCode(), workers), (group) -> new ArrayList<>())
				.add(segment.segmentId().toString());
		}
		groups.forEach((group, ids) -> {
			ExecutionContext context = new ExecutionContext();
			context.putString(SEGMENT_IDS, String.join(",", ids));
			context.putInt(NEXT, 0);
			context.putLong(WATERMARK, watermark);
			partitions.put("samples:" + (group + 1), context);
		});
		return partitions;
	}

	/** Whether the partition is a samples partition rather than one segment's. */
	static boolean isSamples(ExecutionContext context) {
		return context.containsKey(SEGMENT_IDS);
	}

}
