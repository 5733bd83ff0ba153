package io.segmat.query;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.SetOperationList;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SourcePositionsTests {

	@Test
	void anExpressionIsWhereTheParserReadItNotWhereItsNameFirstAppears() {
		// given email twice, the second on line 2
		CompilerUnits units = CompilerUnits
			.of("SELECT contact_id, updated_at FROM contact_data WHERE email = 'a'\n OR email = 'b'");
		OrExpression or = (OrExpression) units.condition();

		// when located / then line 2, column 5
		assertThat(units.positions.where(or.getRightExpression())).isEqualTo(new Position(2, 5));
	}

	@Test
	void aQualifiedColumnsNameIsAfterItsQualifier() {
		// given c.email
		CompilerUnits units = CompilerUnits.where("c.email = 'a'");
		Column column = (Column) ((EqualsTo) units.condition()).getLeftExpression();

		// then the qualifier and the name have their own columns
		assertThat(units.positions.qualifier(column)).isEqualTo(new Position(1, 57));
		assertThat(units.positions.columnName(column)).isEqualTo(new Position(1, 59));
	}

	@Test
	void aClauseWordIsFoundAtItsSelectsOwnLevelOnly() {
		// given HAVING inside a parenthesised subquery before the select's own GROUP BY
		CompilerUnits units = CompilerUnits
			.of("SELECT contact_id, updated_at FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id\n"
					+ "WHERE c.contact_id IN (SELECT contact_id FROM event_data GROUP BY contact_id)\nGROUP BY contact_id");

		// then the top select's GROUP is the one on line 3
		assertThat(units.positions.clauseWord(units.select(), "GROUP")).isEqualTo(new Position(3, 1));
	}

	@Test
	void aSetOperatorIsTheTokenAfterTheFirstSelect() {
		// given UNION after a first select whose text mentions union as a quoted name
		CompilerUnits units = CompilerUnits
			.of("SELECT contact_id, updated_at FROM contact_data WHERE \"union\" = 'a'\nUNION SELECT contact_id, updated_at FROM contact_data");

		// then the operator on line 2 is found
		assertThat(units.positions.setOperator((SetOperationList) units.statement)).isEqualTo(new Position(2, 1));
	}

	@Test
	void aStringLiteralIsLookedForFromWhereItsExpressionStarts() {
		// given the same string twice
		CompilerUnits units = CompilerUnits.where("email = 'x' OR\n plan = 'x'");
		Expression second = ((OrExpression) units.condition()).getRightExpression();

		// then the one in the second comparison is found
		assertThat(units.positions.string("x", second)).isEqualTo(new Position(2, 9));
	}

	@Test
	void parserPositionsAreTheTextsOwnWhenLinesEndInLineFeeds() {
		// given text with tabs and CRLF line ends
		String text = "a\r\n\tb";

		// then the parser's line 2, column 2 is the text's
		assertThat(SourcePositions.fromParser(text, 2, 2)).isEqualTo(new Position(2, 2));
	}

	@Test
	void aLoneCarriageReturnDoesNotStartALineInTheText() {
		// given a lone carriage return, which the parser counts as a line end
		String text = "ab\rcd";

		// then the parser's line 2, column 2 is the text's line 1, column 5
		assertThat(SourcePositions.fromParser(text, 2, 2)).isEqualTo(new Position(1, 5));
	}

}
