package io.segmat.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way a request can be wrong gets the documented status and a body that says what,
 * never a stack trace.
 */
class ApiErrorTests extends ApiTestSupport {

	private static final String SEGMENTS = "/v3/marketing/segments/2.0";

	private static final String UNAUTHORIZED = "{\"errors\":[{\"field\":null,\"message\":\"authorization required\"}]}";

	@Test
	void aMissingOrWrongKeyIsUnauthorized() {
		Answer missing = send("GET", SEGMENTS, null, null);
		Answer wrong = send("GET", SEGMENTS, null, "Bearer SG.not.this-one");
		Answer basic = send("GET", SEGMENTS, null, "Basic " + KEY);

		assertThat(missing.status()).isEqualTo(401);
		assertThat(missing.body()).isEqualTo(UNAUTHORIZED);
		assertThat(wrong.status()).isEqualTo(401);
		assertThat(wrong.body()).isEqualTo(UNAUTHORIZED);
		assertThat(basic.status()).isEqualTo(401);
		assertConforms("GET", SEGMENTS, missing);
	}

	@Test
	void aBodyOverSixMegabytesIsRefusedAndNothingIsCreated() {
		String huge = "{\"name\":\"big\",\"query_dsl\":\"" + "x".repeat(6 * 1024 * 1024 + 1) + "\"}";

		Answer answer = call("POST", SEGMENTS, huge);

		assertThat(answer.status()).isEqualTo(413);
		assertThat(answer.json().get("errors").get(0).get("message").asString()).contains("6 MB");
		assertThat(count("SELECT count(*) FROM segment")).isZero();
	}

	@Test
	void malformedJsonIsABadRequest() {
		Answer answer = call("POST", SEGMENTS, "{\"name\": \"x\", \"query_dsl\": ");

		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.json().get("errors").get(0).get("message").asString()).contains("not valid JSON");
		assertThat(count("SELECT count(*) FROM segment")).isZero();
	}

	@Test
	void aWrongTypeNamesTheField() {
		Answer number = call("POST", SEGMENTS,
				"{\"name\": 5, \"query_dsl\": \"SELECT contact_id, updated_at FROM contact_data\"}");
		Answer notAList = call("POST", SEGMENTS,
				"{\"name\": \"x\", \"query_dsl\": \"SELECT contact_id, updated_at FROM contact_data\", \"parent_list_ids\": \"abc\"}");
		Answer notAnObject = call("POST", SEGMENTS, "[1, 2]");

		assertThat(number.status()).isEqualTo(400);
		assertThat(number.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
		assertThat(notAList.status()).isEqualTo(400);
		assertThat(notAList.json().get("errors").get(0).get("field").asString()).isEqualTo("parent_list_ids");
		assertThat(notAnObject.status()).isEqualTo(400);
		assertThat(count("SELECT count(*) FROM segment")).isZero();
	}

	@Test
	void aBadQueryIsABadRequestThatSaysWhereAndNothingRuns() {
		Answer answer = call("POST", SEGMENTS,
				"{\"name\": \"x\", \"query_dsl\": \"SELECT contact_id, updated_at FROM contact_data WHERE pg_sleep(5) IS NULL\"}");

		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.json().get("errors").get(0).get("field").asString()).isEqualTo("query_dsl");
		assertThat(answer.json().get("errors").get(0).get("message").asString()).contains("pg_sleep")
			.contains("line 1");
		assertThat(count("SELECT count(*) FROM segment")).isZero();
	}

	@Test
	void unknownIdsAreNotFound() {
		Answer segment = call("GET", SEGMENTS + "/00000000-0000-0000-0000-000000000000", null);
		Answer notAnId = call("GET", SEGMENTS + "/not-an-id", null);
		Answer deleteSegment = call("DELETE", SEGMENTS + "/00000000-0000-0000-0000-000000000000", null);
		Answer refresh = call("POST", SEGMENTS + "/refresh/00000000-0000-0000-0000-000000000000",
				"{\"user_time_zone\":\"UTC\"}");
		Answer list = call("GET", "/v3/marketing/lists/00000000-0000-0000-0000-000000000000", null);
		Answer field = call("DELETE", "/v3/marketing/field_definitions/e99_T", null);

		assertThat(segment.status()).isEqualTo(404);
		assertThat(segment.body()).isEqualTo("{\"error\":\"Segment does not exist.\"}");
		assertThat(notAnId.status()).isEqualTo(404);
		assertThat(deleteSegment.status()).isEqualTo(404);
		assertThat(refresh.status()).isEqualTo(404);
		assertThat(list.status()).isEqualTo(404);
		assertThat(field.status()).isEqualTo(404);
	}

	@Test
	void aServerErrorSaysSoWithoutAStackTraceOrTheDatabasesWords() {
		// given a database that fails every read of segments
		this.jdbc.sql("ALTER TABLE segment RENAME TO segment_away").update();
		Answer answer;
		try {
			answer = send("GET", SEGMENTS, null, "Bearer " + KEY);
		}
		finally {
			this.jdbc.sql("ALTER TABLE segment_away RENAME TO segment").update();
		}

		assertThat(answer.status()).isEqualTo(500);
		assertThat(answer.body()).contains("internal error")
			.doesNotContain("segment_away")
			.doesNotContain("Exception")
			.doesNotContain("\tat ")
			.doesNotContain("SELECT");
		assertConforms("GET", SEGMENTS, answer);
	}

	private long count(String sql) {
		return this.jdbc.sql(sql).query(Long.class).single();
	}

}
