package io.segmat.query;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every kind of error names the construct that is wrong, found through the parser's
 * tokens, and not an earlier one spelt the same: each query below has the offending
 * construct, or its name, somewhere before the error.
 */
class ErrorPositionTests {

	private static final Instant AS_OF = Instant.parse("2026-06-01T00:00:00Z");

	private static final String CONTACTS = "SELECT contact_id, updated_at FROM contact_data\n";

	private static final String JOINED = "SELECT contact_id, updated_at FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id\n";

	private static final String LIST = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f";

	private final QueryCompiler compiler = new QueryCompiler();

	private final FieldCatalog fields = new FieldCatalog(List.of(new CatalogField("e1_T", "plan", FieldType.TEXT),
			new CatalogField("e2_N", "lifetime_value", FieldType.NUMBER),
			new CatalogField("e3_T", "escape", FieldType.TEXT), new CatalogField("e4_T", "group", FieldType.TEXT),
			new CatalogField("e5_T", "limit", FieldType.TEXT)));

	private QueryError refuse(String query) {
		QueryException refused = catchThrowableOfType(QueryException.class,
				() -> this.compiler.compile(query, this.fields, null, AS_OF));
		assertThat(refused).as("refused: %s", query).isNotNull();
		return refused.errors().get(0);
	}

	@Test
	void wrongTypeIsReportedAtTheSecondUseOfAColumn() {
		// given a number field compared fine on line 2, then lowered as text on line 3
		QueryError error = refuse(CONTACTS + "WHERE lifetime_value = 1\n  OR lower(lifetime_value) = 'y'");

		// then the error points at the second use
		assertThat(error.message()).startsWith("expected text, found number 'lifetime_value' at line 3, column 12");
		assertThat(error.line()).isEqualTo(3);
		assertThat(error.column()).isEqualTo(12);
	}

	@Test
	void unknownColumnIsReportedWhereItIsUsedNotWhereItIsAnAlias() {
		// given an alias nme, then nme used as a column
		QueryError error = refuse(
				"SELECT contact_id, updated_at FROM contact_data nme\nWHERE nme.email = 'x'\n  OR nme = 'y'");

		// then the unknown column is the one on line 3
		assertThat(error.message()).startsWith("unknown column 'nme' at line 3, column 6");
	}

	@Test
	void unknownColumnAfterAQualifierIsReportedAtItsName() {
		// given a qualified misspelt column whose qualifier appears before
		QueryError error = refuse(
				CONTACTS.replace("contact_data", "contact_data c") + "WHERE c.email = 'x' OR c.emial = 'y'");

		// then the position is that of the column name, not of the first c
		assertThat(error.message()).startsWith("unknown column 'emial' at line 2, column 26");
	}

	@Test
	void unknownQualifierIsReportedWhereItQualifies() {
		// given a column name used as a qualifier after being used as a column
		QueryError error = refuse(CONTACTS + "WHERE email = 'a' OR\n  email.first_name = 'b'");

		// then the qualifier on line 3 is named
		assertThat(error.message()).isEqualTo("unknown table or alias 'email' at line 3, column 3");
	}

	@Test
	void wrongArityIsReportedAtTheSecondCall() {
		// given lower called right, then with two arguments
		QueryError error = refuse(CONTACTS + "WHERE lower(email) = 'a' OR\n  lower(email, 1) = 'b'");

		// then the second call is named
		assertThat(error.message()).startsWith("function 'lower' takes 1 argument, found 2 at line 3, column 3");
	}

	@Test
	void aggregateOutsideHavingIsReportedWhereItIsNotTheSelectList() {
		// given MAX aliased in the select list, then MAX in WHERE
		QueryError error = refuse(
				"SELECT contact_id, updated_at, MAX(e.timestamp) AS last FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id\n"
						+ "WHERE max(e.timestamp) > '2024-01-01'\nGROUP BY contact_id");

		// then the one in WHERE is named
		assertThat(error.message()).startsWith("aggregate 'max' is allowed only in HAVING")
			.contains("line 2, column 7");
	}

	@Test
	void nestedAggregateIsReportedAtTheInnerCall() {
		// given a valid MAX, then MAX of MAX
		QueryError error = refuse(JOINED
				+ "GROUP BY contact_id HAVING max(e.timestamp) > '2024-01-01'\n  AND max(max(e.timestamp)) > '2024-01-01'");

		// then the inner call is named
		assertThat(error.message()).isEqualTo("aggregates cannot be nested at line 3, column 11");
	}

	@Test
	void eventColumnOutsideAnAggregateInHavingIsReportedAtThatColumn() {
		// given e.timestamp inside MAX, then bare
		QueryError error = refuse(JOINED
				+ "GROUP BY contact_id HAVING max(e.timestamp) > '2024-01-01'\n  AND e.timestamp > '2024-01-01'");

		// then the bare one is named
		assertThat(error.message()).startsWith("in HAVING, event columns must be inside MAX, MIN or COUNT")
			.contains("line 3, column 7");
	}

	@Test
	void invalidTimestampIsReportedAtTheStringThatMustBeOne() {
		// given the same text as a string compared with text, then with a timestamp
		QueryError error = refuse(CONTACTS + "WHERE email = '2024-13-01' OR\n  created_at > '2024-13-01'");

		// then the second string is named
		assertThat(error.message()).startsWith("invalid timestamp '2024-13-01' at line 3, column 16");
	}

	@Test
	void notANumberIsReportedAtTheStringThatMustBeOne() {
		// given the same text as a string compared with text, then with a number
		QueryError error = refuse(CONTACTS + "WHERE email = 'abc' OR\n  lifetime_value > 'abc'");

		// then the second string is named
		assertThat(error.message()).isEqualTo("'abc' is not a number at line 3, column 20");
	}

	@Test
	void notAListIdIsReportedAtTheStringThatMustBeOne() {
		// given the same text as a string, then as a list id
		QueryError error = refuse(CONTACTS + "WHERE email = 'nope' OR\n  array_contains(list_ids, 'nope')");

		// then the second string is named
		assertThat(error.message()).startsWith("'nope' is not a list id").contains("at line 3, column 28");
	}

	@Test
	void loneBackslashPatternIsReportedAtThePattern() {
		// given a string ending in a backslash compared, then used as a LIKE pattern
		QueryError error = refuse(CONTACTS + "WHERE email = 'a\\\\' OR\n  email LIKE 'a\\\\'");

		// then the pattern is named
		assertThat(error.message())
			.startsWith("a LIKE pattern must not end with a lone backslash at line 3, column 14");
	}

	@Test
	void escapeIsReportedAtItsKeywordNotAtAFieldOfThatName() {
		// given a custom field named escape, then LIKE ... ESCAPE
		QueryError error = refuse(CONTACTS + "WHERE escape = 'x' OR\n  email LIKE 'b' ESCAPE '!'");

		// then the keyword is named
		assertThat(error.message()).startsWith("ESCAPE is not allowed at line 3, column 18");
	}

	@Test
	void unknownIntervalUnitIsReportedAtTheSecondInterval() {
		// given a valid interval, then one with an unknown unit
		QueryError error = refuse(CONTACTS + "WHERE created_at > CURRENT_TIMESTAMP - INTERVAL '1 day' OR\n"
				+ "  created_at > CURRENT_TIMESTAMP - INTERVAL '1 fortnight'");

		// then the second interval is named
		assertThat(error.message()).startsWith("unknown time unit 'fortnight' at line 3, column 36");
	}

	@Test
	void unknownTruncationUnitIsReportedAtTheUnitArgument() {
		// given the unit's text as a string, then as date_trunc's unit
		QueryError error = refuse(
				CONTACTS + "WHERE email = 'fortnight' OR\n  date_trunc('fortnight', created_at) > '2024-01-01'");

		// then the argument is named
		assertThat(error.message()).startsWith("unknown time unit 'fortnight' at line 3, column 14");
	}

	@Test
	void fractionalTimestampaddAmountIsReportedAtTheAmount() {
		// given a whole amount, then a fractional one
		QueryError error = refuse(CONTACTS + "WHERE timestampadd(day, 1, created_at) > '2024-01-01' OR\n"
				+ "  timestampadd(day, 1.5, created_at) > '2024-01-01'");

		// then the fractional amount is named
		assertThat(error.message())
			.isEqualTo("timestampadd needs a whole number of units, found 1.5 at line 3, column 21");
	}

	@Test
	void numberOutOfRangeIsReportedAtTheNumber() {
		// given a number in range, then one out of range
		QueryError error = refuse(CONTACTS + "WHERE lifetime_value > 1 OR\n  lifetime_value > 1e500");

		// then the second number is named
		assertThat(error.message()).startsWith("number '").contains("is out of range at line 3, column 20");
	}

	@Test
	void nonConditionIsReportedAtTheSecondUse() {
		// given email in a comparison, then alone as a condition
		QueryError error = refuse(CONTACTS + "WHERE email = 'a' AND\n  email");

		// then the second is named
		assertThat(error.message()).isEqualTo("expected a condition, found text 'email' at line 3, column 3");
	}

	@Test
	void listIdsOutsideArrayContainsIsReportedAtTheSecondUse() {
		// given list_ids in array_contains, then tested for NULL
		QueryError error = refuse(CONTACTS + "WHERE array_contains(list_ids, '" + LIST + "') OR\n  list_ids IS NULL");

		// then the second is named
		assertThat(error.message())
			.isEqualTo("list_ids can be used only in array_contains(list_ids, ...) at line 3, column 3");
	}

	@Test
	void inSubqueryOnAnotherColumnIsReportedAtThatColumn() {
		// given email compared, then tested with IN (SELECT ...)
		QueryError error = refuse(CONTACTS + "WHERE email = 'a' OR\n  email IN (SELECT contact_id FROM event_data)");

		// then the second email is named
		assertThat(error.message()).startsWith("only contact_id may be tested with IN").contains("line 3, column 3");
	}

	@Test
	void arithmeticOnTextIsReportedAtTheSecondUse() {
		// given email compared, then multiplied
		QueryError error = refuse(CONTACTS + "WHERE email = 'a' OR\n  email * 2 > 1");

		// then the second email is named
		assertThat(error.message()).startsWith("arithmetic needs numbers, found text and number")
			.contains("at line 3, column 3");
	}

	@Test
	void signOnTextIsReportedAtTheSecondUse() {
		// given email compared, then negated
		QueryError error = refuse(CONTACTS + "WHERE email = 'a' OR\n  -email = 'b'");

		// then the second email is named
		assertThat(error.message()).isEqualTo("a sign needs a number, found text at line 3, column 4");
	}

	@Test
	void untiedExistsIsReportedAtItsOwnSubquery() {
		// given a valid IN subquery, then an EXISTS not tied to the contact
		QueryError error = refuse(CONTACTS + "WHERE contact_id IN (SELECT contact_id FROM event_data) OR\n"
				+ "  EXISTS (SELECT 1 FROM event_data x)");

		// then the EXISTS's own SELECT is named
		assertThat(error.message()).startsWith("the EXISTS subquery must be tied to the contact")
			.endsWith("at line 3, column 11");
	}

	@Test
	void groupByInASubqueryIsReportedInThatSubquery() {
		// given a custom field named group, then GROUP BY inside a subquery
		QueryError error = refuse(CONTACTS + "WHERE \"group\" = 'x' OR\n"
				+ "  contact_id IN (SELECT contact_id FROM event_data GROUP BY contact_id)");

		// then the subquery's GROUP is named
		assertThat(error.message()).isEqualTo("GROUP BY and HAVING are not allowed in a subquery at line 3, column 52");
	}

	@Test
	void clauseNotAllowedInASubqueryIsReportedInThatSubquery() {
		// given a custom field named limit, then LIMIT inside a subquery
		QueryError error = refuse(CONTACTS + "WHERE \"limit\" = 'x' OR\n"
				+ "  contact_id IN (SELECT contact_id FROM event_data LIMIT 1)");

		// then the subquery's LIMIT is named
		assertThat(error.message()).startsWith("'LIMIT' is not allowed at line 3, column 52");
	}

	@Test
	void joinInASubqueryIsReportedInThatSubquery() {
		// given a top-level JOIN, then a JOIN inside a subquery
		QueryError error = refuse(JOINED + "WHERE c.contact_id IN (SELECT x.contact_id FROM event_data x\n"
				+ "  JOIN event_data y ON x.contact_id = y.contact_id)");

		// then the subquery's JOIN is named
		assertThat(error.message()).startsWith("a subquery may not join").contains("line 3, column 3");
	}

	@Test
	void subqueryOverContactDataIsReportedAtItsTable() {
		// given contact_data as a qualifier, then as a subquery's table
		QueryError error = refuse(CONTACTS + "WHERE contact_data.email = 'a' OR\n"
				+ "  contact_id IN (SELECT contact_id FROM contact_data)");

		// then the subquery's table is named
		assertThat(error.message()).startsWith("a subquery over contact_data is not allowed at line 3, column 41");
	}

	@Test
	void unknownTableInASubqueryIsReportedAtThatTable() {
		// given email as a column, then as a subquery's table
		QueryError error = refuse(CONTACTS + "WHERE email = 'a' OR\n  contact_id IN (SELECT contact_id FROM email)");

		// then the table is named
		assertThat(error.message()).startsWith("unknown table 'email' at line 3, column 41");
	}

	@Test
	void groupByItemIsReportedInGroupBy() {
		// given email in WHERE, then in GROUP BY
		QueryError error = refuse(JOINED + "WHERE email = 'a'\nGROUP BY contact_id, email");

		// then the GROUP BY item is named
		assertThat(error.message()).startsWith("GROUP BY may list only contact_id and updated_at")
			.contains("line 3, column 22");
	}

	@Test
	void castIsReportedAtItsOwnDoubleColon() {
		// given a timestamp literal, which is allowed, then a cast written with ::
		QueryError error = refuse(CONTACTS + "WHERE created_at > TIMESTAMP '2024-01-01' OR\n  email::text = 'b'");

		// then the :: on line 3 is named
		assertThat(error.message())
			.isEqualTo("casts are not allowed ('email::text') at line 3, column 8; values convert automatically");
	}

	@Test
	void positionAfterALoneCarriageReturnIsOnTheSameLineAsTheTextCountsIt() {
		// given a carriage return alone between the lines, which the parser counts as a
		// line break and the text does not
		String query = "SELECT contact_id, updated_at FROM contact_data\rWHERE email = 'a' OR\n  emial = 'b'";

		// when refused
		QueryError error = refuse(query);

		// then the position is in the text's own lines
		assertThat(error.line()).isEqualTo(2);
		assertThat(error.column()).isEqualTo(3);
	}

	@Test
	void syntaxErrorAfterALoneCarriageReturnIsMappedToTheTextsLines() {
		// given a syntax error after a lone carriage return
		String query = "SELECT contact_id, updated_at\rFROM contact_data WHERE email = = 'a'";

		// when refused
		QueryError error = refuse(query);

		// then the column counts from the start of the text's first line
		assertThat(error.line()).isEqualTo(1);
		assertThat(error.column()).isEqualTo(query.indexOf("= =") + 3);
	}

}
