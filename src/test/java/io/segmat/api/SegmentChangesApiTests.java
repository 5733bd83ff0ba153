package io.segmat.api;

import java.time.Duration;
import java.time.Instant;

import io.segmat.refresh.RefreshLauncher;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * segmat's extension {@code GET /v3/marketing/segments/2.0/{id}/changes}: not in
 * SendGrid's files, so answers are checked here field by field.
 */
class SegmentChangesApiTests extends ApiTestSupport {

	@Autowired
	private RefreshLauncher launcher;

	@Test
	void changesArePagedWithACursorThatReadsOnLater() {
		// given a UK segment materialized with two members
		this.data.contact("ada@example.com", "Ada", "UK");
		this.data.contact("bob@example.com", "Bob", "US");
		this.data.contact("cy@mail.test", "Cy", "UK");
		String id = createSegment();
		refresh(T0);

		// when the changes are read one at a time, then bob enters and the rest is read
		Answer first = send("GET", changes(id) + "?limit=1", null, "Bearer " + KEY);
		this.data.update("bob@example.com", "country", "UK");
		refresh(T0.plus(Duration.ofHours(1)));
		Answer rest = send("GET", changes(id) + "?limit=100&cursor=" + first.json().get("next_cursor").asString(), null,
				"Bearer " + KEY);

		// then
		assertThat(first.status()).isEqualTo(200);
		JsonNode change = first.json().get("changes").get(0);
		assertThat(change.get("email").asString()).isEqualTo("ada@example.com");
		assertThat(change.get("change").asString()).isEqualTo("entered");
		assertThat(change.get("at").asString()).isEqualTo("2026-03-02T10:00:00Z");
		assertThat(change.get("contact_id").asString()).hasSize(36);
		assertThat(change.get("evaluation_id").isNumber()).isTrue();
		assertThat(rest.status()).isEqualTo(200);
		assertThat(rest.json()
			.get("changes")
			.valueStream()
			.map((c) -> c.get("email").asString() + " " + c.get("change").asString()))
			.containsExactly("cy@mail.test entered", "bob@example.com entered");
		Answer caughtUp = send("GET", changes(id) + "?cursor=" + rest.json().get("next_cursor").asString(), null,
				"Bearer " + KEY);
		assertThat(caughtUp.json().get("changes").size()).isZero();
		assertThat(caughtUp.json().get("next_cursor").asString()).isEqualTo(rest.json().get("next_cursor").asString());
	}

	@Test
	void anExpiredCursorIsGoneNotAGap() {
		this.data.contact("ada@example.com", "Ada", "UK");
		String id = createSegment();
		refresh(T0);
		String cursor = send("GET", changes(id), null, "Bearer " + KEY).json().get("next_cursor").asString();
		this.data.update("ada@example.com", "country", "FR");
		refresh(T0.plus(Duration.ofHours(1)));
		this.data.update("ada@example.com", "country", "UK");
		// the first two evaluations' changes are older than the retention when the next
		// refresh prunes
		this.jdbc.sql("UPDATE segment_change SET recorded_at = recorded_at - interval '40 days'").update();
		refresh(T0.plus(Duration.ofHours(2)));

		Answer answer = send("GET", changes(id) + "?cursor=" + cursor, null, "Bearer " + KEY);

		assertThat(answer.status()).isEqualTo(410);
		assertThat(answer.json().get("errors").get(0).get("field").asString()).isEqualTo("cursor");
		assertThat(answer.json().get("errors").get(0).get("message").asString())
			.contains("older than the retained changes");
	}

	@Test
	void badRequestsAreNamed() {
		String id = createSegment();

		assertThat(send("GET", changes(id) + "?cursor=abc", null, "Bearer " + KEY).status()).isEqualTo(400);
		Answer limit = send("GET", changes(id) + "?limit=5000", null, "Bearer " + KEY);
		assertThat(limit.status()).isEqualTo(400);
		assertThat(limit.json().get("errors").get(0).get("field").asString()).isEqualTo("limit");
		Answer unknown = send("GET", changes("5d6b2f8e-1f0a-4c47-9a55-000000000000"), null, "Bearer " + KEY);
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.json().get("error").asString()).isEqualTo("Segment does not exist.");
		assertThat(send("GET", changes(id), null, null).status()).isEqualTo(401);
	}

	private String createSegment() {
		Answer created = call("POST", "/v3/marketing/segments/2.0", """
				{"name":"uk","query_dsl":"SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'"}""");
		assertThat(created.status()).isEqualTo(201);
		return created.json().get("id").asString();
	}

	private void refresh(Instant asOf) {
		this.clock.set(asOf);
		this.launcher.launch(asOf.toString(), asOf.toString(), 1);
	}

	private static String changes(String segmentId) {
		return "/v3/marketing/segments/2.0/" + segmentId + "/changes";
	}

}
