package io.segmat.cli;

import java.sql.Connection;

import io.segmat.testsupport.Cli;
import io.segmat.testsupport.TestData;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

class RefreshCommandTests {

	private static final String SLOT = "2026-06-01T10:15:00Z";

	private final TestDatabase database = TestDatabase.create();

	private final Cli cli = new Cli(this.database);

	private final JdbcClient jdbc = JdbcClient.create(this.database.dataSource());

	@BeforeEach
	void contacts() {
		TestData data = new TestData(this.jdbc);
		data.contact("ada@example.com", "Ada", "UK");
		data.contact("bob@example.com", "Bob", "US");
	}

	@Test
	void aCompletedSlotRunsOnceAndSaysSoTheSecondTime() {
		createSegment("uk", "country = 'UK'");

		Cli.Result first = this.cli.run("refresh", "--slot", SLOT, "--as-of", SLOT);
		Cli.Result second = this.cli.run("run", "segmentRefreshJob", "slot=" + SLOT);

		assertThat(first.exitCode()).as(first.err()).isZero();
		assertThat(first.out()).contains("\"outcome\" : \"COMPLETED\"").contains("\"name\" : \"uk\"");
		assertThat(second.exitCode()).isZero();
		assertThat(second.err()).contains("already completed");
		assertThat(count("SELECT count(*) FROM batch_job_execution")).isEqualTo(1);
		assertThat(this.cli.run("runs").out()).contains("segmentRefreshJob")
			.contains("COMPLETED")
			.contains("slot=" + SLOT);
		long execution = count("SELECT job_execution_id FROM batch_job_execution");
		assertThat(this.cli.run("runs", "--execution", String.valueOf(execution)).out()).contains("uk")
			.contains("scheduled")
			.contains("full");
	}

	@Test
	void failedSegmentsExitThreeAndAreNamed() {
		this.cli.run("fields", "create", "--name", "plan", "--type", "Text");
		createSegment("gold", "plan = 'gold'");
		createSegment("uk", "country = 'UK'");
		this.cli.run("fields", "delete", "e1_T");

		Cli.Result result = this.cli.run("refresh", "--slot", SLOT, "--as-of", SLOT);

		assertThat(result.exitCode()).isEqualTo(ExitCodes.SEGMENTS_FAILED);
		assertThat(result.err()).contains("failed segment gold: unknown column 'plan'");
		assertThat(count("SELECT count(*) FROM segment WHERE query_validation = 'INVALID'")).isEqualTo(1);
		assertThat(count("SELECT contacts_count FROM segment WHERE name = 'uk'")).isEqualTo(1);
	}

	@Test
	void anotherRunHoldingTheLockExitsSeventyFive() throws Exception {
		createSegment("uk", "country = 'UK'");
		try (Connection other = this.database.dataSource().getConnection()) {
			io.segmat.db.AdvisoryLock.REFRESH.lock(other);

			Cli.Result result = this.cli.run("refresh", "--slot", SLOT);

			assertThat(result.exitCode()).isEqualTo(ExitCodes.LOCKED);
			assertThat(result.err()).contains("another materialization run holds the lock");
		}
		assertThat(count("SELECT count(*) FROM batch_job_execution")).isZero();
	}

	@Test
	void malformedParametersExitTwo() {
		Cli.Result badSlot = this.cli.run("refresh", "--slot", "yesterday");
		Cli.Result noSlot = this.cli.run("run", "segmentRefreshJob", "threads=2,java.lang.Long");
		Cli.Result badThreads = this.cli.run("refresh", "--slot", SLOT, "--threads", "0");

		assertThat(badSlot.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(badSlot.err()).contains("'yesterday' is not an ISO-8601 instant");
		assertThat(noSlot.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(noSlot.err()).contains("the parameter 'slot' is required");
		assertThat(badThreads.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(badThreads.err()).contains("threads");
		assertThat(count("SELECT count(*) FROM batch_job_execution")).isZero();
	}

	@Test
	void aSlotOrAsOfOutsideTheYears1970To9999ExitsTwoAndRunsNothing() {
		Cli.Result negative = this.cli.run("refresh", "--slot", "-2026-01-01T00:00:00Z");
		Cli.Result yearZero = this.cli.run("refresh", "--slot", SLOT, "--as-of", "0000-01-01T00:00:00Z");
		Cli.Result viaRun = this.cli.run("run", "segmentRefreshJob", "slot=-2026-01-01T00:00:00Z");

		assertThat(negative.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(negative.err()).contains("outside the years 1970 to 9999");
		assertThat(yearZero.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(yearZero.err()).contains("outside the years 1970 to 9999");
		assertThat(viaRun.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(count("SELECT count(*) FROM batch_job_execution")).isZero();
	}

	@Test
	void aManualRefreshPublishesNowAndTheSecondWithinAnHourExitsFour() {
		String id = createSegment("uk", "country = 'UK'");

		Cli.Result first = this.cli.run("segments", "refresh", id, "--time-zone", "Europe/London", "--as-of",
				"2026-06-01T10:00:00Z");
		Cli.Result second = this.cli.run("segments", "refresh", id, "--time-zone", "Europe/London", "--as-of",
				"2026-06-01T10:30:00Z");

		assertThat(first.exitCode()).as(first.err()).isZero();
		assertThat(first.out()).contains("\"job_id\"")
			.contains("\"contacts_count\" : 1")
			.contains("\"refreshes_used\"");
		assertThat(second.exitCode()).isEqualTo(ExitCodes.LIMIT);
		assertThat(second.err()).contains("1 manual refresh per segment per hour").contains("2026-06-01T11:00:00Z");
		assertThat(count("SELECT count(*) FROM segment_evaluation WHERE trigger = 'manual'")).isEqualTo(1);
	}

	@Test
	void operatorCommandsOnAnUnknownExecutionExitTwo() {
		Cli.Result result = this.cli.run("recover", "424242");

		assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(result.err()).contains("no job execution 424242");
	}

	@Test
	void explainShowsTheCompiledSqlItsParametersAndThePlan() {
		Cli.Result result = this.cli.run("query", "explain", "--query-dsl",
				"SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'");

		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(result.out()).contains("-- normalized query", "-- compiled SQL", "-- parameters", "-- dependencies",
				"-- plan", "contact_key", "= UK");
	}

	@Test
	void aBadQueryIsRefusedWithItsPosition() {
		Cli.Result result = this.cli.run("segments", "create", "--name", "x", "--query-dsl",
				"SELECT contact_id, updated_at FROM contact_data WHERE frist_name = 'a'");

		assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(result.err()).contains("frist_name").contains("line 1").contains("did you mean 'first_name'");
		assertThat(count("SELECT count(*) FROM segment")).isZero();
	}

	private String createSegment(String name, String where) {
		Cli.Result created = this.cli.run("segments", "create", "--name", name, "--query-dsl",
				"SELECT contact_id, updated_at FROM contact_data WHERE " + where);
		assertThat(created.exitCode()).as(created.err()).isZero();
		return this.jdbc.sql("SELECT id::text FROM segment WHERE name = ?").param(name).query(String.class).single();
	}

	private long count(String sql) {
		return this.jdbc.sql(sql).query(Long.class).single();
	}

}
