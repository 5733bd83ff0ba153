package io.segmat.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import io.segmat.SegmatApplication;
import io.segmat.testsupport.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database stops under a running API, for real: the server of this class, not the
 * tests' shared one, is stopped and started again on the same data and port. While it is
 * down, requests answer 503 with Retry-After in SendGrid's error shape; once it is back,
 * they answer as before.
 */
@Tag("slow")
@SpringBootTest(classes = SegmatApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "segmat.api.keys=" + DatabaseOutageTests.KEY)
@DirtiesContext
class DatabaseOutageTests {

	static final String KEY = "SG.outage-key-id.outage-key-secret";

	private static final String SEGMENTS = "/v3/marketing/segments/2.0";

	private static final String LISTS = "/v3/marketing/lists";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newHttpClient();

	private static final Path dataDirectory = temporaryDirectory();

	private static EmbeddedPostgres server = start(0);

	private static final int databasePort = server.getPort();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> "jdbc:postgresql://localhost:" + databasePort + "/postgres");
		registry.add("spring.datasource.username", () -> "postgres");
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void removeServer() throws IOException {
		server.close();
		new ProcessBuilder("rm", "-rf", dataDirectory.toString()).start();
	}

	@Test
	void whileTheDatabaseIsDownRequestsAnswer503WithRetryAfterAndAnswerAgainOnceItIsBack() throws IOException {
		assertThat(send("GET", SEGMENTS, null).statusCode()).isEqualTo(200);
		assertThat(send("POST", LISTS, "{\"name\":\"before the outage\"}").statusCode()).isEqualTo(201);

		server.close();
		// A write first, while its connection may still be in the pool: its statement
		// fails on a dead connection inside a transaction, and so does the rollback.
		HttpResponse<String> write = send("POST", LISTS, "{\"name\":\"during the outage\"}");
		HttpResponse<String> read = send("GET", SEGMENTS, null);

		assertUnavailable(write);
		assertUnavailable(read);

		server = start(databasePort);
		assertThat(firstAnswerOtherThanUnavailable()).isEqualTo(200);
		assertThat(send("POST", LISTS, "{\"name\":\"after the outage\"}").statusCode()).isEqualTo(201);
	}

	/**
	 * Two things may still fail a request once the server is back, each a bounded number
	 * of times: a pooled connection used less than half a second before the stop is
	 * handed out unchecked and fails its statement, once per connection (at most the
	 * pool's 12); and Hikari retries a stopped database with a backoff that grows to 5 s,
	 * so a request may find no connection within the API's 3 s wait, twice at most. Every
	 * answer before the first other one is a proper 503.
	 */
	private int firstAnswerOtherThanUnavailable() {
		int bound = 12 + 2;
		for (int attempt = 1;; attempt++) {
			HttpResponse<String> answer = send("GET", SEGMENTS, null);
			if (answer.statusCode() != 503 || attempt == bound) {
				return answer.statusCode();
			}
			assertUnavailable(answer);
		}
	}

	private static void assertUnavailable(HttpResponse<String> answer) {
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
		assertThat(answer.headers().firstValue("Retry-After"))
			.hasValueSatisfying((seconds) -> assertThat(Integer.parseInt(seconds)).isPositive());
		JsonNode errors = JSON.readTree(answer.body()).get("errors");
		assertThat(errors).hasSize(1);
		assertThat(errors.get(0).get("field").isNull()).isTrue();
		assertThat(errors.get(0).get("message").asString()).isEqualTo("the database is unavailable; try again shortly");
	}

	private HttpResponse<String> send(String method, String path, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Authorization", "Bearer " + KEY)
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		long started = System.nanoTime();
		try {
			HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			// measured for the record, never asserted
			System.out.printf("%s %s answered %d in %d ms%n", method, path, response.statusCode(),
					(System.nanoTime() - started) / 1_000_000);
			return response;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Port 0 for any free port; the same data directory every time. */
	private static EmbeddedPostgres start(int port) {
		try {
			return TestDatabase.startServer(dataDirectory, port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot start this test's PostgreSQL", ex);
		}
	}

	private static Path temporaryDirectory() {
		try {
			return Files.createTempDirectory("epg-outage");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
