package io.segmat.refresh;

import java.time.Duration;

/**
 * When count and sample are next published: one hour after a membership change, otherwise
 * doubling each time they are refreshed unchanged (1, 2, 4, 8, 16 hours), capped at a
 * day.
 */
final class SampleCadence {

	private static final int FIRST_HOURS = 1;

	private final int maxHours;

	SampleCadence(Duration maxInterval) {
		this.maxHours = (int) Math.max(FIRST_HOURS, maxInterval.toHours());
	}

	/**
	 * The interval after a publication, given the one before it (null when never
	 * published).
	 */
	int nextIntervalHours(Integer previousHours, boolean membershipChanged) {
		if (membershipChanged || previousHours == null) {
			return FIRST_HOURS;
		}
		return Math.min(previousHours * 2, this.maxHours);
	}

}
