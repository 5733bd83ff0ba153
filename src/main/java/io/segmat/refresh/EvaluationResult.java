package io.segmat.refresh;

/**
 * What one segment's evaluation, or the republication of its sample, did.
 *
 * @param outcome whether it ran, failed, or the segment was gone
 * @param entered members added
 * @param exited members removed
 * @param contactsCount the membership's size afterwards
 * @param errorMessage why it failed, when it did
 */
public record EvaluationResult(Outcome outcome, long entered, long exited, long contactsCount, String errorMessage) {

	static EvaluationResult gone() {
		return new EvaluationResult(Outcome.GONE, 0, 0, 0, null);
	}

	static EvaluationResult failed(String message) {
		return new EvaluationResult(Outcome.FAILED, 0, 0, 0, message);
	}

	public enum Outcome {

		EVALUATED, SAMPLED, FAILED, GONE

	}

}
