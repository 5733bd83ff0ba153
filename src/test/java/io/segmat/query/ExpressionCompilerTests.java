package io.segmat.query;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ExpressionCompilerTests {

	@Test
	void notIsCompiledAsNotAndNeverAsItsOperand() {
		// given NOT over a comparison
		CompilerUnits units = CompilerUnits.where("NOT email = 'a'");

		// when compiled
		Frag compiled = units.compile();

		// then the negation is kept
		assertThat(compiled.sql()).isEqualTo("(NOT (c.email = ?::text))");
	}

	@Test
	void aNodeTypeTheLanguageDoesNotKnowIsRefused() {
		// given a CASE expression, which the dispatcher has no line for
		CompilerUnits units = CompilerUnits.where("CASE WHEN email = 'a' THEN true ELSE false END");

		// when compiled / then refused where it is
		assertThatExceptionOfType(QueryException.class).isThrownBy(units::compile)
			.withMessageStartingWith("'CASE WHEN email = 'a' THEN true ELSE false END' is not allowed here at line 1");
	}

	@Test
	void parenthesesAreLookedThrough() {
		// given a comparison in two pairs of parentheses
		CompilerUnits units = CompilerUnits.where("((plan = 'pro'))");

		// when compiled / then the comparison alone remains
		assertThat(units.compile().sql()).isEqualTo("((c.custom_fields->>'e1_T') = ?::text)");
	}

	@Test
	void aValueWhereAConditionIsNeededIsRefused() {
		// given a bare text column as the whole condition
		CompilerUnits units = CompilerUnits.where("email");

		// when compiled / then refused as not a condition
		assertThatExceptionOfType(QueryException.class).isThrownBy(units::compile)
			.withMessage("expected a condition, found text 'email' at line 1, column 57");
	}

}
