package io.segmat.cli;

import io.segmat.testsupport.Cli;
import io.segmat.testsupport.TestData;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalEscapesTests {

	private static final String SLOT = "2026-06-01T10:15:00Z";

	/** Clears the screen, rings, returns to the line's start, breaks it, reverses it. */
	private static final String HOSTILE = "evil\u001b[2J\u0007\rfake\nline\u202eesrever";

	private static final String ESCAPED = "evil\\e[2J\\a\\rfake\\nline\\u202eesrever";

	private final TestDatabase database = TestDatabase.create();

	private final Cli cli = new Cli(this.database);

	private final JdbcClient jdbc = JdbcClient.create(this.database.dataSource());

	@BeforeEach
	void contacts() {
		new TestData(this.jdbc).contact("ada@example.com", "Ada", "UK");
	}

	@Test
	void runsExecutionEscapesASegmentNameAndItsErrorMessage() {
		createSegment("uk", "country = 'UK'");
		assertThat(this.cli.run("refresh", "--slot", SLOT, "--as-of", SLOT).exitCode()).isZero();
		// Creation refuses such names now; older rows and PostgreSQL's messages still
		// hold them.
		this.jdbc.sql("UPDATE segment SET name = ?").param(HOSTILE).update();
		this.jdbc.sql("UPDATE segment_evaluation SET error_message = ?").param("why: " + HOSTILE).update();

		Cli.Result result = this.cli.run("runs", "--execution", String.valueOf(lastExecution()));

		assertThat(result.exitCode()).as(result.err()).isZero();
		assertNoRawControls(result.out());
		assertThat(result.out().lines()).hasSize(2);
		assertThat(result.out().lines().skip(1).findFirst().orElseThrow()).startsWith(ESCAPED)
			.endsWith("why: " + ESCAPED);
	}

	@Test
	void runsEscapesJobParameters() {
		createSegment("uk", "country = 'UK'");
		assertThat(this.cli.run("refresh", "--slot", SLOT, "--as-of", SLOT).exitCode()).isZero();
		this.jdbc.sql("UPDATE batch_job_execution_params SET parameter_value = ? WHERE parameter_name = 'slot'")
			.param(HOSTILE)
			.update();

		Cli.Result result = this.cli.run("runs");

		assertThat(result.exitCode()).as(result.err()).isZero();
		assertNoRawControls(result.out());
		assertThat(result.out().lines()).hasSize(2);
		assertThat(result.out()).contains("slot=" + ESCAPED);
	}

	@Test
	void aFailedSegmentWithControlCharactersInItsNameIsReportedOnOneEscapedLine() {
		this.cli.run("fields", "create", "--name", "plan", "--type", "Text");
		createSegment("gold", "plan = 'gold'");
		this.cli.run("fields", "delete", "e1_T");
		this.jdbc.sql("UPDATE segment SET name = ?").param(HOSTILE).update();

		Cli.Result result = this.cli.run("refresh", "--slot", SLOT, "--as-of", SLOT);

		assertThat(result.exitCode()).isEqualTo(ExitCodes.SEGMENTS_FAILED);
		assertNoRawControls(result.err());
		assertThat(result.err().lines().filter((line) -> line.startsWith("failed segment "))).singleElement()
			.asString()
			.startsWith("failed segment " + ESCAPED + ": unknown column 'plan'");
		assertThat(result.err()).contains("1 segment(s) failed");
	}

	private static void assertNoRawControls(String output) {
		// Line feeds end the lines the command meant to print; nothing else may reach the
		// terminal raw.
		assertThat(output.codePoints().filter(TerminalEscapesTests::isRawControl).toArray()).isEmpty();
	}

	private static boolean isRawControl(int c) {
		return (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f) || (c >= 0x2028 && c <= 0x202e)
				|| (c >= 0x2066 && c <= 0x2069);
	}

	private void createSegment(String name, String where) {
		Cli.Result created = this.cli.run("segments", "create", "--name", name, "--query-dsl",
				"SELECT contact_id, updated_at FROM contact_data WHERE " + where);
		assertThat(created.exitCode()).as(created.err()).isZero();
	}

	private long lastExecution() {
		return this.jdbc.sql("SELECT max(job_execution_id) FROM batch_job_execution").query(Long.class).single();
	}

}
