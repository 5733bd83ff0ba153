package io.segmat.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import io.segmat.LimitExceededException;
import io.segmat.SegmatApplication;
import io.segmat.contacts.ContactImporter;
import io.segmat.events.EventImporter;
import io.segmat.refresh.ManualRefresh;
import io.segmat.refresh.RefreshLauncher;
import io.segmat.refresh.RefreshRun;
import io.segmat.testsupport.TestData;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code serve}'s management server, configured as {@code serve} configures it: health
 * and the Prometheus scrape on a port of their own, without the API key, and nothing of
 * it on the API port.
 */
@SpringBootTest(classes = SegmatApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "segmat.api.keys=" + ManagementServerTests.KEY)
class ManagementServerTests {

	static final String KEY = "SG.metrics-key-id.metrics-key-secret";

	private static final TestDatabase database = TestDatabase.create();

	private static final HttpClient http = HttpClient.newHttpClient();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String SLOT = "2026-06-01T10:15:00Z";

	@DynamicPropertySource
	static void serve(DynamicPropertyRegistry registry) {
		database.register(registry);
		Metrics.forServe(0).forEach((name, value) -> registry.add(name, () -> value));
	}

	@LocalServerPort
	int apiPort;

	@LocalManagementPort
	int managementPort;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	RefreshLauncher refresh;

	@Autowired
	ManualRefresh manualRefresh;

	@Autowired
	ContactImporter contacts;

	@Autowired
	EventImporter events;

	@TempDir
	Path dir;

	@BeforeEach
	void emptyDatabase() {
		database.truncateAll();
	}

	@Test
	void theScrapeCarriesSegmatsAndSpringBatchsMetersWithoutAKey() {
		String segment = refreshedSegment();

		HttpResponse<String> scrape = get(this.managementPort, "/actuator/prometheus", null);

		assertThat(scrape.statusCode()).isEqualTo(200);
		Exposition metrics = Exposition.parse(scrape.body());
		assertThat(metrics.names()).contains("segmat_refresh_segments_total", "segmat_segment_members",
				"segmat_segment_staleness_seconds", "segmat_segments_overdue", "segmat_segments_invalid",
				"spring_batch_job_seconds_count", "spring_batch_step_seconds_count",
				"http_server_requests_seconds_count");
		assertThat(metrics.value("segmat_segment_members", Map.of("segment_id", segment))).isEqualTo(1);
		assertThat(metrics.value("segmat_segments")).isEqualTo(1);
	}

	@Test
	void readinessIsUpWithTheDatabaseAndLivenessIsUp() {
		HttpResponse<String> readiness = get(this.managementPort, "/actuator/health/readiness", null);
		HttpResponse<String> liveness = get(this.managementPort, "/actuator/health/liveness", null);
		HttpResponse<String> health = get(this.managementPort, "/actuator/health", null);

		assertThat(readiness.statusCode()).isEqualTo(200);
		JsonNode ready = JSON.readTree(readiness.body());
		assertThat(ready.path("status").asString()).isEqualTo("UP");
		assertThat(ready.path("components").path("db").path("status").asString()).isEqualTo("UP");
		assertThat(ready.path("components").path("db").path("details").isMissingNode()).isTrue();
		assertThat(liveness.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(liveness.body()).path("status").asString()).isEqualTo("UP");
		assertThat(health.statusCode()).isEqualTo(200);
	}

	@Test
	void theApiPortServesNoActuatorEvenWithTheKey() {
		for (String path : new String[] { "/actuator/prometheus", "/actuator/health", "/actuator" }) {
			HttpResponse<String> withKey = get(this.apiPort, path, "Bearer " + KEY);
			HttpResponse<String> withoutKey = get(this.apiPort, path, null);

			assertThat(withKey.statusCode()).as(path).isEqualTo(404);
			assertThat(withoutKey.statusCode()).as(path).isNotEqualTo(200);
			assertThat(withKey.body() + withoutKey.body()).as(path).doesNotContain("segmat_").doesNotContain("UP");
		}
	}

	@Test
	void theManagementPortServesNoApi() {
		HttpResponse<String> withKey = get(this.managementPort, "/v3/marketing/segments/2.0", "Bearer " + KEY);

		assertThat(withKey.statusCode()).isEqualTo(404);
		assertThat(get(this.apiPort, "/v3/marketing/segments/2.0", "Bearer " + KEY).statusCode()).isEqualTo(200);
	}

	@Test
	void importsAndRefusedManualRefreshesAreCounted() throws IOException {
		exerciseEveryMeter();

		Exposition metrics = scrape();
		assertThat(metrics.value("segmat_import_rows_total",
				Map.of("import_job", "contactImportJob", "outcome", "skipped")))
			.isGreaterThanOrEqualTo(1);
		assertThat(metrics.value("segmat_import_rows_total",
				Map.of("import_job", "eventImportJob", "outcome", "imported")))
			.isGreaterThanOrEqualTo(1);
		assertThat(metrics.value("segmat_manual_refreshes_refused_total")).isGreaterThanOrEqualTo(1);
		assertThat(metrics.sum("segmat_refresh_segments_total", Map.of("trigger", "manual", "status", "COMPLETED")))
			.isGreaterThanOrEqualTo(1);
		assertThat(this.jdbc.sql("SELECT count(*) FROM segment_evaluation WHERE trigger = 'manual'")
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	/**
	 * Every name the dashboard and the alerts read is one a real scrape carries, once
	 * segmat has done each thing once; push_time_seconds alone is the Pushgateway's.
	 */
	@Test
	void everyMetricTheDashboardAndTheAlertsReadIsExported() throws IOException {
		exerciseEveryMeter();
		Set<String> exported = scrape().names();
		Map<String, String> notSegmats = Map.of("push_time_seconds",
				"the Pushgateway's own stamp on each group it holds, for the age of the last push");

		Map<String, Set<String>> used = new TreeMap<>();
		for (String expression : dashboardExpressions()) {
			used.put("dashboard: " + expression, PromQl.metricNames(expression));
		}
		for (Map<String, Object> rule : alertRules()) {
			assertThat(rule).containsKeys("alert", "expr", "labels", "annotations");
			used.put("alert " + rule.get("alert") + ": " + rule.get("expr"),
					PromQl.metricNames(String.valueOf(rule.get("expr"))));
		}

		assertThat(used).hasSizeGreaterThan(20);
		used.forEach((where, names) -> assertThat(names).as(where)
			.isNotEmpty()
			.allSatisfy((name) -> assertThat(exported.contains(name) || notSegmats.containsKey(name))
				.as(where + " reads " + name)
				.isTrue()));
		assertThat(alertRules()).extracting((rule) -> rule.get("alert"))
			.containsExactly("SegmatNoSuccessfulRefresh", "SegmatInvalidSegment", "SegmatSegmentOverdue",
					"SegmatRunStuck", "SegmatPushStale");
	}

	private static List<String> dashboardExpressions() throws IOException {
		JsonNode dashboard = JSON.readTree(Files.readString(Path.of("jobs/grafana/segmat-dashboard.json")));
		assertThat(dashboard.path("title").asString()).isEqualTo("segmat");
		assertThat(dashboard.path("schemaVersion").asInt()).isPositive();
		List<String> expressions = new ArrayList<>();
		Set<Integer> ids = new HashSet<>();
		for (JsonNode panel : dashboard.path("panels")) {
			assertThat(ids.add(panel.path("id").asInt())).as("unique panel id").isTrue();
			assertThat(panel.path("type").asString()).isIn("stat", "timeseries");
			assertThat(panel.path("gridPos").path("w").asInt()).isBetween(1, 24);
			assertThat(panel.path("targets").isEmpty()).as(panel.path("title").asString()).isFalse();
			for (JsonNode target : panel.path("targets")) {
				expressions.add(target.path("expr").asString());
			}
		}
		return expressions;
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> alertRules() throws IOException {
		Map<String, Object> file = new Yaml().load(Files.readString(Path.of("jobs/prometheus/alerts.yaml")));
		List<Map<String, Object>> rules = new ArrayList<>();
		for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
			rules.addAll((List<Map<String, Object>>) group.get("rules"));
		}
		return rules;
	}

	/**
	 * A refresh, a manual refresh and a refused one, a contacts import with a bad row, an
	 * events import, and the API requests that made the segment.
	 */
	private void exerciseEveryMeter() throws IOException {
		String segment = refreshedSegment();
		Path contactsFile = Files.writeString(this.dir.resolve("c.csv"), "email,first_name\nb@x.io,Bea\nbroken,Bob\n");
		Path eventsFile = Files.writeString(this.dir.resolve("e.json"),
				"[{\"email\":\"b@x.io\",\"event\":\"open\",\"timestamp\":1780000000,\"sg_event_id\":\"e1\"}]");
		this.contacts.importFile(contactsFile, null);
		this.events.importFile(eventsFile);
		this.manualRefresh.refresh(UUID.fromString(segment), "UTC", Instant.parse(SLOT));
		assertThatThrownBy(() -> this.manualRefresh.refresh(UUID.fromString(segment), "UTC", Instant.parse(SLOT)))
			.isInstanceOf(LimitExceededException.class);
	}

	/** A segment of one member, created through the API and refreshed. */
	private String refreshedSegment() {
		new TestData(this.jdbc).contact("ada@example.com", "Ada", "UK");
		HttpResponse<String> created = send("POST", this.apiPort, "/v3/marketing/segments/2.0",
				"{\"name\":\"uk\",\"query_dsl\":\"SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'\"}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		RefreshRun run = this.refresh.launch(SLOT, SLOT, 1);
		assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		return JSON.readTree(created.body()).path("id").asString();
	}

	Exposition scrape() {
		HttpResponse<String> scrape = get(this.managementPort, "/actuator/prometheus", null);
		assertThat(scrape.statusCode()).isEqualTo(200);
		return Exposition.parse(scrape.body());
	}

	private static HttpResponse<String> get(int port, String path, String authorization) {
		return send("GET", port, path, null, authorization);
	}

	private static HttpResponse<String> send(String method, int port, String path, String body) {
		return send(method, port, path, body, "Bearer " + KEY);
	}

	private static HttpResponse<String> send(String method, int port, String path, String body, String authorization) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		try {
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(method + " " + path + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
