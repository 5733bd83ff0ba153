package io.segmat.api;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SendGrid's contact export over HTTP: the background job, its status and list, its files
 * behind the key, their expiry, a failing export, and the contact object of "Get a
 * Contact by ID".
 */
class ContactExportApiTests extends ApiTestSupport {

	private static final String EXPORTS = "/v3/marketing/contacts/exports";

	private UUID listId;

	private UUID segmentId;

	@BeforeEach
	void contactsOnAListAndInASegment() {
		for (int i = 0; i < 10; i++) {
			this.data.contact("c" + i + "@example.com", "First" + i, "UK");
		}
		this.listId = this.data.list("newsletter");
		for (int i = 0; i < 4; i++) {
			this.data.addToList("c" + i + "@example.com", this.listId);
		}
		this.segmentId = this.data.segmentWithMembers("openers",
				List.of("c3@example.com", "c4@example.com", "c5@example.com"));
	}

	@Test
	void anExportRunsInTheBackgroundAndItsFileDownloadsWithTheKey() throws IOException {
		Answer started = call("POST", EXPORTS,
				"{\"list_ids\":[\"" + this.listId + "\"],\"segment_ids\":[\"" + this.segmentId + "\"]}");

		assertThat(started.status()).as(started.body()).isEqualTo(202);
		String id = started.json().get("id").asString();
		assertThat(started.json().get("_metadata").get("self").asString()).endsWith(EXPORTS + "/" + id);
		JsonNode status = awaitDone(id);
		assertThat(status.get("status").asString()).isEqualTo("ready");
		assertThat(status.get("contact_count").asLong()).isEqualTo(6);
		assertThat(status.get("created_at").asString()).isEqualTo("2026-03-02T10:00:00Z");
		assertThat(status.get("expires_at").asString()).isEqualTo("2026-03-05T10:00:00Z");
		assertThat(this.jdbc.sql("""
				SELECT e.status FROM contact_export x JOIN batch_job_execution e USING (job_execution_id) WHERE x.id = ?
				""").param(UUID.fromString(id)).query(String.class).single()).isEqualTo("COMPLETED");
		assertThat(status.get("urls")).hasSize(1);
		String url = status.get("urls").get(0).asString();

		Answer file = send("GET", path(url), null, "Bearer " + KEY);

		assertThat(file.status()).isEqualTo(200);
		assertThat(file.response().headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
		assertThat(file.response().headers().firstValue("Content-Disposition").orElse(""))
			.contains("contacts-" + id + "-1.csv");
		assertThat(emails(file.body())).containsExactlyElementsOf(expectedMembers());
		assertThat(send("GET", path(url), null, null).status()).isEqualTo(401);
		Answer wrongKey = send("GET", path(url), null, "Bearer SG.wrong.key");
		assertThat(wrongKey.status()).isEqualTo(401);
		assertThat(wrongKey.body()).isEqualTo("{\"errors\":[{\"field\":null,\"message\":\"authorization required\"}]}");

		JsonNode list = call("GET", EXPORTS, null).json();
		assertThat(list.get("result")).hasSize(1);
		assertThat(list.get("result").get(0).get("id").asString()).isEqualTo(id);
		JsonNode listed = list.get("result").get(0);
		assertThat(listed.get("export_type").asString()).isEqualTo("segment_export");
		assertThat(listed.get("lists").get(0).get("ID").asString()).isEqualTo(this.listId.toString());
		assertThat(listed.get("segments").get(0).get("Name").asString()).isEqualTo("openers");
		assertThat(listed.get("urls").get(0).asString()).isEqualTo(url);
	}

	@Test
	void aJsonExportSplitsAtMaxFileSizeAndEveryFileStaysUnderIt() {
		// 4,000 contacts of about 600 bytes: more than one file of at most 1 MB
		this.jdbc.sql("""
				INSERT INTO contact (id, email, first_name, email_domains, created_at, updated_at, change_seq)
				SELECT gen_random_uuid(), 'bulk' || n || '@example.com', repeat('x', 200), ARRAY['example.com'], ?, ?,
				       nextval('change_seq')
				FROM generate_series(1, 4000) n
				""").params(Timestamp.from(T0), Timestamp.from(T0)).update();

		Answer started = call("POST", EXPORTS, "{\"file_type\":\"json\",\"max_file_size\":1}");

		JsonNode status = awaitDone(started.json().get("id").asString());
		assertThat(status.get("status").asString()).isEqualTo("ready");
		assertThat(status.get("contact_count").asLong()).isEqualTo(4010);
		assertThat(status.get("urls")).hasSizeGreaterThan(1);
		List<String> emails = new ArrayList<>();
		for (JsonNode url : status.get("urls")) {
			Answer file = send("GET", path(url.asString()), null, "Bearer " + KEY);
			assertThat(file.status()).isEqualTo(200);
			assertThat(file.response().headers().firstValue("Content-Type").orElse(""))
				.startsWith("application/x-ndjson");
			assertThat(file.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
				.isLessThanOrEqualTo(1024 * 1024);
			file.body().lines().map((line) -> JSON.readTree(line).get("email").asString()).forEach(emails::add);
		}
		assertThat(emails).hasSize(4010)
			.doesNotHaveDuplicates()
			.containsExactlyElementsOf(
					this.jdbc.sql("SELECT email FROM contact ORDER BY contact_key").query(String.class).list());
	}

	@Test
	void anExpiredExportAnswers410AndItsFilesAreDeleted() {
		String id = call("POST", EXPORTS, "{\"list_ids\":[\"" + this.listId + "\"]}").json().get("id").asString();
		JsonNode ready = awaitDone(id);
		String url = ready.get("urls").get(0).asString();
		Path file = EXPORT_DIR.resolve(id + "-1.csv");
		assertThat(file).exists();
		this.clock.advance(Duration.ofHours(72));

		Answer gone = send("GET", path(url), null, "Bearer " + KEY);

		assertThat(gone.status()).isEqualTo(410);
		assertThat(gone.json().get("errors").get(0).get("message").asString())
			.isEqualTo("export " + id + " expired at 2026-03-05T10:00:00Z; its files are deleted: export again");
		assertThat(file).doesNotExist();
		assertThat(this.jdbc.sql("SELECT files_deleted_at FROM contact_export WHERE id = ?")
			.param(UUID.fromString(id))
			.query(Timestamp.class)
			.single()).isEqualTo(Timestamp.from(T0.plus(Duration.ofHours(72))));
		JsonNode status = call("GET", EXPORTS + "/" + id, null).json();
		assertThat(status.get("status").asString()).isEqualTo("ready");
		assertThat(status.get("urls")).isEmpty();
	}

	@Test
	void theNextExportDeletesTheFilesOfExpiredOnes() {
		String old = call("POST", EXPORTS, "{\"list_ids\":[\"" + this.listId + "\"]}").json().get("id").asString();
		awaitDone(old);
		Path oldFile = EXPORT_DIR.resolve(old + "-1.csv");
		assertThat(oldFile).exists();
		this.clock.advance(Duration.ofHours(71));
		String recent = call("POST", EXPORTS, "{}").json().get("id").asString();
		awaitDone(recent);
		assertThat(oldFile).as("71 hours old: not expired yet").exists();
		this.clock.advance(Duration.ofHours(1));

		String next = call("POST", EXPORTS, "{\"file_type\":\"json\"}").json().get("id").asString();

		assertThat(oldFile).doesNotExist();
		assertThat(EXPORT_DIR.resolve(recent + "-1.csv")).exists();
		awaitDone(next);
	}

	@Test
	void anExportWhoseFilesCannotBeWrittenFails() throws IOException {
		// the export folder's path is taken by a file: the job cannot create the folder
		Path away = EXPORT_DIR.resolveSibling(EXPORT_DIR.getFileName() + "-away");
		Files.move(EXPORT_DIR, away);
		Files.createFile(EXPORT_DIR);
		JsonNode status;
		String id;
		try {
			id = call("POST", EXPORTS, "{}").json().get("id").asString();
			status = awaitDone(id);
		}
		finally {
			Files.delete(EXPORT_DIR);
			Files.move(away, EXPORT_DIR);
		}

		assertThat(status.get("status").asString()).isEqualTo("failure");
		assertThat(status.get("message").asString())
			.isEqualTo("the export failed: its file could not be written; see the server's log");
		assertThat(status.has("urls")).isFalse();
		assertThat(this.jdbc.sql("""
				SELECT e.status FROM contact_export x JOIN batch_job_execution e USING (job_execution_id) WHERE x.id = ?
				""").param(UUID.fromString(id)).query(String.class).single()).isEqualTo("FAILED");
		assertThat(send("GET", EXPORTS + "/" + id + "/files/1", null, "Bearer " + KEY).status()).isEqualTo(404);
	}

	@Test
	void badRequestsAreRefusedNamingTheField() {
		assertError(call("POST", EXPORTS, "{\"file_type\":\"xml\"}"), "file_type",
				"file_type must be \"csv\" or \"json\", not \"xml\"");
		assertError(call("POST", EXPORTS, "{\"list_ids\":[\"" + UUID.randomUUID() + "\"]}"), "list_ids",
				"does not exist");
		assertError(call("POST", EXPORTS, "{\"segment_ids\":[\"nope\"]}"), "segment_ids", "'nope' is not a valid id");
		assertError(call("POST", EXPORTS, "{\"segment_ids\":\"" + this.segmentId + "\"}"), "segment_ids",
				"must be an array");
		assertError(call("POST", EXPORTS, "{\"max_file_size\":0}"), "max_file_size", "at least 1");
		assertError(call("POST", EXPORTS, "{\"max_file_size\":\"5\"}"), "max_file_size", "whole number");
		assertError(call("POST", EXPORTS, "{\"notifications\":{\"email\":true}}"), "notifications.email",
				"segmat sends no email");
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact_export").query(Long.class).single()).isZero();
		Answer unknown = call("GET", EXPORTS + "/" + UUID.randomUUID(), null);
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(call("GET", EXPORTS + "/not-an-id", null).status()).isEqualTo(404);
	}

	@Test
	void aContactComesWithItsCustomFieldsListsAndSegments() {
		String plan = this.data.field("plan", "Text");
		String renewal = this.data.field("renewal", "Date");
		this.data.customField("c3@example.com", plan, "\"gold\"");
		this.data.customField("c3@example.com", renewal, 1772445600);
		String id = this.jdbc.sql("SELECT id::text FROM contact WHERE email = 'c3@example.com'")
			.query(String.class)
			.single();

		Answer answer = call("GET", "/v3/marketing/contacts/" + id, null);

		assertThat(answer.status()).isEqualTo(200);
		JsonNode contact = answer.json();
		assertThat(contact.get("id").asString()).isEqualTo(id);
		assertThat(contact.get("email").asString()).isEqualTo("c3@example.com");
		assertThat(contact.get("first_name").asString()).isEqualTo("First3");
		assertThat(contact.get("custom_fields").get("plan").asString()).isEqualTo("gold");
		assertThat(contact.get("custom_fields").get("renewal").asString()).isEqualTo("2026-03-02T10:00:00Z");
		assertThat(contact.get("list_ids")).extracting(JsonNode::asString).containsExactly(this.listId.toString());
		assertThat(contact.get("segment_ids")).extracting(JsonNode::asString)
			.containsExactly(this.segmentId.toString());
		assertThat(contact.get("_metadata").get("self").asString()).endsWith("/v3/marketing/contacts/" + id);
		JsonNode outsider = call("GET",
				"/v3/marketing/contacts/" + this.jdbc.sql("SELECT id::text FROM contact WHERE email = 'c9@example.com'")
					.query(String.class)
					.single(),
				null)
			.json();
		assertThat(outsider.get("list_ids")).isEmpty();
		assertThat(outsider.get("segment_ids")).isEmpty();
	}

	@Test
	void anUnknownContactIsA404InSendGridsErrorShape() {
		Answer unknown = call("GET", "/v3/marketing/contacts/" + UUID.randomUUID(), null);
		Answer malformed = call("GET", "/v3/marketing/contacts/not-a-contact-id", null);

		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.json().get("errors").get(0).get("message").asString()).startsWith("no contact with id ");
		assertThat(malformed.status()).isEqualTo(404);
		assertThat(malformed.json().get("errors").get(0).get("message").asString())
			.isEqualTo("no contact with id not-a-contact-id");
		assertThat(call("GET", "/v3/marketing/contacts/count", null).json().get("contact_count").asLong())
			.as("the literal paths keep their handlers")
			.isEqualTo(10);
	}

	private JsonNode awaitDone(String id) {
		AtomicReference<JsonNode> last = new AtomicReference<>();
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
			Answer answer = call("GET", EXPORTS + "/" + id, null);
			assertThat(answer.status()).as(answer.body()).isEqualTo(200);
			last.set(answer.json());
			return !"pending".equals(answer.json().get("status").asString());
		});
		// The row is finished by the step, the job's own record a moment later.
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> this.jdbc.sql("""
				SELECT e.end_time IS NOT NULL FROM contact_export x JOIN batch_job_execution e USING (job_execution_id)
				WHERE x.id = ?
				""").param(UUID.fromString(id)).query(Boolean.class).single());
		return last.get();
	}

	private List<String> expectedMembers() {
		return this.jdbc.sql("""
				SELECT c.email FROM contact c
				WHERE c.contact_key IN (SELECT contact_key FROM list_member WHERE list_id = ?)
				   OR c.contact_key IN (SELECT m.contact_key FROM segment_member m
				                        JOIN segment s ON s.segment_key = m.segment_key WHERE s.id = ?)
				ORDER BY c.contact_key
				""").params(this.listId, this.segmentId).query(String.class).list();
	}

	private static String path(String url) {
		return URI.create(url).getRawPath();
	}

	private static List<String> emails(String csv) throws IOException {
		List<String> emails = new ArrayList<>();
		for (CSVRecord record : CSVFormat.RFC4180.builder()
			.setHeader()
			.setSkipHeaderRecord(true)
			.get()
			.parse(new StringReader(csv))) {
			emails.add(record.get("email"));
		}
		return emails;
	}

	private static void assertError(Answer answer, String field, String message) {
		assertThat(answer.status()).as(answer.body()).isEqualTo(400);
		JsonNode error = answer.json().get("errors").get(0);
		assertThat(error.get("field").asString()).isEqualTo(field);
		assertThat(error.get("message").asString()).contains(message);
	}

}
