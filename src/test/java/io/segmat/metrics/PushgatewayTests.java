package io.segmat.metrics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.segmat.testsupport.Cli;
import io.segmat.testsupport.TestData;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commands push their figures to a Pushgateway when SEGMAT_PUSHGATEWAY_URL is set: a real
 * HTTP server stands in for it, and the commands run as the CLI runs them.
 */
class PushgatewayTests {

	private static final String SLOT = "2026-06-01T10:15:00Z";

	private final TestDatabase database = TestDatabase.create();

	private final Cli cli = new Cli(this.database);

	private final JdbcClient jdbc = JdbcClient.create(this.database.dataSource());

	private final List<Push> pushes = new CopyOnWriteArrayList<>();

	private HttpServer pushgateway;

	private Map<String, String> env;

	@TempDir
	Path dir;

	@BeforeEach
	void startPushgateway() throws IOException {
		this.pushgateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.pushgateway.createContext("/metrics/", (exchange) -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			this.pushes.add(new Push(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
					new String(body, StandardCharsets.UTF_8)));
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		this.pushgateway.start();
		this.env = Map.of(Metrics.PUSHGATEWAY_URL_VARIABLE,
				"http://127.0.0.1:" + this.pushgateway.getAddress().getPort(), Metrics.PUSHGATEWAY_INSTANCE_VARIABLE,
				"account-1");
	}

	@AfterEach
	void stopPushgateway() {
		this.pushgateway.stop(0);
	}

	@Test
	void aRefreshPushesItsFiguresOnShutdownGroupedByJobAndInstance() {
		TestData data = new TestData(this.jdbc);
		data.contact("ada@example.com", "Ada", "UK");
		data.contact("bob@example.com", "Bob", "US");
		String uk = createSegment("uk", "country = 'UK'");
		String everyone = createSegment("everyone", "email LIKE '%@example.com'");

		Cli.Result result = this.cli.runWith(this.env, "refresh", "--slot", SLOT, "--as-of", SLOT);

		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(this.jdbc.sql("SELECT status FROM batch_job_execution").query(String.class).single())
			.isEqualTo("COMPLETED");
		Push last = lastPush();
		assertThat(last.method()).isEqualTo("PUT");
		assertThat(last.path()).isEqualTo("/metrics/job/segmat-refresh/instance/account-1");
		Exposition pushed = Exposition.parse(last.body());
		assertThat(pushed.value("segmat_refresh_segments_total",
				Map.of("trigger", "scheduled", "mode", "full", "status", "COMPLETED")))
			.isEqualTo(2);
		assertThat(pushed.value("segmat_refresh_segments_total",
				Map.of("trigger", "scheduled", "mode", "none", "status", "FAILED")))
			.isZero();
		assertThat(pushed.value("segmat_refresh_members_entered_total", Map.of("trigger", "scheduled"))).isEqualTo(3);
		assertThat(pushed.value("segmat_refresh_evaluation_seconds_count",
				Map.of("trigger", "scheduled", "mode", "full", "status", "COMPLETED")))
			.isEqualTo(2);
		assertThat(pushed.value("segmat_segment_members", Map.of("segment_id", uk))).isEqualTo(1);
		assertThat(pushed.value("segmat_segment_members", Map.of("segment_id", everyone))).isEqualTo(2);
		assertThat(pushed.value("segmat_segments")).isEqualTo(2);
		assertThat(pushed.value("segmat_segments_invalid")).isZero();
		assertThat(pushed.value("segmat_refresh_last_success_timestamp_seconds")).isPositive();
		assertThat(pushed.value("spring_batch_job_seconds_count",
				Map.of("spring_batch_job_name", "segmentRefreshJob", "spring_batch_job_status", "COMPLETED")))
			.isEqualTo(1);
	}

	@Test
	void aContactsImportPushesItsRowsByOutcome() throws IOException {
		Path file = Files.writeString(this.dir.resolve("contacts.csv"), "email,first_name\nA@x.io,Ann\nbroken,Bob\n");

		Cli.Result result = this.cli.runWith(this.env, "contacts", "import", file.toString());

		assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact").query(Long.class).single()).isEqualTo(1);
		Push last = lastPush();
		assertThat(last.path()).isEqualTo("/metrics/job/segmat-contacts-import/instance/account-1");
		Exposition pushed = Exposition.parse(last.body());
		Map<String, String> contacts = Map.of("import_job", "contactImportJob");
		assertThat(pushed.value("segmat_import_rows_total", with(contacts, "outcome", "created"))).isEqualTo(1);
		assertThat(pushed.value("segmat_import_rows_total", with(contacts, "outcome", "skipped"))).isEqualTo(1);
	}

	@Test
	void aCommandThatRunsNoJobPushesNothing() {
		Cli.Result result = this.cli.runWith(this.env, "segments", "list");

		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(this.pushes).isEmpty();
	}

	@Test
	void aPushgatewayUrlThatIsNotHostAndPortIsRefused() {
		Cli.Result result = this.cli.runWith(Map.of(Metrics.PUSHGATEWAY_URL_VARIABLE, "pushgateway:9091/metrics"),
				"refresh", "--slot", SLOT);

		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err()).contains("SEGMAT_PUSHGATEWAY_URL must be http://host:port");
		assertThat(this.jdbc.sql("SELECT count(*) FROM batch_job_execution").query(Long.class).single()).isZero();
	}

	private Push lastPush() {
		assertThat(this.pushes).isNotEmpty();
		return this.pushes.get(this.pushes.size() - 1);
	}

	private static Map<String, String> with(Map<String, String> labels, String name, String value) {
		Map<String, String> all = new java.util.HashMap<>(labels);
		all.put(name, value);
		return all;
	}

	private String createSegment(String name, String where) {
		Cli.Result created = this.cli.run("segments", "create", "--name", name, "--query-dsl",
				"SELECT contact_id, updated_at FROM contact_data WHERE " + where);
		assertThat(created.exitCode()).as(created.err()).isZero();
		return this.jdbc.sql("SELECT id::text FROM segment WHERE name = ?").param(name).query(String.class).single();
	}

	record Push(String method, String path, String body) {
	}

}
