package io.segmat.cli;

import java.util.ArrayList;
import java.util.List;

import io.segmat.testsupport.Cli;
import io.segmat.testsupport.TestData;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code segmat status} end to end: its exit code, its text and its JSON. What makes the
 * refresh unhealthy is tested reason by reason in RefreshHealthTests.
 */
class StatusCommandTests {

	private final TestDatabase database = TestDatabase.create();

	private final Cli cli = new Cli(this.database);

	private final JdbcClient jdbc = JdbcClient.create(this.database.dataSource());

	@Test
	void anAccountWithNothingToDoIsHealthy() {
		// when
		Cli.Result result = this.cli.run("status");

		// then
		assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
		assertThat(result.out()).contains("status:          HEALTHY (schema public")
			.contains("last refresh:    none yet")
			.contains("stuck runs:      none")
			.contains("segments:        0");
		assertThat(result.err()).doesNotContain("unhealthy");
	}

	@Test
	void aKilledRunMakesItUnhealthyWithItsReasonAndTheJsonSaysItAll() {
		// given: a refresh, then what a SIGKILL during it leaves behind
		new TestData(this.jdbc).contact("ada@example.com", "Ada", "UK");
		this.cli.run("segments", "create", "--name", "uk", "--query-dsl",
				"SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'");
		assertThat(this.cli.run("refresh").exitCode()).isZero();
		long execution = this.jdbc.sql("SELECT max(job_execution_id) FROM batch_job_execution")
			.query(Long.class)
			.single();
		this.jdbc.sql("""
				UPDATE batch_job_execution SET status = 'STARTED', exit_code = 'UNKNOWN', end_time = NULL
				WHERE job_execution_id = ?
				""").param(execution).update();

		// when
		Cli.Result result = this.cli.run("status", "--json");

		// then
		assertThat(result.exitCode()).isEqualTo(ExitCodes.UNHEALTHY);
		assertThat(result.err()).contains(
				"unhealthy: segmentRefreshJob execution " + execution + " is STARTED but no process holds its lock");
		JsonNode json = JsonMapper.builder().build().readTree(result.out());
		List<String> keys = new ArrayList<>();
		json.propertyNames().forEach(keys::add);
		assertThat(keys).containsExactly("healthy", "schema", "checked_at", "segments", "last_run", "stuck_runs",
				"overdue_segments", "invalid_segments", "worst_staleness", "reasons");
		assertThat(json.get("healthy").asBoolean()).isFalse();
		assertThat(json.get("schema").asString()).isEqualTo("public");
		assertThat(json.get("segments").asInt()).isEqualTo(1);
		assertThat(json.get("last_run").get("execution_id").asLong()).isEqualTo(execution);
		assertThat(json.get("last_run").get("status").asString()).isEqualTo("STARTED");
		assertThat(json.get("stuck_runs")).hasSize(1);
		assertThat(json.get("stuck_runs").get(0).get("execution_id").asLong()).isEqualTo(execution);
		assertThat(json.get("stuck_runs").get(0).get("job").asString()).isEqualTo("segmentRefreshJob");
		assertThat(json.get("overdue_segments")).isEmpty();
		assertThat(json.get("invalid_segments")).isEmpty();
		assertThat(json.get("worst_staleness").get("name").asString()).isEqualTo("uk");
		assertThat(json.get("worst_staleness").get("seconds").isIntegralNumber()).isTrue();
		assertThat(json.get("reasons")).hasSize(1);
		assertThat(json.get("reasons").get(0).get("code").asString()).isEqualTo("STUCK_RUN");
	}

	@Test
	void aDurationThatIsNotOneExitsTwo() {
		Cli.Result result = this.cli.run("status", "--grace", "soon");

		assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(result.err()).contains("--grace 'soon' is not a positive duration");
	}

}
