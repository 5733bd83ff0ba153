package io.segmat.refresh;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentPartitionsTests {

	private static final long WATERMARK = 42;

	@Test
	void eachSegmentToEvaluateHasAPartitionNamedAfterIt() {
		// given a plan with two segments to evaluate
		PlannedSegment uk = evaluate("uk");
		PlannedSegment us = evaluate("us");

		// when it is laid out
		Map<String, ExecutionContext> partitions = SegmentPartitions.of(List.of(uk, us), WATERMARK, 2);

		// then each has its own partition, in plan order, with what its evaluation needs
		assertThat(partitions).containsOnlyKeys("segment:" + uk.segmentId(), "segment:" + us.segmentId());
		assertThat(partitions.keySet()).first().isEqualTo("segment:" + uk.segmentId());
		ExecutionContext context = partitions.get("segment:" + uk.segmentId());
		assertThat(context.getString(SegmentPartitions.SEGMENT_ID)).isEqualTo(uk.segmentId().toString());
		assertThat(context.getString(SegmentPartitions.SEGMENT_NAME)).isEqualTo("uk");
		assertThat(context.getLong(SegmentPartitions.WATERMARK)).isEqualTo(WATERMARK);
		assertThat(SegmentPartitions.isSamples(context)).isFalse();
	}

	@Test
	void segmentsToRepublishShareAtMostOneSamplesPartitionPerWorker() {
		// given a plan of twenty segments whose samples only need publishing again
		List<PlannedSegment> plan = IntStream.range(0, 20).mapToObj((i) -> republish("s" + i)).toList();

		// when it is laid out for three workers
		Map<String, ExecutionContext> partitions = SegmentPartitions.of(plan, WATERMARK, 3);

		// then at most three samples partitions list every segment once, each starting at
		// its first
		assertThat(partitions).hasSizeBetween(1, 3);
		assertThat(partitions.keySet()).allMatch((name) -> name.matches("samples:[123]"));
		List<String> listed = new ArrayList<>();
		partitions.values().forEach((context) -> {
			assertThat(SegmentPartitions.isSamples(context)).isTrue();
			assertThat(context.getInt(SegmentPartitions.NEXT)).isZero();
			assertThat(context.getLong(SegmentPartitions.WATERMARK)).isEqualTo(WATERMARK);
			listed.addAll(List.of(context.getString(SegmentPartitions.SEGMENT_IDS).split(",")));
		});
		assertThat(listed).containsExactlyInAnyOrderElementsOf(
				plan.stream().map((segment) -> segment.segmentId().toString()).toList());
	}

	@Test
	void aSegmentToRepublishIsInTheSameSamplesPartitionWhateverElseIsPlanned() {
		// given a segment to republish, planned alone and then among others
		PlannedSegment segment = republish("uk");
		List<PlannedSegment> crowded = new ArrayList<>(
				IntStream.range(0, 10).mapToObj((i) -> republish("s" + i)).toList());
		crowded.add(5, segment);

		// when both plans are laid out
		String alone = samplesPartitionOf(segment, SegmentPartitions.of(List.of(segment), WATERMARK, 4));
		String amongOthers = samplesPartitionOf(segment, SegmentPartitions.of(crowded, WATERMARK, 4));

		// then it lands in the same partition, which is what lets a restart resume it
		assertThat(amongOthers).isEqualTo(alone);
	}

	private static String samplesPartitionOf(PlannedSegment segment, Map<String, ExecutionContext> partitions) {
		return partitions.entrySet()
			.stream()
			.filter((partition) -> List.of(partition.getValue().getString(SegmentPartitions.SEGMENT_IDS).split(","))
				.contains(segment.segmentId().toString()))
			.map(Map.Entry::getKey)
			.findFirst()
			.orElseThrow();
	}

	private static PlannedSegment evaluate(String name) {
		return new PlannedSegment(UUID.randomUUID(), name, PlannedSegment.Work.EVALUATE);
	}

	private static PlannedSegment republish(String name) {
		return new PlannedSegment(UUID.randomUUID(), name, PlannedSegment.Work.REPUBLISH);
	}

}
