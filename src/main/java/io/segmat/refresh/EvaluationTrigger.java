package io.segmat.refresh;

/** Why a segment was evaluated; stored in segment_evaluation.trigger. */
public enum EvaluationTrigger {

	/** By the refresh job. */
	SCHEDULED,

	/** By a user's manual refresh: count and sample now, backoff left alone. */
	MANUAL;

	String column() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
