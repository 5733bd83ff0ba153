package io.segmat.cli;

import io.segmat.testsupport.Cli;
import io.segmat.testsupport.TestData;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code segments update ID --dry-run} and {@code query preview}: what a query would give
 * now, printed, and nothing saved.
 */
class QueryPreviewCommandTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String UK = "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'";

	private static final String ADA_OR_UK = "SELECT contact_id, updated_at FROM contact_data "
			+ "WHERE country = 'UK' OR first_name = 'Ada'";

	private final TestDatabase database = TestDatabase.create();

	private final Cli cli = new Cli(this.database);

	private final JdbcClient jdbc = JdbcClient.create(this.database.dataSource());

	private String segment;

	@BeforeEach
	void materializedSegment() {
		TestData data = new TestData(this.jdbc);
		data.contact("ada@example.com", "Ada", "US");
		data.contact("bob@example.com", "Bob", "UK");
		data.contact("cy@example.com", "Cy", "UK");
		Cli.Result created = this.cli.run("segments", "create", "--name", "uk", "--query-dsl", UK);
		this.segment = JSON.readTree(created.out()).get("id").asString();
		assertThat(this.cli.run("segments", "refresh", this.segment, "--time-zone", "UTC").exitCode()).isZero();
		data.update("cy@example.com", "country", "FR");
	}

	@Test
	void aDryRunPrintsWhoWouldEnterAndLeaveAndSavesNothing() {
		String before = this.jdbc.sql("SELECT s::text FROM segment s").query(String.class).single();

		Cli.Result result = this.cli.run("segments", "update", this.segment, "--query-dsl", ADA_OR_UK, "--dry-run");

		assertThat(result.exitCode()).as(result.err()).isZero();
		JsonNode preview = JSON.readTree(result.out());
		assertThat(preview.get("current_count").asLong()).isEqualTo(2);
		assertThat(preview.get("contacts_count").asLong()).isEqualTo(2);
		assertThat(preview.get("entered_count").asLong()).isEqualTo(1);
		assertThat(preview.get("entered_sample").get(0).get("email").asString()).isEqualTo("ada@example.com");
		assertThat(preview.get("left_count").asLong()).isEqualTo(1);
		assertThat(preview.get("left_sample").get(0).get("email").asString()).isEqualTo("cy@example.com");
		assertThat(this.jdbc.sql("SELECT s::text FROM segment s").query(String.class).single()).isEqualTo(before);
	}

	@Test
	void aDryRunIsAboutAQueryNotAName() {
		Cli.Result renamed = this.cli.run("segments", "update", this.segment, "--name", "gb", "--dry-run");

		assertThat(renamed.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(renamed.err()).contains("--dry-run previews a new query");
		assertThat(this.jdbc.sql("SELECT name FROM segment").query(String.class).single()).isEqualTo("uk");
	}

	@Test
	void aRefusedQueryExitsTwoWithItsPosition() {
		Cli.Result result = this.cli.run("segments", "update", this.segment, "--query-dsl",
				UK.replace("country", "contry"), "--dry-run");

		assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(result.err()).contains("error: query_dsl: unknown column 'contry' at line 1, column 55");
	}

	@Test
	void queryPreviewPrintsTheCountAndASample() {
		Cli.Result result = this.cli.run("query", "preview", "--query-dsl", ADA_OR_UK);

		assertThat(result.exitCode()).as(result.err()).isZero();
		JsonNode preview = JSON.readTree(result.out());
		assertThat(preview.get("contacts_count").asLong()).isEqualTo(2);
		assertThat(preview.get("contacts_sample").findValuesAsString("email")).containsExactly("ada@example.com",
				"bob@example.com");
	}

}
