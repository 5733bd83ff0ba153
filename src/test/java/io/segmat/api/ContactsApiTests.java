package io.segmat.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contacts and events over HTTP; every answer is checked against SendGrid's OpenAPI files
 * by {@link #call}.
 */
class ContactsApiTests extends ApiTestSupport {

	private static final String CONTACTS = "/v3/marketing/contacts";

	@Test
	void anUpsertRunsAsAJobWhoseStatusIsReadable() {
		Answer upsert = call("PUT", CONTACTS,
				"""
						{"contacts":[{"email":"Ada@Example.com","first_name":"Ada"},{"email":"bob@example.com"},{"email":"not-an-email"}]}
						""");

		assertThat(upsert.status()).isEqualTo(202);
		String job = upsert.json().get("job_id").asString();
		Answer status = call("GET", CONTACTS + "/imports/" + job, null);
		assertThat(status.status()).isEqualTo(200);
		// SendGrid's word for a finished import with rejected rows
		assertThat(status.json().get("status").asString()).isEqualTo("errored");
		assertThat(call("GET", CONTACTS + "/count", null).json().get("contact_count").asLong()).isEqualTo(2);
		assertThat(this.jdbc.sql("SELECT email FROM contact ORDER BY email").query(String.class).list())
			.containsExactly("ada@example.com", "bob@example.com");
	}

	@Test
	void aDeletionRunsAsAJobAndLeavesTombstones() {
		this.data.contact("ada@example.com", "Ada", "UK");
		this.data.contact("bob@example.com", "Bob", "US");
		String ada = this.jdbc.sql("SELECT id::text FROM contact WHERE email = 'ada@example.com'")
			.query(String.class)
			.single();

		Answer deleted = call("DELETE", CONTACTS + "?ids=" + ada, null);

		assertThat(deleted.status()).isEqualTo(202);
		Answer status = call("GET", CONTACTS + "/imports/" + deleted.json().get("job_id").asString(), null);
		assertThat(status.status()).isEqualTo(200);
		assertThat(this.jdbc.sql("SELECT email FROM contact").query(String.class).list())
			.containsExactly("bob@example.com");
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact_deletion").query(Long.class).single()).isEqualTo(1);
	}

	@Test
	void anUnknownImportIsNotFoundAndAWrongTypeNamesTheField() {
		Answer unknown = call("GET", CONTACTS + "/imports/999999", null);
		Answer wrongType = call("PUT", CONTACTS, "{\"contacts\":[{\"email\":\"a@b.io\",\"first_name\":7}]}");

		assertThat(unknown.status()).isEqualTo(404);
		assertThat(wrongType.status()).isEqualTo(400);
		assertThat(wrongType.body()).contains("contacts[0].first_name");
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact").query(Long.class).single()).isZero();
	}

	@Test
	void anEventBatchIsIngestedOnceAndMatchedByEmail() {
		this.data.contact("ada@example.com", "Ada", "UK");
		String batch = """
				[{"email":"ADA@example.com","timestamp":1772445600,"event":"open","sg_event_id":"e1","sg_message_id":"m1"},
				 {"email":"nobody@example.com","timestamp":1772445600,"event":"open","sg_event_id":"e2","sg_message_id":"m2"}]
				""";

		Answer first = send("POST", "/v3/user/webhooks/event/ingest", batch, "Bearer " + KEY);
		Answer again = send("POST", "/v3/user/webhooks/event/ingest", batch, "Bearer " + KEY);

		assertThat(first.status()).isBetween(200, 202);
		assertThat(again.status()).isBetween(200, 202);
		assertThat(this.jdbc.sql("SELECT count(*) FROM email_event").query(Long.class).single()).isEqualTo(1);
	}

	@Test
	void anUpsertWithValuesPostgresqlCannotStoreLandsTheGoodContactsAndListsTheBadOnes() {
		// given
		call("POST", "/v3/marketing/field_definitions", "{\"name\":\"age\",\"field_type\":\"Number\"}");
		call("POST", "/v3/marketing/field_definitions", "{\"name\":\"signup\",\"field_type\":\"Date\"}");

		// when
		Answer upsert = call("PUT", CONTACTS, """
				{"contacts":[
				  {"email":"first@example.com","custom_fields":{"age":41.5}},
				  {"email":"nul@example.com","first_name":"A\\u0000"},
				  {"email":"surrogate@example.com","last_name":"\\ud800"},
				  {"email":"date@example.com","custom_fields":{"signup":"99999-01-01T00:00:00Z"}},
				  {"email":"huge@example.com","custom_fields":{"age":1e400}},
				  {"email":"tiny@example.com","custom_fields":{"age":1e-400}},
				  {"email":"last@example.com","custom_fields":{"signup":"2026-03-01"}}
				]}
				""");

		// then
		assertThat(upsert.status()).isEqualTo(202);
		String job = upsert.json().get("job_id").asString();
		Answer status = call("GET", CONTACTS + "/imports/" + job, null);
		assertThat(status.json().get("status").asString()).isEqualTo("errored");
		assertThat(status.json().at("/results/requested_count").asLong()).isEqualTo(7);
		assertThat(status.json().at("/results/created_count").asLong()).isEqualTo(2);
		assertThat(status.json().at("/results/errored_count").asLong()).isEqualTo(5);
		String errorsUrl = status.json().at("/results/errors_url").asString();
		assertThat(errorsUrl).isEqualTo(baseUrl() + CONTACTS + "/imports/" + job + "/errors");
		Answer errors = send("GET", errorsUrl.substring(baseUrl().length()), null, "Bearer " + KEY);
		assertThat(errors.status()).isEqualTo(200);
		assertThat(errors.json().get("errors").valueStream().map((e) -> e.get("field").asString()).toList())
			.containsExactly("contacts[1].first_name", "contacts[2].last_name", "contacts[3].signup", "contacts[4].age",
					"contacts[5].age");
		assertThat(errors.body()).doesNotContain("ERROR:", "COPY", "contact_import_stage", "out of range for type");
		assertThat(this.jdbc.sql("SELECT email FROM contact ORDER BY email").query(String.class).list())
			.containsExactly("first@example.com", "last@example.com");
		assertThat(this.jdbc.sql("SELECT exit_code FROM batch_job_execution WHERE job_execution_id = ?")
			.param(Long.parseLong(job))
			.query(String.class)
			.single()).isEqualTo("COMPLETED_WITH_ERRORS");
	}

	@Test
	void anUpsertWithoutErrorsHasNoErrorsUrl() {
		Answer upsert = call("PUT", CONTACTS, "{\"contacts\":[{\"email\":\"a@example.com\"}]}");

		Answer status = call("GET", CONTACTS + "/imports/" + upsert.json().get("job_id").asString(), null);

		assertThat(status.json().get("status").asString()).isEqualTo("completed");
		assertThat(status.json().at("/results/errors_url").isMissingNode()).isTrue();
		assertThat(send("GET", CONTACTS + "/imports/999999/errors", null, "Bearer " + KEY).status()).isEqualTo(404);
	}

	@Test
	void anEventBatchWithValuesPostgresqlCannotStoreStoresTheGoodEventsAndNamesTheBadOnes() {
		this.data.contact("ada@example.com", "Ada", "UK");
		String batch = """
				[{"email":"ada@example.com","timestamp":1772445600,"event":"open","sg_event_id":"e1"},
				 {"email":"ada@example.com","timestamp":99999999999999999,"event":"open","sg_event_id":"e2"},
				 {"email":"ada@example.com","timestamp":1772445600,"event":"click","sg_event_id":"e3","url":"https://x.io/\\u0000"},
				 {"email":"ada@example.com","timestamp":1772445600,"event":"open","sg_event_id":"e4","campaign":"\\udfff"},
				 {"email":"ada@example.com","timestamp":1772445600,"event":"open","sg_event_id":"e5","score":1e400},
				 {"email":"ada@example.com","timestamp":1772445601,"event":"open","sg_event_id":"e6"}]
				""";

		Answer answer = send("POST", "/v3/user/webhooks/event/ingest", batch, "Bearer " + KEY);

		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.json().get("status").asString()).isEqualTo("COMPLETED");
		assertThat(answer.json().get("exit_status").asString()).isEqualTo("COMPLETED_WITH_ERRORS");
		assertThat(answer.json().get("imported").asLong()).isEqualTo(2);
		assertThat(answer.json().get("invalid").asLong()).isEqualTo(4);
		assertThat(answer.json().get("errors").valueStream().map((e) -> e.get("field").asString()).toList())
			.containsExactly("[1].timestamp", "[2].url", "[3].campaign", "[4].score");
		assertThat(answer.json().get("errors").valueStream().map((e) -> e.get("index").asInt()).toList())
			.containsExactly(1, 2, 3, 4);
		assertThat(answer.body()).doesNotContain("FAILED", "ERROR:", "out of range", "Unicode escape", "failure");
		assertThat(this.jdbc.sql("SELECT sg_event_id FROM email_event ORDER BY 1").query(String.class).list())
			.containsExactly("e1", "e6");
	}

	@Test
	void anEventImportThatFailsIsA500WithoutTheDatabasesText() {
		this.data.contact("ada@example.com", "Ada", "UK");
		this.jdbc.sql("""
				CREATE OR REPLACE FUNCTION refuse_events() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN RAISE EXCEPTION 'events are read-only today'; END $$
				""").update();
		this.jdbc
			.sql("CREATE TRIGGER refuse_events BEFORE INSERT ON email_event FOR EACH ROW "
					+ "EXECUTE FUNCTION refuse_events()")
			.update();
		try {
			Answer answer = send("POST", "/v3/user/webhooks/event/ingest",
					"[{\"email\":\"ada@example.com\",\"timestamp\":1,\"event\":\"open\",\"sg_event_id\":\"e1\"}]",
					"Bearer " + KEY);

			assertThat(answer.status()).isEqualTo(500);
			assertThat(answer.body()).doesNotContain("read-only", "ERROR:", "FAILED");
		}
		finally {
			this.jdbc.sql("DROP TRIGGER IF EXISTS refuse_events ON email_event").update();
		}
	}

}
