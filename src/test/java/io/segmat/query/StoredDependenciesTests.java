package io.segmat.query;

import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stored form of a query's dependencies reads back as what was stored, or as nothing.
 */
class StoredDependenciesTests {

	private static final UUID LIST = UUID.fromString("11111111-1111-1111-1111-111111111111");

	@Test
	void whatIsStoredReadsBackEqual() {
		// given dependencies with every part set
		QueryDependencies dependencies = new QueryDependencies(Set.of("country", "e3_T", "email_domains"), Set.of(LIST),
				true, true, false);

		// when stored and read back
		String json = StoredDependencies.toJson(dependencies);

		// then they are equal, and equal dependencies are stored as equal text
		assertThat(StoredDependencies.fromJson(json)).contains(dependencies);
		assertThat(StoredDependencies
			.toJson(new QueryDependencies(Set.of("email_domains", "e3_T", "country"), Set.of(LIST), true, true, false)))
			.isEqualTo(json);
	}

	@Test
	void emptyDependenciesReadBackEmpty() {
		QueryDependencies none = new QueryDependencies(Set.of(), Set.of(), false, false, false);

		assertThat(StoredDependencies.fromJson(StoredDependencies.toJson(none))).contains(none);
	}

	@Test
	void nothingOrAFormThisCodeDoesNotKnowReadsAsAbsent() {
		// given nothing stored, another format version, a missing part, and text that is
		// not JSON
		// then none of them is trusted
		assertThat(StoredDependencies.fromJson(null)).isEmpty();
		assertThat(StoredDependencies.fromJson("""
				{"format":2,"contact_columns":[],"list_ids":[],"any_list":false,"events":false,"clock":false}"""))
			.isEmpty();
		assertThat(StoredDependencies.fromJson("""
				{"format":1,"contact_columns":[],"list_ids":[],"any_list":false,"clock":false}""")).isEmpty();
		assertThat(StoredDependencies.fromJson(
				"""
						{"format":1,"contact_columns":[],"list_ids":["not-a-list"],"any_list":false,"events":false,"clock":false}"""))
			.isEmpty();
		assertThat(StoredDependencies.fromJson("{")).isEmpty();
	}

}
