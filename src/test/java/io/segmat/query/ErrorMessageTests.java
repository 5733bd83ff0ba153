package io.segmat.query;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The error messages: what is wrong, where, and what would be accepted.
 */
class ErrorMessageTests {

	private static final Instant AS_OF = Instant.parse("2026-06-01T00:00:00Z");

	private final QueryCompiler compiler = new QueryCompiler();

	private final FieldCatalog fields = new FieldCatalog(List.of(new CatalogField("e1_T", "plan", FieldType.TEXT),
			new CatalogField("e2_N", "lifetime_value", FieldType.NUMBER)));

	private QueryException refuse(String query) {
		return catchThrowableOfType(QueryException.class, () -> this.compiler.compile(query, this.fields, null, AS_OF));
	}

	@Test
	void unknownColumnNamesItWhereItIsAndSuggestsTheClosest() {
		// given a misspelt reserved column
		QueryException refused = refuse("SELECT contact_id, updated_at FROM contact_data WHERE frist_name = 'Ada'");

		// then the message names it, its position and the likely column
		assertThat(refused.getMessage())
			.isEqualTo("unknown column 'frist_name' at line 1, column 55; did you mean 'first_name'?");
		assertThat(refused.errors()).containsExactly(new QueryError(refused.getMessage(), 1, 55));
	}

	@Test
	void unknownCustomFieldSuggestsTheCustomField() {
		// given a misspelt custom field
		QueryException refused = refuse("SELECT contact_id, updated_at FROM contact_data WHERE lifetime_valeu > 10");

		// then the suggestion comes from the account's custom fields
		assertThat(refused.getMessage()).endsWith("did you mean 'lifetime_value'?");
	}

	@Test
	void unknownColumnFarFromAnyNameHasNoSuggestion() {
		// given a name like nothing known / then no suggestion is made up
		assertThat(refuse("SELECT contact_id, updated_at FROM contact_data WHERE zzzzqqqq = 1").getMessage())
			.isEqualTo("unknown column 'zzzzqqqq' at line 1, column 55");
	}

	@Test
	void positionIsExactOnALaterLineOfAMultiLineQuery() {
		// given a query whose bad identifier is on its third line
		QueryException refused = refuse(
				"SELECT contact_id, updated_at\nFROM contact_data\nWHERE country = 'US' AND  cuntry = 'UK'");

		// then line and column point at it
		assertThat(refused.errors().get(0).line()).isEqualTo(3);
		assertThat(refused.errors().get(0).column()).isEqualTo(27);
		assertThat(refused.getMessage())
			.isEqualTo("unknown column 'cuntry' at line 3, column 27; did you mean 'country'?");
	}

	@Test
	void functionNotAllowedSaysWhichAndWhere() {
		// given pg_sleep
		QueryException refused = refuse(
				"SELECT contact_id, updated_at FROM contact_data WHERE 1 = 1 AND pg_sleep(10) IS NULL");

		// then the message names the function and its place, and lists what is allowed
		assertThat(refused.getMessage())
			.startsWith("function 'pg_sleep' is not allowed at line 1, column 65; allowed functions are");
	}

	@Test
	void syntaxErrorShowsTheOffendingTokenAndItsPosition() {
		// given a doubled operator on the second line
		QueryException refused = refuse("SELECT contact_id, updated_at FROM contact_data\nWHERE email = = 'a'");

		// then the message shows the token and where it is, in our words
		assertThat(refused.getMessage()).startsWith("unexpected '=' at line 2, column 15");
		assertThat(refused.getMessage()).doesNotContain("Was expecting", "<EOF>", "ParseException");
	}

	@Test
	void syntaxErrorAtTheEndSaysTheQueryEndedTooEarly() {
		// given a query cut after WHERE / then the message says so, pointing after the
		// last token
		assertThat(refuse("SELECT contact_id, updated_at FROM contact_data WHERE").getMessage())
			.startsWith("unexpected end of query at line 1, column 54");
	}

	@Test
	void unterminatedStringPointsAtItsOpeningQuote() {
		// given an unterminated string on line 2 / then its opening quote is named
		assertThat(refuse("SELECT contact_id, updated_at FROM contact_data\n WHERE email = 'abc").getMessage())
			.isEqualTo("unterminated string starting at line 2, column 16");
	}

	@Test
	void secondStatementIsNamedWithItsPosition() {
		// given a second statement after a semicolon
		QueryException refused = refuse("SELECT contact_id, updated_at FROM contact_data;\nDROP TABLE contact");

		// then the message says only one statement is allowed, at the second one
		assertThat(refused.getMessage()).startsWith("only one statement is allowed").contains("at line 2, column 1");
	}

	@Test
	void badTimestampIsNamedAtItsLiteral() {
		// given an impossible date
		QueryException refused = refuse(
				"SELECT contact_id, updated_at FROM contact_data WHERE updated_at > '2024-02-30'");

		// then the literal and its place are named, with the accepted forms
		assertThat(refused.getMessage()).isEqualTo("invalid timestamp '2024-02-30' at line 1, column 68; "
				+ "expected ISO-8601 like '2024-06-19T00:00:00Z' or a date like '2024-06-19'");
	}

	@Test
	void wrongTypeComparisonNamesBothTypes() {
		// given a text column compared with a timestamp / then both types are named
		assertThat(refuse("SELECT contact_id, updated_at FROM contact_data WHERE email > updated_at").getMessage())
			.startsWith("cannot compare text with timestamp")
			.contains("at line 1, column 55");
	}

	@Test
	void unknownTableIsNamed() {
		// given a system catalog / then its name is in the message
		assertThat(refuse("SELECT contact_id, updated_at FROM pg_catalog.pg_class").getMessage())
			.isEqualTo("unknown table 'pg_catalog.pg_class' at line 1, column 47; expected contact_data");
	}

}
