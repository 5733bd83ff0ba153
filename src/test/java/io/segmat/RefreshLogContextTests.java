package io.segmat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import io.segmat.testsupport.Cli;
import io.segmat.testsupport.TestData;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refresh run with SEGMAT_LOG_FORMAT=json: the lines logged while a segment is worked
 * on carry the run's job execution id and the segment's id, and stdout keeps the report
 * alone.
 */
class RefreshLogContextTests {

	private static final String SLOT = "2026-06-01T10:15:00Z";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final TestDatabase database = TestDatabase.create();

	private final Cli cli = new Cli(this.database);

	private final JdbcClient jdbc = JdbcClient.create(this.database.dataSource());

	@AfterEach
	void defaultLogging() throws Exception {
		System.clearProperty(Segmat.LOG_FORMAT);
		System.clearProperty("SEGMAT_LOG_LEVEL");
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		context.reset();
		new ContextInitializer(context).autoConfig();
	}

	@Test
	void eachSegmentsLinesNameTheJobExecutionAndTheSegment() throws Exception {
		new TestData(this.jdbc).contact("ada@example.com", "Ada", "UK");
		assertThat(this.cli
			.run("segments", "create", "--name", "uk", "--query-dsl",
					"SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'")
			.exitCode()).isZero();
		String segment = this.jdbc.sql("SELECT id::text FROM segment").query(String.class).single();
		Segmat.configureLogFormat("json");
		System.setProperty("SEGMAT_LOG_LEVEL", "DEBUG");

		ByteArrayOutputStream stderr = new ByteArrayOutputStream();
		PrintStream original = System.err;
		System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
		Cli.Result result;
		try {
			result = this.cli.run("refresh", "--slot", SLOT, "--as-of", SLOT);
		}
		finally {
			System.setErr(original);
		}

		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(result.out()).startsWith("{").contains("\"outcome\" : \"COMPLETED\"");
		long execution = this.jdbc.sql("SELECT job_execution_id FROM batch_job_execution WHERE status = 'COMPLETED'")
			.query(Long.class)
			.single();
		List<JsonNode> lines = stderr.toString(StandardCharsets.UTF_8)
			.lines()
			.filter((line) -> !line.isBlank())
			.map(JSON::readTree)
			.toList();
		List<JsonNode> aboutTheSegment = lines.stream()
			.filter((line) -> line.path("message").asString().startsWith("segment " + segment))
			.toList();
		assertThat(aboutTheSegment).isNotEmpty().allSatisfy((line) -> {
			assertThat(line.path("job_execution_id").asString()).isEqualTo(String.valueOf(execution));
			assertThat(line.path("segment_id").asString()).isEqualTo(segment);
			assertThat(line.path("log").path("level").asString()).isEqualTo("DEBUG");
		});
		assertThat(this.jdbc.sql("SELECT contacts_count FROM segment").query(Long.class).single()).isEqualTo(1);
	}

}
