package io.segmat.query;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConditionsTests {

	@Test
	void conjunctsAreTheTopLevelAndOperandsInOrder() {
		// given three conditions joined by AND, one of them an OR
		CompilerUnits units = CompilerUnits.where("email = 'a' AND (plan = 'b' OR plan = 'c') AND city = 'd'");

		// when split / then the OR stays whole
		assertThat(Conditions.conjuncts(units.condition())).extracting(Object::toString)
			.containsExactly("email = 'a'", "(plan = 'b' OR plan = 'c')", "city = 'd'");
	}

	@Test
	void inWithConstantsBindsOneArray() {
		// given IN with three numbers
		CompilerUnits units = CompilerUnits.where("lifetime_value IN (1, 2, 3)");

		// when compiled
		Frag compiled = units.compile();

		// then one numeric array is bound
		assertThat(compiled.sql()).isEqualTo("((c.custom_fields->>'e2_N')::numeric = ANY(?::numeric[]))");
		assertThat((String[]) compiled.params().get(0)).containsExactly("1", "2", "3");
	}

	@Test
	void aNullInAnInListKeepsSqlsUnknown() {
		// given NOT IN with a NULL among the values
		CompilerUnits units = CompilerUnits.where("email NOT IN ('a', NULL)");

		// when compiled / then a miss is unknown, not true
		assertThat(units.compile().sql()).isEqualTo("((c.email <> ALL(?::text[])) AND NULL)");
	}

	@Test
	void contactIdEqualToAUuidUsesTheUuidColumn() {
		// given contact_id compared with a uuid
		CompilerUnits units = CompilerUnits.where("contact_id = '9F1C2D3E-4B5A-4C6D-8E7F-0A1B2C3D4E5F'");

		// when compiled / then the uuid column is compared, with the id normalised
		Frag compiled = units.compile();
		assertThat(compiled.sql()).isEqualTo("(c.id = ?::uuid)");
		assertThat(compiled.params()).containsExactly("9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f");
	}

	@Test
	void betweenConvertsItsLiteralLimits() {
		// given a number between two strings
		CompilerUnits units = CompilerUnits.where("lifetime_value BETWEEN '1' AND '2'");

		// when compiled / then the limits are numbers
		assertThat(units.compile().params()).containsExactly(new BigDecimal("1"), new BigDecimal("2"));
	}

}
