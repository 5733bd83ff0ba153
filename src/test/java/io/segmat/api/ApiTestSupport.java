package io.segmat.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import com.atlassian.oai.validator.report.ValidationReport;
import io.segmat.SegmatApplication;
import io.segmat.testsupport.TestData;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One running server for every API test class (same configuration, so Spring caches one
 * context): a real embedded PostgreSQL, a known key and a clock the tests move. Every
 * answer that goes through {@link #call} is validated against SendGrid's OpenAPI files.
 */
@SpringBootTest(classes = SegmatApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "segmat.api.keys=" + ApiTestSupport.KEY,
				// long enough for any real search of the tests' few contacts; a search
				// made
				// to wait for a lock (ContactSearchApiTests) is a 408 within it
				"segmat.search.timeout=" + ApiTestSupport.SEARCH_TIMEOUT })
@Import(ApiTestSupport.ClockConfiguration.class)
abstract class ApiTestSupport {

	static final String KEY = "SG.test-key-id.test-key-secret";

	static final String SEARCH_TIMEOUT = "3s";

	static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TestDatabase database = TestDatabase.create();

	private static final SendGridContract contract = new SendGridContract();

	private static final HttpClient http = HttpClient.newHttpClient();

	/** Where the API's contact exports go: a folder of this JVM's, not ./.segmat. */
	static final Path EXPORT_DIR = exportDir();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		database.register(registry);
		registry.add("segmat.export.dir", EXPORT_DIR::toString);
	}

	private static Path exportDir() {
		try {
			Path dir = Files.createTempDirectory("segmat-exports-");
			dir.toFile().deleteOnExit();
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MutableClock clock;

	TestData data;

	@BeforeEach
	void emptyDatabase() {
		database.truncateAll();
		this.clock.set(T0);
		this.data = new TestData(this.jdbc);
	}

	String baseUrl() {
		return "http://localhost:" + this.port;
	}

	/**
	 * Sends a request with the key, and checks the answer against the OpenAPI file of its
	 * path.
	 */
	Answer call(String method, String path, String body) {
		Answer answer = send(method, path, body, "Bearer " + KEY);
		assertConforms(method, path, answer);
		return answer;
	}

	Answer send(String method, String path, String body, String authorization) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		try {
			return new Answer(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
		}
		catch (Exception ex) {
			throw new IllegalStateException(method + " " + path + ": " + ex.getMessage(), ex);
		}
	}

	static void assertConforms(String method, String path, Answer answer) {
		assertConforms(method, path, answer.status(),
				answer.response().headers().firstValue("Content-Type").orElse(null), answer.body());
	}

	static void assertConforms(String method, String path, int status, String contentType, String body) {
		ValidationReport report = contract.validate(method, path, status, contentType, body);
		assertThat(report.getMessages()).as("%s %s answered %d %s", method, path, status, body).isEmpty();
	}

	/** One HTTP answer, its body parsed on demand. */
	record Answer(HttpResponse<String> response) {

		int status() {
			return this.response.statusCode();
		}

		String body() {
			return this.response.body();
		}

		JsonNode json() {
			return JSON.readTree(this.response.body());
		}

	}

	/** A clock the tests set; the application reads time only through its Clock bean. */
	static final class MutableClock extends Clock {

		private final AtomicReference<Instant> now = new AtomicReference<>(T0);

		void set(Instant instant) {
			this.now.set(instant);
		}

		void advance(java.time.Duration duration) {
			this.now.updateAndGet((instant) -> instant.plus(duration));
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException("segmat reads instants only");
		}

		@Override
		public Instant instant() {
			return this.now.get();
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ClockConfiguration {

		@Bean
		@Primary
		MutableClock testClock() {
			return new MutableClock();
		}

	}

}
