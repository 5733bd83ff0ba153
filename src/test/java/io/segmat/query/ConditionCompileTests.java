package io.segmat.query;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Contact search's bare conditions: compiled as the WHERE of a segment query, with every
 * error at its place in the user's own text, and nothing after the condition accepted.
 */
class ConditionCompileTests {

	private static final Instant AS_OF = Instant.parse("2026-06-01T00:00:00Z");

	private static final String SEGMENT = "SELECT contact_id, updated_at FROM contact_data WHERE ";

	private final QueryCompiler compiler = new QueryCompiler();

	private final FieldCatalog fields = new FieldCatalog(
			List.of(new CatalogField("e1_T", "plan", FieldType.TEXT), new CatalogField("e2_N", "age", FieldType.NUMBER),
					new CatalogField("e3_D", "signup_date", FieldType.DATE)));

	private QueryError refuse(String condition) {
		QueryException refused = catchThrowableOfType(QueryException.class,
				() -> this.compiler.compileCondition(condition, this.fields, AS_OF));
		assertThat(refused).as("refused: %s", condition).isNotNull();
		return refused.errors().get(0);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			email LIKE 'ann%' AND CONTAINS(list_ids, '9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f')
			lower(first_name) = 'bob' AND (country = 'US' OR plan IN ('gold', 'silver'))
			signup_date > timestampadd(day, -7, CURRENT_TIMESTAMP) AND age >= 18
			created_at BETWEEN TIMESTAMP '2026-01-01T00:00:00Z' AND NOW() - INTERVAL 1 DAY
			contact_id NOT IN (SELECT contact_id FROM event_data WHERE event_type = 'open')
			array_contains(email_domains, ['example.com', 'example.org']) AND NOT phone_number IS NULL
			""")
	void aConditionCompilesAsTheWhereOfASegmentQuery(String condition) {
		// when the condition and the segment query with it as WHERE are compiled
		CompiledQuery search = this.compiler.compileCondition(condition, this.fields, AS_OF);
		CompiledQuery segment = this.compiler.compile(SEGMENT + condition, this.fields, null, AS_OF);

		// then they are the same SQL with the same parameters
		assertThat(search.sql()).isEqualTo(segment.sql());
		assertThat(search.parameters()).usingRecursiveComparison().isEqualTo(segment.parameters());
		assertThat(search.normalizedQuery()).isEqualTo(segment.normalizedQuery());
	}

	/**
	 * The compiler's hostile corpus, each line taken as a search condition: refused with
	 * a position, or (a line such as {@code contact_id = 'x'}) a plain condition that
	 * compiles exactly as the same text after a segment query's WHERE.
	 */
	@Test
	void theHostileCorpusAsConditionsIsRefusedOrIsAPlainCondition() throws IOException {
		List<String> queries = new ArrayList<>();
		try (InputStream in = getClass().getResourceAsStream("hostile.txt")) {
			for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
				if (!line.isBlank() && !line.startsWith("#")) {
					queries.add(line.split("\t", 2)[1].replace("⏎", "\n"));
				}
			}
		}
		int accepted = 0;
		for (String query : queries) {
			CompiledQuery compiled;
			try {
				compiled = this.compiler.compileCondition(query, this.fields, AS_OF);
			}
			catch (QueryException ex) {
				assertThat(ex.getMessage()).as(query).containsPattern("at line \\d+, column \\d+");
				continue;
			}
			accepted++;
			assertThat(compiled.sql()).as(query)
				.isEqualTo(this.compiler.compile(SEGMENT + query, this.fields, null, AS_OF).sql());
		}
		assertThat(queries).hasSizeGreaterThan(100);
		assertThat(accepted).isLessThan(5);
	}

	@Test
	void aTrailingSemicolonIsTolerated() {
		assertThat(this.compiler.compileCondition("email = 'a@x.io';", this.fields, AS_OF).sql())
			.isEqualTo(this.compiler.compileCondition("email = 'a@x.io'", this.fields, AS_OF).sql());
	}

	@Test
	void anUnknownColumnIsReportedWhereTheUserWroteIt() {
		QueryError error = refuse("email LIKE 'ann%'\n  AND frist_name = 'Ann'");

		assertThat(error.message())
			.isEqualTo("unknown column 'frist_name' at line 2, column 7; did you mean 'first_name'?");
		assertThat(error.line()).isEqualTo(2);
		assertThat(error.column()).isEqualTo(7);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			email = = 'a'
			email LIKE 'a%' AND AND country = 'UK'
			country = 'UK' OR lower(first_name = 'x'
			age > 'old'
			email = 'a' AND\\nplan = 'gold' AND\\n  age + 'x' > 1
			array_contains(list_ids) AND email = 'a'
			""")
	void errorsAreWhereTheSegmentQueryHasThemLessItsPrefix(String text) {
		// given a bad condition, and the segment query with it as WHERE on the same line
		String condition = text.replace("\\n", "\n");
		QueryError inSearch = refuse(condition);
		QueryException inSegment = catchThrowableOfType(QueryException.class,
				() -> this.compiler.compile(SEGMENT + condition, this.fields, null, AS_OF));

		// then the search's error is the segment's, moved back by the prefix on line 1
		QueryError expected = inSegment.errors().get(0);
		int column = (expected.line() == 1) ? expected.column() - SEGMENT.length() : expected.column();
		assertThat(inSearch.line()).as(condition).isEqualTo(expected.line());
		assertThat(inSearch.column()).as(condition).isEqualTo(column);
		assertThat(inSearch.message()).as(condition)
			.isEqualTo(expected.message()
				.replace("at line " + expected.line() + ", column " + expected.column(),
						"at line " + expected.line() + ", column " + column));
	}

	@Test
	void aForbiddenFunctionIsNamedAtItsPlace() {
		QueryError error = refuse("email = 'a' OR pg_sleep(10) IS NULL");

		assertThat(error.message()).contains("pg_sleep").contains("at line 1, column 16");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					email = 'a' GROUP BY contact_id                                   | unexpected 'GROUP' after the condition | 13
					email = 'a' ORDER BY email                                        | unexpected 'ORDER' after the condition | 13
					email = 'a' UNION SELECT contact_id, updated_at FROM contact_data | unexpected 'UNION' after the condition | 13
					email = 'a' LIMIT 1                                               | unexpected 'LIMIT' after the condition | 13
					email = 'a' ) OR (1 = 1                                           | unbalanced parentheses                 | 13
					""")
	void nothingMayFollowTheCondition(String condition, String message, int column) {
		QueryError error = refuse(condition.strip());

		assertThat(error.message()).as(condition).startsWith(message);
		assertThat(error.column()).as(condition).isEqualTo(column);
	}

	@Test
	void aSecondStatementIsRefusedBeforeParsing() {
		assertThat(refuse("email = 'a'; DROP TABLE contact").message()).contains("only one statement is allowed")
			.contains("at line 1, column 14");
	}

	@Test
	void aWholeSegmentQueryIsNotACondition() {
		assertThat(refuse(SEGMENT + "email = 'a'").message()).contains("at line 1, column 1");
	}

	@Test
	void anEmptyConditionSaysWhatIsExpected() {
		assertThat(refuse("  ").message()).startsWith("the query is empty at line 1, column 1; expected a condition");
	}

	@Test
	void theLimitsOfTheLanguageHold() {
		assertThat(refuse("email IN (" + "'a',".repeat(1500) + "'b')").message())
			.contains("too many values in one list");
		assertThat(refuse("(".repeat(60) + "email = 'a'" + ")".repeat(60)).message()).contains("nested too deeply");
	}

}
