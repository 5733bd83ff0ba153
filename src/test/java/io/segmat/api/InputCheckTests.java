package io.segmat.api;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Names and bodies that are wrong in small ways get a 400 (or 413) that says why. */
class InputCheckTests extends ApiTestSupport {

	private static final String SEGMENTS = "/v3/marketing/segments/2.0";

	private static final String LISTS = "/v3/marketing/lists";

	private static final String QUERY = "SELECT contact_id, updated_at FROM contact_data";

	@Test
	void aNulInASegmentOrListNameIsABadRequest() {
		Answer segment = call("POST", SEGMENTS, "{\"name\":\"a\\u0000b\",\"query_dsl\":\"" + QUERY + "\"}");
		Answer list = call("POST", LISTS, "{\"name\":\"a\\u0000b\"}");

		assertThat(segment.status()).isEqualTo(400);
		assertThat(message(segment)).contains("control characters").contains("U+0000");
		assertThat(list.status()).isEqualTo(400);
		assertThat(message(list)).contains("control characters");
		assertThat(count("SELECT count(*) FROM segment") + count("SELECT count(*) FROM contact_list")).isZero();
	}

	@Test
	void aNulInAQueryIsABadRequest() {
		Answer segment = call("POST", SEGMENTS, "{\"name\":\"x\",\"query_dsl\":\"" + QUERY + " \\u0000\"}");

		assertThat(segment.status()).isEqualTo(400);
		assertThat(segment.json().get("errors").get(0).get("field").asString()).isEqualTo("query_dsl");
		assertThat(message(segment)).contains("NUL");
	}

	@Test
	void nameLengthsCountCharactersNotUtf16Units() {
		String hundredEmoji = "\uD83D\uDE00".repeat(100);

		Answer segment = call("POST", SEGMENTS, "{\"name\":\"" + hundredEmoji + "\",\"query_dsl\":\"" + QUERY + "\"}");
		Answer list = call("POST", LISTS, "{\"name\":\"" + hundredEmoji + "\"}");
		Answer tooLong = call("POST", LISTS, "{\"name\":\"" + hundredEmoji + "x\"}");

		assertThat(segment.status()).isEqualTo(201);
		assertThat(list.status()).isEqualTo(201);
		assertThat(tooLong.status()).isEqualTo(400);
		assertThat(message(tooLong)).contains("at most 100 characters, not 101");
	}

	@Test
	void aNameOfSpacesIsRefusedForSegmentsAsForLists() {
		Answer segment = call("POST", SEGMENTS, "{\"name\":\"   \",\"query_dsl\":\"" + QUERY + "\"}");
		Answer list = call("POST", LISTS, "{\"name\":\"   \"}");

		assertThat(segment.status()).isEqualTo(400);
		assertThat(message(segment)).isEqualTo("name is required");
		assertThat(list.status()).isEqualTo(400);
		assertThat(message(list)).isEqualTo("name is required");
	}

	@Test
	void aCustomFieldCannotBeNamedLikeAFieldId() {
		Answer id = call("POST", "/v3/marketing/field_definitions", "{\"name\":\"e4_T\",\"field_type\":\"Text\"}");
		Answer anyCase = call("POST", "/v3/marketing/field_definitions",
				"{\"name\":\"E12_d\",\"field_type\":\"Date\"}");
		Answer plain = call("POST", "/v3/marketing/field_definitions",
				"{\"name\":\"e4_total\",\"field_type\":\"Text\"}");

		assertThat(id.status()).isEqualTo(400);
		assertThat(message(id)).contains("form of a custom field id");
		assertThat(anyCase.status()).isEqualTo(400);
		assertThat(plain.status()).isEqualTo(200);
	}

	@Test
	void aChunkedBodyOverSixMegabytesIsTooLarge() throws Exception {
		byte[] huge = ("{\"name\":\"big\",\"query_dsl\":\"" + "x".repeat(6 * 1024 * 1024 + 1) + "\"}")
			.getBytes(StandardCharsets.UTF_8);
		// no length up front: the body is sent chunked
		HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + SEGMENTS))
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge)))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + KEY)
			.build();

		HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

		assertThat(answer.statusCode()).isEqualTo(413);
		assertThat(answer.body()).contains("6 MB");
		assertThat(count("SELECT count(*) FROM segment")).isZero();
	}

	@Test
	void theErrorPageAnswersInTheApisShapeAndWantsAKey() {
		Answer withoutKey = send("GET", "/error", null, null);
		Answer withKey = send("GET", "/error", null, "Bearer " + KEY);

		assertThat(withoutKey.status()).isEqualTo(401);
		assertThat(withoutKey.body()).startsWith("{\"errors\":[");
		assertThat(withKey.status()).isEqualTo(404);
		assertThat(withKey.body()).isEqualTo("{\"errors\":[{\"field\":null,\"message\":\"no such endpoint\"}]}");
	}

	private static String message(Answer answer) {
		return answer.json().get("errors").get(0).get("message").asString();
	}

	private long count(String sql) {
		return this.jdbc.sql(sql).query(Long.class).single();
	}

}
