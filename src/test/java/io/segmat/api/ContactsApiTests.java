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

}
