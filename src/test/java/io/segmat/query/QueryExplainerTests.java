package io.segmat.query;

import java.time.Instant;

import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryExplainerTests {

	private static final Instant AS_OF = Instant.parse("2026-06-01T00:00:00Z");

	@Test
	void explainShowsTheCompiledQueryAndPostgresPlanWithCustomFieldsFromTheDatabase() {
		// given a database with one custom field
		JdbcClient jdbc = JdbcClient.create(TestDatabase.create().dataSource());
		jdbc.sql("INSERT INTO custom_field (id, name, field_type, created_at) VALUES ('e1_T', 'plan', 'Text', now())")
			.update();
		QueryExplainer explainer = new QueryExplainer(jdbc, new QueryCompiler());

		// when a query over it and over events is explained
		Explanation explanation = explainer.explain(
				"SELECT c.contact_id, c.updated_at FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id WHERE plan = 'gold' AND e.event_type = 'open'",
				null, AS_OF);

		// then it shows the normalized query, the SQL, its parameters, dependencies and
		// the plan
		assertThat(explanation.normalizedQuery())
			.startsWith("SELECT c.contact_id, c.updated_at FROM contact_data c JOIN event_data e");
		assertThat(explanation.sql()).startsWith("SELECT c.contact_key FROM contact c WHERE");
		assertThat(explanation.parameters()).containsExactly("gold", "open");
		assertThat(explanation.dependencies().contactColumns()).containsExactly("e1_T");
		assertThat(explanation.dependencies().events()).isTrue();
		assertThat(explanation.plan()).contains("Scan").contains("email_event");
	}

	@Test
	void explainRefusesABadQueryWithoutRunningIt() {
		// given an empty database
		JdbcClient jdbc = JdbcClient.create(TestDatabase.create().dataSource());
		QueryExplainer explainer = new QueryExplainer(jdbc, new QueryCompiler());

		// when a hostile query is explained / then it is refused by the compiler
		assertThatThrownBy(() -> explainer
			.explain("SELECT contact_id, updated_at FROM contact_data; DROP TABLE contact", null, AS_OF))
			.isInstanceOf(QueryException.class);
		assertThat(jdbc.sql("SELECT count(*) FROM contact").query(Long.class).single()).isZero();
	}

}
