package io.segmat.refresh;

/**
 * What one segment's evaluation did.
 *
 * @param outcome whether it ran, failed, or the segment was gone
 * @param entered members added
 * @param exited members removed
 * @param contactsCount the membership's size afterwards
 * @param published whether count and sample were published
 * @param errorMessage why it failed, when it did
 */
public record EvaluationResult(Outcome outcome, long entered, long exited, long contactsCount, boolean published,
		String errorMessage) {

	static EvaluationResult gone() {
		return new EvaluationResult(Outcome.GONE, 0, 0, 0, false, null);
	}

	static EvaluationResult failed(String message) {
		return new EvaluationResult(Outcome.FAILED, 0, 0, 0, false, message);
	}

	public enum Outcome {

		EVALUATED, SAMPLED, FAILED, GONE

	}

}
