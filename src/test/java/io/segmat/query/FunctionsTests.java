package io.segmat.query;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FunctionsTests {

	private static final String LIST = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f";

	@Test
	void anUnknownFunctionIsRefusedWithTheAllowedOnes() {
		CompilerUnits units = CompilerUnits.where("pg_sleep(1) IS NULL");

		assertThatExceptionOfType(QueryException.class).isThrownBy(units::compile)
			.withMessage("function 'pg_sleep' is not allowed at line 1, column 57; allowed functions are "
					+ String.join(", ", Functions.ALLOWED));
	}

	@Test
	void arrayContainsOnListIdsReadsMembershipAndRecordsTheList() {
		// given membership in a list
		CompilerUnits units = CompilerUnits.where("array_contains(list_ids, '" + LIST + "')");

		// when compiled
		Frag compiled = units.compile();

		// then list_member is read and the list is a dependency
		assertThat(compiled.sql()).isEqualTo(
				"EXISTS (SELECT 1 FROM list_member lm0 WHERE lm0.contact_key = c.contact_key AND lm0.list_id = ?::uuid)");
		assertThat(units.context.dependencies().listIds()).containsExactly(UUID.fromString(LIST));
	}

	@Test
	void aComputedListIdMakesAnyListMatter() {
		CompilerUnits units = CompilerUnits.where("array_contains(list_ids, plan)");

		units.compile();

		assertThat(units.context.dependencies().anyList()).isTrue();
	}

	@Test
	void modifiersOnAFunctionAreRefused() {
		CompilerUnits units = CompilerUnits.where("lower(DISTINCT email) = 'a'");

		assertThatExceptionOfType(QueryException.class).isThrownBy(units::compile)
			.withMessageStartingWith("unexpected modifiers in 'lower(DISTINCT email)' at line 1, column 57");
	}

	@Test
	void lengthCountsCharacters() {
		assertThat(CompilerUnits.where("length(email) > 3").compile().sql())
			.isEqualTo("(char_length(c.email) > ?::numeric)");
	}

}
