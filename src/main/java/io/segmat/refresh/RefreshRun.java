package io.segmat.refresh;

import java.util.List;

/**
 * How a launch of the refresh ended.
 *
 * @param outcome what happened
 * @param slot the slot it ran (or found done)
 * @param executionId the Batch job execution, when one ran
 * @param message a sentence for the operator
 * @param failedSegments "name: reason" of each segment that failed
 */
public record RefreshRun(Outcome outcome, String slot, Long executionId, String message, List<String> failedSegments) {

	public enum Outcome {

		/** Every due segment was evaluated. */
		COMPLETED,

		/** The slot had completed before; nothing ran. */
		ALREADY_COMPLETED,

		/** The run completed, but some segments failed and are now INVALID. */
		COMPLETED_WITH_FAILED_SEGMENTS,

		/** The run failed or was stopped; the slot can be run again to finish it. */
		FAILED,

		/** Another run holds the lock. */
		LOCKED,

		/** A parameter was missing or malformed. */
		INVALID_PARAMETERS

	}

}
