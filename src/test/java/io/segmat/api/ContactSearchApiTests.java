package io.segmat.api;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v3/marketing/contacts/search}, {@code .../search/emails} and the segment
 * preview over HTTP: answers checked against SendGrid's OpenAPI file (the preview, an
 * extension, has none) and against hand-written SQL.
 */
class ContactSearchApiTests extends ApiTestSupport {

	private static final String SEARCH = "/v3/marketing/contacts/search";

	private static final String EMAILS = "/v3/marketing/contacts/search/emails";

	@Autowired
	DataSource dataSource;

	private UUID list;

	@BeforeEach
	void contacts() {
		this.list = this.data.list("newsletter");
		for (int i = 0; i < 60; i++) {
			String email = ((i % 2 == 0) ? "ann" : "bob") + i + "@example.com";
			this.data.contact(email, (i % 2 == 0) ? "Ann" : "Bob", (i % 3 == 0) ? "UK" : "US");
			if (i % 4 == 0) {
				this.data.addToList(email, this.list);
			}
		}
	}

	@Test
	void aSearchAnswersSendGridsShapeWithWhatTheSqlFinds() {
		Answer answer = call("POST", SEARCH,
				body("query", "email LIKE 'ann%' AND CONTAINS(list_ids, '" + this.list + "')"));

		List<String> expected = this.jdbc
			.sql("""
					SELECT c.id::text FROM contact c JOIN list_member lm ON lm.contact_key = c.contact_key AND lm.list_id = ?
					WHERE c.email LIKE 'ann%' ORDER BY c.contact_key
					""")
			.param(this.list)
			.query(String.class)
			.list();
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		assertThat(answer.json().get("contact_count").asLong()).isEqualTo(expected.size()).isEqualTo(15);
		assertThat(ids(answer.json().get("result"))).containsExactlyElementsOf(expected);
		assertThat(answer.json().get("_metadata").get("self").asString()).isEqualTo(baseUrl() + SEARCH);
	}

	@Test
	void aSearchAnswersAtMostFiftyContacts() {
		Answer answer = call("POST", SEARCH, body("query", "email LIKE '%@example.com'"));

		assertThat(answer.json().get("contact_count").asLong()).isEqualTo(60);
		assertThat(answer.json().get("result").size()).isEqualTo(50);
	}

	@Test
	void aRefusedQueryIsA400WithThePositionInTheQuery() {
		Answer answer = call("POST", SEARCH, body("query", "email LIKE 'ann%'\\nAND contry = 'UK'"));

		assertThat(answer.status()).isEqualTo(400);
		JsonNode error = answer.json().get("errors").get(0);
		assertThat(error.get("field").asString()).isEqualTo("query");
		assertThat(error.get("message").asString())
			.isEqualTo("unknown column 'contry' at line 2, column 5; did you mean 'country'?");
	}

	@Test
	void aMissingQueryIsA400NamingIt() {
		Answer answer = call("POST", SEARCH, "{}");

		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.json().get("errors").get(0).get("field").asString()).isEqualTo("query");
	}

	@ParameterizedTest
	@ValueSource(strings = { "email = 'x'; DROP TABLE contact", "email = 'x' UNION SELECT id, email FROM contact",
			"1 = 1) OR (1 = 1", "email = '' OR 1 = 1 --'", "email = 'x' OR pg_sleep(30) IS NULL",
			"email IN (SELECT usename FROM pg_user)", "email = 'x' /* ; DELETE FROM contact */",
			"contact_id IN (SELECT contact_id FROM contact)", "email = ''' OR ''1''=''1'",
			"CAST(email AS regclass) IS NULL", "email = 'x'\\u0000; DELETE FROM contact",
			"lower(email) = 'x' AND dblink('host=evil', 'DELETE FROM contact') IS NULL",
			"email = 'a' ; TRUNCATE contact ;", "email = 'a' RETURNING *", "email = 'a' INTO OUTFILE '/tmp/x'" })
	void hostileSearchesGoNowhere(String query) {
		Answer answer = call("POST", SEARCH, body("query", query));

		assertThat(answer.status()).as("%s answered %s", query, answer.body()).isIn(200, 400);
		if (answer.status() == 200) {
			// what parses is a condition over contacts, and nothing more
			assertThat(answer.json().get("contact_count").asLong()).isIn(0L, 60L);
		}
		else {
			assertThat(answer.json().get("errors").get(0).get("message").asString())
				.matches(".*at line \\d+, column \\d+.*");
		}
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact").query(Long.class).single()).isEqualTo(60);
	}

	@Test
	void aSearchPastItsTimeoutIsA408() throws Exception {
		Answer answer;
		try (Connection lock = this.dataSource.getConnection(); Statement statement = lock.createStatement()) {
			lock.setAutoCommit(false);
			statement.execute("LOCK TABLE contact IN ACCESS EXCLUSIVE MODE");
			answer = call("POST", SEARCH, body("query", "country = 'UK'"));
			lock.rollback();
		}

		assertThat(answer.status()).as(answer.body()).isEqualTo(408);
		assertThat(answer.json().get("errors").get(0).get("message").asString())
			.isEqualTo("the search ran past its statement timeout of " + SEARCH_TIMEOUT.replace("s", " s"));
		assertThat(call("POST", SEARCH, body("query", "country = 'UK'")).status()).isEqualTo(200);
	}

	@Test
	void emailsAnswerEachAddressWithItsContactOrAnError() {
		Answer answer = call("POST", EMAILS, "{\"emails\":[\"ANN0@example.com\",\"nobody@example.com\",\"\"]}");

		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		JsonNode result = answer.json().get("result");
		assertThat(names(result)).containsExactly("ann0@example.com", "nobody@example.com");
		assertThat(result.get("ann0@example.com").get("contact").get("email").asString()).isEqualTo("ann0@example.com");
		assertThat(result.get("ann0@example.com").get("contact").get("list_ids").get(0).asString())
			.isEqualTo(this.list.toString());
		assertThat(result.get("nobody@example.com").get("error").asString()).isEqualTo("contact not found");
	}

	@Test
	void emailsWithNoContactAreA404() {
		Answer answer = call("POST", EMAILS, "{\"emails\":[\"nobody@example.com\"]}");

		assertThat(answer.status()).isEqualTo(404);
		assertThat(answer.json().get("errors").get(0).get("message").asString()).contains("no contact");
	}

	@Test
	void anInvalidAddressIsA400NamingIt() {
		Answer answer = call("POST", EMAILS, "{\"emails\":[\"ann0@example.com\",\"ann0 at example.com\"]}");

		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.json().get("errors").get(0).get("field").asString()).isEqualTo("emails[1]");
		assertThat(call("POST", EMAILS, "{\"emails\":\"ann0@example.com\"}").status()).isEqualTo(400);
	}

	@Test
	void aSegmentPreviewAnswersTheDifferenceAndSavesNothing() {
		String created = call("POST", "/v3/marketing/segments/2.0",
				"{\"name\":\"uk\",\"query_dsl\":\"SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'\"}")
			.json()
			.get("id")
			.asString();
		assertThat(
				call("POST", "/v3/marketing/segments/2.0/refresh/" + created, "{\"user_time_zone\":\"UTC\"}").status())
			.isEqualTo(202);
		String segmentBefore = this.jdbc.sql("SELECT s::text FROM segment s").query(String.class).single();

		Answer answer = send("POST", "/v3/marketing/segments/2.0/" + created + "/preview",
				"{\"query_dsl\":\"SELECT contact_id, updated_at FROM contact_data WHERE email LIKE 'ann%'\"}",
				"Bearer " + KEY);

		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		JsonNode preview = answer.json();
		// UK: every third (20); ann: every second (30); both: every sixth (10)
		assertThat(preview.get("current_count").asLong()).isEqualTo(20);
		assertThat(preview.get("contacts_count").asLong()).isEqualTo(30);
		assertThat(preview.get("entered_count").asLong()).isEqualTo(20);
		assertThat(preview.get("left_count").asLong()).isEqualTo(10);
		assertThat(preview.get("entered_sample").size()).isEqualTo(10);
		assertThat(preview.get("left_sample").get(0).get("email").asString()).startsWith("bob");
		assertThat(preview.get("as_of").asString()).isEqualTo(T0.toString());
		assertThat(this.jdbc.sql("SELECT s::text FROM segment s").query(String.class).single())
			.isEqualTo(segmentBefore);
	}

	@Test
	void aPreviewOfAnUnknownSegmentOrABadQueryIsRefused() {
		Answer unknown = send("POST", "/v3/marketing/segments/2.0/" + UUID.randomUUID() + "/preview",
				"{\"query_dsl\":\"SELECT contact_id, updated_at FROM contact_data\"}", "Bearer " + KEY);
		String created = call("POST", "/v3/marketing/segments/2.0",
				"{\"name\":\"all\",\"query_dsl\":\"SELECT contact_id, updated_at FROM contact_data\"}")
			.json()
			.get("id")
			.asString();
		Answer bad = send("POST", "/v3/marketing/segments/2.0/" + created + "/preview",
				"{\"query_dsl\":\"SELECT contact_id FROM contacts\"}", "Bearer " + KEY);
		Answer unauthorized = send("POST", "/v3/marketing/segments/2.0/" + created + "/preview",
				"{\"query_dsl\":\"SELECT contact_id, updated_at FROM contact_data\"}", null);

		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.body()).isEqualTo("{\"error\":\"Segment does not exist.\"}");
		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.json().get("errors").get(0).get("field").asString()).isEqualTo("query_dsl");
		assertThat(bad.json().get("errors").get(0).get("message").asString()).contains("at line 1, column");
		assertThat(unauthorized.status()).isEqualTo(401);
	}

	private static String body(String field, String value) {
		return "{\"" + field + "\":\"" + value.replace("\"", "\\\"") + "\"}";
	}

	private static List<String> ids(JsonNode contacts) {
		List<String> ids = new ArrayList<>();
		contacts.forEach((contact) -> ids.add(contact.get("id").asString()));
		return ids;
	}

	private static List<String> names(JsonNode object) {
		List<String> names = new ArrayList<>();
		object.propertyNames().forEach(names::add);
		return names;
	}

}
