package io.segmat.api;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.sendgrid.Method;
import com.sendgrid.Request;
import com.sendgrid.Response;
import com.sendgrid.SendGrid;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SendGrid's own Java client, changed only in its host, drives a whole segment lifecycle.
 * sendgrid-java speaks https unless built in "test" mode, which is its documented way to
 * use plain http (a local or mock server); nothing else differs.
 */
class SendGridClientTests extends ApiTestSupport {

	private SendGrid sendGrid;

	@BeforeEach
	void client() {
		this.sendGrid = new SendGrid(KEY, true);
		this.sendGrid.setHost("localhost:" + this.port);
	}

	@Test
	void segmentLifecycleThroughTheSendGridClient() throws IOException {
		// a custom field, a list, and 60 contacts upserted with the field keyed by its id
		Response field = api(Method.POST, "/v3/marketing/field_definitions",
				"{\"name\":\"plan\",\"field_type\":\"Text\"}");
		assertThat(field.getStatusCode()).isEqualTo(200);
		String fieldId = json(field).get("id").asString();

		Response list = api(Method.POST, "/v3/marketing/lists", "{\"name\":\"newsletter\"}");
		assertThat(list.getStatusCode()).isEqualTo(201);
		String listId = json(list).get("id").asString();

		StringBuilder contacts = new StringBuilder();
		for (int i = 0; i < 60; i++) {
			contacts.append(i == 0 ? "" : ",")
				.append("{\"email\":\"Person")
				.append(i)
				.append("@Example.com\",\"first_name\":\"P")
				.append(i)
				.append("\",\"custom_fields\":{\"")
				.append(fieldId)
				.append("\":\"")
				.append(i % 4 == 0 ? "free" : "gold")
				.append("\"}}");
		}
		Response upsert = api(Method.PUT, "/v3/marketing/contacts",
				"{\"list_ids\":[\"" + listId + "\"],\"contacts\":[" + contacts + ",{\"email\":\"not-an-email\"}]}");
		assertThat(upsert.getStatusCode()).isEqualTo(202);
		String jobId = json(upsert).get("job_id").asString();

		Response status = api(Method.GET, "/v3/marketing/contacts/imports/" + jobId, null);
		assertThat(status.getStatusCode()).isEqualTo(200);
		JsonNode results = json(status).get("results");
		assertThat(json(status).get("status").asString()).isEqualTo("errored");
		assertThat(json(status).get("job_type").asString()).isEqualTo("upsert");
		assertThat(results.get("requested_count").asLong()).isEqualTo(61);
		assertThat(results.get("created_count").asLong()).isEqualTo(60);
		assertThat(results.get("errored_count").asLong()).isEqualTo(1);
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact WHERE custom_fields ->> ? = 'gold'")
			.param(fieldId)
			.query(Long.class)
			.single()).isEqualTo(45);
		assertThat(this.jdbc.sql("SELECT count(*) FROM list_member WHERE list_id = ?")
			.param(UUID.fromString(listId))
			.query(Long.class)
			.single()).isEqualTo(60);

		// a segment of the gold contacts on the list
		String query = "SELECT contact_id, updated_at FROM contact_data WHERE plan = 'gold'";
		Response created = api(Method.POST, "/v3/marketing/segments/2.0", segment("gold", query, listId));
		assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
		String segmentId = json(created).get("id").asString();
		assertThat(json(created).get("parent_list_ids").get(0).asString()).isEqualTo(listId);
		assertThat(json(created).get("contacts_count").asLong()).isZero();

		// validation errors: duplicate name, bad query, 101 characters, two parent lists
		assertError(api(Method.POST, "/v3/marketing/segments/2.0", segment("gold", query, null)), "name",
				"already exists");
		assertError(
				api(Method.POST, "/v3/marketing/segments/2.0", segment("bad", "SELECT contact_id FROM nowhere", null)),
				"query_dsl", "");
		assertError(api(Method.POST, "/v3/marketing/segments/2.0", segment("x".repeat(101), query, null)), "name",
				"at most 100 characters");
		assertError(
				api(Method.POST, "/v3/marketing/segments/2.0", "{\"name\":\"two\",\"query_dsl\":\"" + query
						+ "\",\"parent_list_ids\":[\"" + listId + "\",\"" + UUID.randomUUID() + "\"]}"),
				"parent_list_ids", "at most one parent list");
		assertThat(this.jdbc.sql("SELECT count(*) FROM segment").query(Long.class).single()).isEqualTo(1);

		// a manual refresh materializes it now: get shows the count and a 50-contact
		// sample
		Response refresh = api(Method.POST, "/v3/marketing/segments/2.0/refresh/" + segmentId,
				"{\"user_time_zone\":\"America/Chicago\"}");
		assertThat(refresh.getStatusCode()).as(refresh.getBody()).isEqualTo(202);
		assertThat(json(refresh).get("job_id").asString()).matches("[0-9]+");
		JsonNode got = json(api(Method.GET, "/v3/marketing/segments/2.0/" + segmentId, null));
		assertThat(got.get("contacts_count").asLong()).isEqualTo(45);
		assertThat(got.get("contacts_sample").size()).isEqualTo(45);
		assertThat(got.get("last_refreshed_at").asString()).isEqualTo("2026-03-02T10:00:00Z");
		assertThat(got.get("refreshes_used").asInt()).isEqualTo(1);
		assertThat(got.get("max_refreshes").asInt()).isEqualTo(2);
		JsonNode sampled = got.get("contacts_sample").get(0);
		assertThat(sampled.get("email").asString()).matches("person[0-9]+@example.com");
		assertThat(sampled.get("custom_fields").get("plan").asString()).isEqualTo("gold");

		// all 60 in a segment without a parent list: the sample stops at 50
		Response everyone = api(Method.POST, "/v3/marketing/segments/2.0",
				segment("everyone", "SELECT contact_id, updated_at FROM contact_data", null));
		String everyoneId = json(everyone).get("id").asString();
		api(Method.POST, "/v3/marketing/segments/2.0/refresh/" + everyoneId, "{\"user_time_zone\":\"UTC\"}");
		JsonNode all = json(api(Method.GET, "/v3/marketing/segments/2.0/" + everyoneId, null));
		assertThat(all.get("contacts_count").asLong()).isEqualTo(60);
		assertThat(all.get("contacts_sample").size()).isEqualTo(50);
		assertThat(all.get("parent_list_ids").isNull()).isTrue();
		// no run has published it yet: the manual refresh starts its sample cadence (an
		// already scheduled one it leaves alone: SamplePublisherTests)
		assertThat(all.get("next_sample_update").asString()).as("a segment with a sample has a next sample time")
			.isEqualTo(Instant.parse(all.get("last_refreshed_at").asString()).plusSeconds(3600).toString());

		// the same segment again within the hour: 429 naming the limit
		Response again = api(Method.POST, "/v3/marketing/segments/2.0/refresh/" + segmentId,
				"{\"user_time_zone\":\"America/Chicago\"}");
		assertThat(again.getStatusCode()).isEqualTo(429);
		assertThat(again.getBody()).contains("1 manual refresh per segment per hour").contains("2026-03-02T11:00:00Z");

		// list with each filter: ids (comma-separated; repeated is in ContractTests),
		// parent_list_ids, no_parent_list_id
		assertThat(names(list(null))).containsExactlyInAnyOrder("gold", "everyone");
		assertThat(names(list(q -> q.addQueryParam("ids", segmentId + "," + everyoneId))))
			.containsExactlyInAnyOrder("gold", "everyone");
		assertThat(names(list(q -> q.addQueryParam("ids", everyoneId)))).containsExactly("everyone");
		assertThat(names(list(q -> q.addQueryParam("parent_list_ids", listId)))).containsExactly("gold");
		assertThat(names(list(q -> q.addQueryParam("no_parent_list_id", "true")))).containsExactly("everyone");
		JsonNode summary = list(q -> q.addQueryParam("ids", segmentId)).get("results").get(0);
		assertThat(summary.has("query_dsl")).isFalse();
		assertThat(summary.has("contacts_sample")).isFalse();

		// rename: membership untouched
		Response renamed = api(Method.PATCH, "/v3/marketing/segments/2.0/" + segmentId, "{\"name\":\"gold members\"}");
		assertThat(renamed.getStatusCode()).isEqualTo(200);
		assertThat(json(renamed).get("name").asString()).isEqualTo("gold members");
		assertThat(json(renamed).get("contacts_count").asLong()).isEqualTo(45);
		assertThat(this.data.members(UUID.fromString(segmentId))).hasSize(45);

		// delete, then 404; the contacts stay
		assertThat(api(Method.DELETE, "/v3/marketing/segments/2.0/" + segmentId, null).getStatusCode()).isEqualTo(202);
		Response gone = api(Method.GET, "/v3/marketing/segments/2.0/" + segmentId, null);
		assertThat(gone.getStatusCode()).isEqualTo(404);
		assertThat(gone.getBody()).isEqualTo("{\"error\":\"Segment does not exist.\"}");
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact").query(Long.class).single()).isEqualTo(60);
		assertThat(json(api(Method.GET, "/v3/marketing/contacts/count", null)).get("contact_count").asLong())
			.isEqualTo(60);
	}

	@Test
	void exportAndContactGetThroughTheSendGridClient() throws IOException, InterruptedException {
		// a list of three contacts, upserted through the client
		String listId = json(api(Method.POST, "/v3/marketing/lists", "{\"name\":\"partners\"}")).get("id").asString();
		Response upsert = api(Method.PUT, "/v3/marketing/contacts",
				"{\"list_ids\":[\"" + listId
						+ "\"],\"contacts\":[{\"email\":\"ann@example.com\",\"first_name\":\"Ann\"},"
						+ "{\"email\":\"bob@example.com\",\"first_name\":\"=1+2\"},{\"email\":\"cy@example.com\"}]}");
		assertThat(upsert.getStatusCode()).as(upsert.getBody()).isEqualTo(202);

		// the export, its status polled as a client does, its file downloaded with the
		// key
		Response started = api(Method.POST, "/v3/marketing/contacts/exports",
				"{\"list_ids\":[\"" + listId + "\"],\"file_type\":\"csv\",\"max_file_size\":100}");
		assertThat(started.getStatusCode()).as(started.getBody()).isEqualTo(202);
		String exportId = json(started).get("id").asString();
		JsonNode status = json(api(Method.GET, "/v3/marketing/contacts/exports/" + exportId, null));
		for (int i = 0; i < 1200 && status.get("status").asString().equals("pending"); i++) {
			Thread.sleep(50);
			status = json(api(Method.GET, "/v3/marketing/contacts/exports/" + exportId, null));
		}
		assertThat(status.get("status").asString()).isEqualTo("ready");
		assertThat(status.get("contact_count").asLong()).isEqualTo(3);
		// the job records its own end a moment after the export's: the next test empties
		// the tables
		for (int i = 0; i < 1200 && !this.jdbc.sql("""
				SELECT e.end_time IS NOT NULL FROM contact_export x JOIN batch_job_execution e USING (job_execution_id)
				WHERE x.id = ?::uuid
				""").param(exportId).query(Boolean.class).single(); i++) {
			Thread.sleep(50);
		}
		String url = status.get("urls").get(0).asString();
		Response file = api(Method.GET, url.substring(url.indexOf("/v3/")), null, false);
		assertThat(file.getStatusCode()).isEqualTo(200);
		assertThat(file.getBody()).startsWith("email,").contains("\r\nbob@example.com,,,,'=1+2,");
		assertThat(file.getBody().split("\r\n", -1)).hasSize(5);
		JsonNode listed = json(api(Method.GET, "/v3/marketing/contacts/exports", null));
		assertThat(listed.get("result").get(0).get("id").asString()).isEqualTo(exportId);

		// one contact by id: the list it is on, no segments
		String annId = this.jdbc.sql("SELECT id::text FROM contact WHERE email = 'ann@example.com'")
			.query(String.class)
			.single();
		Response ann = api(Method.GET, "/v3/marketing/contacts/" + annId, null);
		assertThat(ann.getStatusCode()).isEqualTo(200);
		assertThat(json(ann).get("first_name").asString()).isEqualTo("Ann");
		assertThat(json(ann).get("list_ids").get(0).asString()).isEqualTo(listId);
		assertThat(json(ann).get("segment_ids")).isEmpty();
		assertThat(api(Method.GET, "/v3/marketing/contacts/" + UUID.randomUUID(), null).getStatusCode()).isEqualTo(404);
	}

	private Response api(Method method, String endpoint, String body) throws IOException {
		return api(method, endpoint, body, true);
	}

	/**
	 * {@code documented}: the OpenAPI files describe the endpoint, so the answer is
	 * checked.
	 */
	private Response api(Method method, String endpoint, String body, boolean documented) throws IOException {
		Request request = new Request();
		request.setMethod(method);
		// The client adds "/v3/" itself, as SendGrid's examples show ("marketing/lists").
		request.setEndpoint(endpoint.substring("/v3/".length()));
		if (body != null) {
			request.setBody(body);
		}
		Response response = this.sendGrid.api(request);
		if (documented) {
			assertConforms(method.name(), endpoint, response.getStatusCode(), response.getHeaders().get("Content-Type"),
					response.getBody());
		}
		return response;
	}

	private JsonNode list(java.util.function.Consumer<Request> query) throws IOException {
		Request request = new Request();
		request.setMethod(Method.GET);
		request.setEndpoint("marketing/segments/2.0");
		if (query != null) {
			query.accept(request);
		}
		Response response = this.sendGrid.api(request);
		assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
		assertConforms("GET", "/v3/marketing/segments/2.0", 200, response.getHeaders().get("Content-Type"),
				response.getBody());
		return JSON.readTree(response.getBody());
	}

	private static List<String> names(JsonNode answer) {
		List<String> names = new ArrayList<>();
		answer.get("results").forEach((segment) -> names.add(segment.get("name").asString()));
		return names;
	}

	private static String segment(String name, String query, String parentListId) {
		return "{\"name\":\"" + name + "\",\"query_dsl\":\"" + query + "\""
				+ ((parentListId != null) ? ",\"parent_list_ids\":[\"" + parentListId + "\"]" : "") + "}";
	}

	private static void assertError(Response response, String field, String message) {
		assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
		JsonNode error = JSON.readTree(response.getBody()).get("errors").get(0);
		assertThat(error.get("field").asString()).isEqualTo(field);
		assertThat(error.get("message").asString()).contains(message);
	}

	private static JsonNode json(Response response) {
		return JSON.readTree(response.getBody());
	}

}
