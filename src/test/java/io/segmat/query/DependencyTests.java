package io.segmat.query;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each compiled query reports it depends on, so refreshes can skip unaffected
 * segments.
 */
class DependencyTests {

	private static final Instant AS_OF = Instant.parse("2026-06-01T00:00:00Z");

	private static final UUID LIST_A = UUID.fromString("11111111-1111-1111-1111-111111111111");

	private static final UUID LIST_B = UUID.fromString("22222222-2222-2222-2222-222222222222");

	private final QueryCompiler compiler = new QueryCompiler();

	private final FieldCatalog fields = new FieldCatalog(List.of(new CatalogField("e1_T", "plan", FieldType.TEXT),
			new CatalogField("e4_D", "signup_date", FieldType.DATE)));

	private QueryDependencies dependencies(String query, UUID parent) {
		return this.compiler.compile(query, this.fields, parent, AS_OF).dependencies();
	}

	@Test
	void allContactsDependOnNothingButTheContactsThemselves() {
		// given the query without WHERE / then it reads no column, list, event or clock
		assertThat(dependencies("SELECT contact_id, updated_at FROM contact_data", null))
			.isEqualTo(new QueryDependencies(java.util.Set.of(), java.util.Set.of(), false, false, false));
	}

	@Test
	void contactColumnsAreReservedNamesInLowerCaseAndCustomFieldIds() {
		// given reserved columns in mixed case and a custom field by name
		QueryDependencies deps = dependencies(
				"SELECT contact_id, updated_at FROM contact_data WHERE Country = 'US' AND PLAN = 'gold' AND email_domains IS NOT NULL",
				null);

		// then the reserved names are lower-case and the custom field appears by id
		assertThat(deps.contactColumns()).containsExactlyInAnyOrder("country", "e1_T", "email_domains");
	}

	@Test
	void listIdsNamedInTheQueryAndTheParentList() {
		// given two list ids in array_contains and a parent list
		QueryDependencies deps = dependencies(
				"SELECT contact_id, updated_at FROM contact_data WHERE array_contains(list_ids, ['" + LIST_A + "'])",
				LIST_B);

		// then both are dependencies, and not "any list"
		assertThat(deps.listIds()).containsExactlyInAnyOrder(LIST_A, LIST_B);
		assertThat(deps.anyList()).isFalse();
	}

	@Test
	void computedListIdDependsOnAnyList() {
		// given a list id computed from a column / then any list change may matter
		assertThat(dependencies(
				"SELECT contact_id, updated_at FROM contact_data WHERE array_contains(list_ids, lower(plan))", null)
			.anyList()).isTrue();
	}

	@Test
	void joinAndSubqueriesReadEvents() {
		// given a join, an IN subquery and an EXISTS subquery / then each reads events
		assertThat(dependencies(
				"SELECT c.contact_id, c.updated_at FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id",
				null)
			.events()).isTrue();
		assertThat(dependencies(
				"SELECT contact_id, updated_at FROM contact_data WHERE contact_id IN (SELECT contact_id FROM event_data)",
				null)
			.events()).isTrue();
		assertThat(dependencies(
				"SELECT contact_id, updated_at FROM contact_data c WHERE EXISTS (SELECT 1 FROM event_data e WHERE e.contact_id = c.contact_id)",
				null)
			.events()).isTrue();
	}

	@Test
	void clockIsReadThroughNowCurrentTimestampAndTimestampadd() {
		// given each way to read the clock / then each is a clock dependency
		for (String clock : List.of("NOW()", "CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP()",
				"timestampadd(day, -1, CURRENT_TIMESTAMP)")) {
			assertThat(
					dependencies("SELECT contact_id, updated_at FROM contact_data WHERE signup_date > " + clock, null)
						.clock())
				.as(clock)
				.isTrue();
		}
	}

	@Test
	void fixedTimestampsDoNotReadTheClock() {
		// given only literal timestamps / then the query does not depend on the clock
		QueryDependencies deps = dependencies(
				"SELECT contact_id, updated_at FROM contact_data WHERE signup_date > TIMESTAMP '2026-01-01' - INTERVAL 1 DAY",
				null);
		assertThat(deps.clock()).isFalse();
		assertThat(deps.contactColumns()).containsExactly("e4_D");
	}

	@Test
	void validateRefusesWhatCompileRefuses() {
		// given an unknown column / when validated / then it is refused like compile
		// would
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> this.compiler
				.validate("SELECT contact_id, updated_at FROM contact_data WHERE plna = 'x'", this.fields))
			.isInstanceOf(QueryException.class)
			.hasMessage("unknown column 'plna' at line 1, column 55; did you mean 'plan'?");
	}

	@Test
	void validateReturnsTheSameDependenciesAsCompile() {
		// given a query / when validated and compiled / then both report the same
		// dependencies
		String query = "SELECT contact_id, updated_at FROM contact_data WHERE plan = 'gold' AND updated_at > NOW()";
		ValidatedQuery validated = this.compiler.validate(query, this.fields);
		assertThat(validated.dependencies()).isEqualTo(dependencies(query, null));
		assertThat(validated.normalizedQuery())
			.isEqualTo("SELECT contact_id, updated_at FROM contact_data WHERE plan = 'gold' AND updated_at > NOW()");
	}

}
