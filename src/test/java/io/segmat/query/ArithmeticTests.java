package io.segmat.query;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ArithmeticTests {

	@Test
	void aConstantTimestampShiftedByAnIntervalIsFoldedInUtc() {
		// given a date plus one month
		CompilerUnits units = CompilerUnits.where("created_at > TIMESTAMP '2024-01-31' + INTERVAL 1 MONTH");

		// when compiled / then one bound timestamp is compared
		Frag compiled = units.compile();
		assertThat(compiled.sql()).isEqualTo("(c.created_at > ?::timestamptz)");
		assertThat(compiled.params()).hasSize(1);
		assertThat(compiled.params().get(0).toString()).isEqualTo("2024-02-29T00:00Z");
	}

	@Test
	void divisionByZeroIsNullNotAFailure() {
		CompilerUnits units = CompilerUnits.where("lifetime_value / 0 > 1");

		assertThat(units.compile().sql()).startsWith("(((c.custom_fields->>'e2_N')::numeric / NULLIF(?::numeric, 0))");
	}

	@Test
	void aTimestampMayOnlyBeShiftedByAnInterval() {
		CompilerUnits units = CompilerUnits.where("created_at + 1 > CURRENT_TIMESTAMP");

		assertThatExceptionOfType(QueryException.class).isThrownBy(units::compile)
			.withMessageContaining("a timestamp may only be shifted by an interval");
	}

	@Test
	void arithmeticBeyondYear9999IsRefusedWhereItIs() {
		Arithmetic arithmetic = new Arithmetic(null, CompilerUnits.where("true").positions, null);

		assertThatExceptionOfType(QueryException.class)
			.isThrownBy(() -> arithmetic.plus(Instant.parse("9999-12-01T00:00:00Z"), 2, "month", null))
			.withMessage("the timestamp arithmetic goes out of range at line 1, column 1");
	}

}
