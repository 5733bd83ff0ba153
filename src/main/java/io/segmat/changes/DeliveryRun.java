package io.segmat.changes;

/**
 * How a delivery run ended.
 *
 * @param outcome what happened
 * @param executionId the Batch job execution, when one ran
 * @param delivered changes the receiver acknowledged in this run
 * @param message a sentence for the operator
 */
public record DeliveryRun(Outcome outcome, Long executionId, long delivered, String message) {

	public enum Outcome {

		/** Everything recorded was delivered. */
		COMPLETED,

		/** The receiver kept failing; the rest waits for the next run. */
		FAILED,

		/** Another delivery holds the lock. */
		LOCKED,

		/** No webhook is configured. */
		NOT_CONFIGURED

	}

}
