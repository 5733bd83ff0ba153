package io.segmat.query;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StatementShapeTests {

	private static final String JOIN = "SELECT contact_id, updated_at FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id";

	private static StatementShape.Shape check(String query) {
		CompilerUnits units = CompilerUnits.of(query);
		return units.shape().check(units.statement);
	}

	@Test
	void aJoinPutsTheEventBeforeTheContactInScope() {
		StatementShape.Shape shape = check(JOIN + " GROUP BY contact_id");

		assertThat(shape.scope().sources()).extracting(Source::sqlAlias).containsExactly("e0", "c");
		assertThat(shape.grouped()).isTrue();
	}

	@Test
	void aJoinOnAnotherColumnIsRefused() {
		assertThatExceptionOfType(QueryException.class).isThrownBy(
				() -> check("SELECT contact_id, updated_at FROM contact_data c JOIN event_data e ON c.email = e.url"))
			.withMessageStartingWith("a join is allowed only on contact_id");
	}

	@Test
	void groupByWithoutAJoinIsRefusedAtGroup() {
		assertThatExceptionOfType(QueryException.class)
			.isThrownBy(() -> check("SELECT contact_id, updated_at FROM contact_data GROUP BY contact_id"))
			.withMessage("GROUP BY is allowed only with JOIN event_data at line 1, column 49");
	}

	@Test
	void aLeftJoinIsRefusedAtItsJoinKeyword() {
		assertThatExceptionOfType(QueryException.class).isThrownBy(() -> check(JOIN.replace(" JOIN ", " LEFT JOIN ")))
			.withMessageStartingWith(
					"only [INNER] JOIN event_data ON c.contact_id = e.contact_id is allowed at line 1, column 56");
	}

	@Test
	void anAliasedMaxInTheSelectListIsKeptForHaving() {
		CompilerUnits units = CompilerUnits
			.of(JOIN.replace("updated_at FROM", "updated_at, MAX(e.timestamp) AS last FROM") + " GROUP BY contact_id");

		units.shape().check(units.statement);

		assertThat(units.context.selectAlias("last")).hasToString("MAX(e.timestamp)");
	}

}
