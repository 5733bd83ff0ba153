package io.segmat.query;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Hostile and malformed input for the language: each is refused with a clear
 * QueryException that says what is wrong and where, quickly, and nothing reaches the
 * database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileQueryTests {

	private static final Instant AS_OF = Instant.parse("2026-06-01T00:00:00Z");

	private final QueryCompiler compiler = new QueryCompiler();

	private final FieldCatalog fields = new FieldCatalog(
			List.of(new CatalogField("e1_T", "plan", FieldType.TEXT), new CatalogField("e2_N", "age", FieldType.NUMBER),
					new CatalogField("e3_D", "signup_date", FieldType.DATE)));

	private JdbcClient jdbc;

	@BeforeAll
	void sentinel() {
		this.jdbc = JdbcClient.create(TestDatabase.create().dataSource());
		this.jdbc.sql("CREATE TABLE sentinel (id int PRIMARY KEY)").update();
		this.jdbc.sql("INSERT INTO sentinel VALUES (1)").update();
	}

	Stream<Arguments> corpus() throws IOException {
		List<Arguments> cases = new ArrayList<>();
		try (InputStream in = getClass().getResourceAsStream("hostile.txt")) {
			String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			for (String line : text.split("\n", -1)) {
				if (line.isBlank() || line.startsWith("#")) {
					continue;
				}
				String[] parts = line.split("\t", 2);
				cases.add(Arguments.of(parts[0], parts[1].replace("⏎", "\n")));
			}
		}
		String head = "SELECT contact_id, updated_at FROM contact_data WHERE ";
		cases.add(Arguments.of("nested too deeply", head + "(".repeat(10_000) + "email = 'a'" + ")".repeat(10_000)));
		cases.add(Arguments.of("nested too deeply", head + "(".repeat(51) + "email = 'a'" + ")".repeat(51)));
		cases.add(Arguments.of("nested too deeply",
				head + "array_contains(email_domains, " + "[".repeat(5_000) + "'a'" + "]".repeat(5_000) + ")"));
		cases.add(Arguments.of("nested too deeply",
				head + "lower(".repeat(3_000) + "email" + ")".repeat(3_000) + " = 'a'"));
		cases.add(Arguments.of("too many values in one list",
				head + "postal_code IN (" + "'1',".repeat(20_000) + "'2')"));
		cases.add(Arguments.of("too many values in one list", head + "age IN (" + "1,".repeat(1_000) + "2)"));
		cases.add(Arguments.of("too many values in one list",
				head + "array_contains(email_domains, [" + "'a',".repeat(2_000) + "'b'])"));
		cases.add(Arguments.of("the query is too long", head + "email = '" + "x".repeat(3_000_000) + "'"));
		cases.add(Arguments.of("contains a NUL character", head + "email = 'a\0b'"));
		cases.add(Arguments.of("too many conditions", head + "email = 'a'" + " OR age = 1".repeat(2_500)));
		cases.add(Arguments.of("too many conditions", head + "NOT ".repeat(10_000) + "email = 'a'"));
		cases.add(Arguments.of("the expression is too long", head + "age = " + "1 + ".repeat(19_999) + "1"));
		cases.add(Arguments.of("the expression is too long", head + "first_name = " + "'a' || ".repeat(5_000) + "'b'"));
		cases.add(Arguments.of("the query is too long", head + "email = 'a'" + " OR email = 'a'".repeat(20_000)));
		cases.add(Arguments.of("the query is too long",
				"SELECT contact_id, updated_at FROM contact_data -- " + "x".repeat(200_000)));
		cases.add(Arguments.of("the query is too long", head + "email = '" + "\\'".repeat(600_000) + "'"));
		return cases.stream();
	}

	@ParameterizedTest(name = "[{index}] {0}")
	@MethodSource("corpus")
	void hostileInputIsRefusedWithAClearPositionedMessage(String expected, String query) {
		// given a hostile or malformed query

		// when it is compiled (the compiler's own time limit bounds it: past the limit
		// the message would be "too complex to check in time", not the expected one)
		Throwable thrown = catchThrowable(() -> this.compiler.compile(query, this.fields, null, AS_OF));

		// then it is refused with our own message saying what and where
		assertThat(thrown).isInstanceOf(QueryException.class);
		QueryException refused = (QueryException) thrown;
		assertThat(refused.getMessage()).contains(expected).containsPattern("at line \\d+, column \\d+");
		assertThat(refused.getMessage().toLowerCase(java.util.Locale.ROOT)).doesNotContain("jsqlparser", "exception",
				"net.sf", "postgres", "psql", "<s_identifier>", "was expecting");
		assertThat(refused.getMessage()).hasSizeLessThan(400);
		assertThat(refused.errors()).isNotEmpty();
		assertThat(refused.errors().get(0).line()).isPositive();
		assertThat(refused.errors().get(0).column()).isPositive();
		// and nothing ran: the sentinel table is intact
		assertThat(this.jdbc.sql("SELECT count(*) FROM sentinel").query(Long.class).single()).isEqualTo(1L);
	}

	@Test
	void corpusHasAtLeastOneHundredInputs() throws IOException {
		// given the corpus / when counted / then it has at least 100 hostile inputs
		assertThat(corpus().count()).isGreaterThanOrEqualTo(100);
	}

	@Test
	void longFlatChainWithinTheLimitsCompilesWithoutStackOverflow() {
		// given a query of a thousand ORs (flat, so within the nesting limit)
		String query = "SELECT contact_id, updated_at FROM contact_data WHERE email = 'a'"
				+ " OR age = 1".repeat(1_000);

		// when it is compiled / then it compiles instead of overflowing a stack
		assertThat(this.compiler.compile(query, this.fields, null, AS_OF).sql()).startsWith("SELECT c.contact_key");
	}

	@Test
	void longChainsOfNotsAndSignsAreRefusedOrCompiledButNeverCrash() {
		// given nearly 2,000 NOTs and as many unary minus signs in a row
		String query = "SELECT contact_id, updated_at FROM contact_data WHERE " + "NOT ".repeat(1_999) + "age = "
				+ "- ".repeat(5_000) + "1";

		// when it is compiled / then it either compiles or is refused with our exception
		Throwable thrown = catchThrowable(() -> this.compiler.compile(query, this.fields, null, AS_OF));
		assertThat(thrown).satisfiesAnyOf(t -> assertThat(t).isNull(),
				t -> assertThat(t).isInstanceOf(QueryException.class));
	}

	@Test
	void customLimitsAreEnforced() {
		// given a compiler with small limits
		QueryCompiler strict = new QueryCompiler(new QueryLimits(80, 2, 3));

		// when queries exceed each / then each limit is named
		assertThatThrownBy(() -> strict.compile(
				"SELECT contact_id, updated_at FROM contact_data WHERE email = 'aaaaaaaaaaaaaaaaaaaa'", this.fields,
				null, AS_OF))
			.hasMessageContaining("the limit is 80");
		assertThatThrownBy(() -> strict.compile("SELECT contact_id FROM contact_data WHERE (((age = 1)))", this.fields,
				null, AS_OF))
			.hasMessageContaining("more than 2 levels");
		assertThatThrownBy(() -> strict.compile("SELECT contact_id FROM contact_data WHERE age IN (1,2,3,4)",
				this.fields, null, AS_OF))
			.hasMessageContaining("more than 3");
	}

}
