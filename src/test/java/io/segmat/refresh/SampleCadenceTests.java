package io.segmat.refresh;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SampleCadenceTests {

	private final SampleCadence cadence = new SampleCadence(Duration.ofHours(24));

	@Test
	void aFirstPublicationIsFollowedAnHourLater() {
		assertThat(this.cadence.nextIntervalHours(null, false)).isEqualTo(1);
	}

	@Test
	void unchangedPublicationsDoubleTheIntervalUpToTheMaximum() {
		// given a segment published once
		int interval = this.cadence.nextIntervalHours(null, false);
		StringBuilder intervals = new StringBuilder().append(interval);

		// when it is published unchanged six more times
		for (int i = 0; i < 6; i++) {
			interval = this.cadence.nextIntervalHours(interval, false);
			intervals.append(' ').append(interval);
		}

		// then the interval doubles and stops at a day
		assertThat(intervals).hasToString("1 2 4 8 16 24 24");
	}

	@Test
	void aMembershipChangeStartsAgainFromAnHour() {
		assertThat(this.cadence.nextIntervalHours(16, true)).isEqualTo(1);
	}

	@Test
	void aMaximumUnderAnHourStillWaitsAnHour() {
		assertThat(new SampleCadence(Duration.ofMinutes(10)).nextIntervalHours(1, false)).isEqualTo(1);
	}

}
