package io.segmat.refresh;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RefreshParametersTests {

	@Test
	void anInstantADateOrAnOffsetIsRead() {
		assertThat(RefreshParameters.parseInstant("2026-11-28T21:45:00Z"))
			.isEqualTo(Instant.parse("2026-11-28T21:45:00Z"));
		assertThat(RefreshParameters.parseInstant("2026-11-28")).isEqualTo(Instant.parse("2026-11-28T00:00:00Z"));
		assertThat(RefreshParameters.parseInstant("2026-11-28T22:45:00+01:00"))
			.isEqualTo(Instant.parse("2026-11-28T21:45:00Z"));
	}

	@Test
	void theFirstAndLastInstantsOfTheRangeAreAccepted() {
		assertThat(RefreshParameters.parseInstant("1970-01-01T00:00:00Z")).isEqualTo(Instant.EPOCH);
		assertThat(RefreshParameters.parseInstant("9999-12-31T23:59:59Z"))
			.isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
	}

	@Test
	void yearsOutsideNineteenSeventyToNineNineNineNineAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> RefreshParameters.parseInstant("-2026-01-01T00:00:00Z"))
			.withMessageContaining("outside the years 1970 to 9999");
		assertThatIllegalArgumentException().isThrownBy(() -> RefreshParameters.parseInstant("0000-01-01T00:00:00Z"))
			.withMessageContaining("outside the years 1970 to 9999");
		assertThatIllegalArgumentException().isThrownBy(() -> RefreshParameters.parseInstant("+10000-01-01T00:00:00Z"))
			.withMessageContaining("outside the years 1970 to 9999");
		assertThatIllegalArgumentException().isThrownBy(() -> RefreshParameters.parseInstant("1969-12-31T23:59:59Z"))
			.withMessageContaining("outside the years 1970 to 9999");
	}

}
