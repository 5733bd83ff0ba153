package io.segmat.refresh;

import java.util.UUID;

/** One segment a run must touch, and how. */
record PlannedSegment(UUID segmentId, String name, Work work) {

	enum Work {

		/** Evaluate the query and rewrite the membership. */
		EVALUATE,

		/** Only publish count and a new sample: nothing it depends on changed. */
		REPUBLISH

	}

}
