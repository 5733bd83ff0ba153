package io.segmat.query;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The bound on arithmetic operators refuses long chains and nothing a user writes. */
class ArithmeticLimitTests {

	private static final String HEAD = "SELECT contact_id, updated_at FROM contact_data WHERE ";

	private final QueryCompiler compiler = new QueryCompiler();

	private final FieldCatalog fields = new FieldCatalog(List.of(new CatalogField("e1_N", "age", FieldType.NUMBER)));

	@Test
	void signsInAListAreNotOperators() {
		String query = HEAD + "age IN (" + "-1, ".repeat(999) + "-2) OR age IN (" + "-3, ".repeat(999) + "-4)";

		assertThatCode(() -> this.compiler.validate(query, this.fields)).doesNotThrowAnyException();
	}

	@Test
	void twoThousandOperatorsAreAcceptedAndOneMoreIsNot() {
		String atLimit = HEAD + "age = " + "1 + ".repeat(2_000) + "1";
		String over = HEAD + "age = " + "1 + ".repeat(2_001) + "1";

		assertThatCode(() -> this.compiler.validate(atLimit, this.fields)).doesNotThrowAnyException();
		assertThatExceptionOfType(QueryException.class).isThrownBy(() -> this.compiler.validate(over, this.fields))
			.withMessageContaining("more than 2000 arithmetic operators")
			.withMessageContaining("line 1, column " + (HEAD.length() + "age = ".length() + 4 * 2_000 + 3));
	}

}
