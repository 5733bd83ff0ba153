package io.segmat.search;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.segmat.InvalidInputException;
import io.segmat.db.DatabaseFailures;
import io.segmat.query.QueryCompiler;
import io.segmat.query.QueryException;
import io.segmat.testsupport.SpringTestSupport;
import io.segmat.testsupport.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Contact search against hand-written SQL over the same contacts: the count, the first 50
 * in the order they were added, the contact's shape; the lookup by email; the timeout;
 * and the read-only transaction every search runs in.
 */
class ContactSearchTests extends SpringTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ContactSearch search;

	@Autowired
	QueryCompiler compiler;

	@Autowired
	Clock clock;

	@Autowired
	PlatformTransactionManager transactionManager;

	private SearchTestData.Loaded loaded;

	@BeforeEach
	void contacts() {
		database.truncateAll();
		this.loaded = SearchTestData.load(this.jdbc);
	}

	@Test
	void aSearchFindsWhatTheHandWrittenSqlFinds() {
		String list = this.loaded.listId().toString();
		Map<String, List<String>> expected = Map.of("email LIKE 'ann%' AND CONTAINS(list_ids, '" + list + "')",
				SearchTestData.ids(this.jdbc,
						"c.email LIKE 'ann%' AND EXISTS (SELECT 1 FROM list_member lm WHERE lm.contact_key = c.contact_key AND lm.list_id = ?)",
						this.loaded.listId()),
				"country = 'UK' OR (plan = 'gold' AND first_name = 'Bob')",
				SearchTestData.ids(this.jdbc,
						"c.country = 'UK' OR (c.custom_fields ->> ? = 'gold' AND c.first_name = 'Bob')",
						this.loaded.planFieldId()),
				"NOT array_contains(list_ids, ['" + list + "']) AND lower(email) LIKE '%7@example.com'",
				SearchTestData.ids(this.jdbc,
						"NOT EXISTS (SELECT 1 FROM list_member lm WHERE lm.contact_key = c.contact_key AND lm.list_id = ?) AND c.email LIKE '%7@example.com'",
						this.loaded.listId()));
		expected.forEach((condition, ids) -> {
			ContactSearch.Result result = this.search.search(condition);

			assertThat(ids).as(condition).isNotEmpty();
			assertThat(result.contactCount()).as(condition).isEqualTo(ids.size());
			assertThat(ids(result)).as(condition).containsExactlyElementsOf(ids);
		});
	}

	@Test
	void aSearchAnswersTheFirstFiftyAndCountsThemAll() {
		ContactSearch.Result result = this.search.search("email LIKE '%@example.com'");

		assertThat(result.contactCount()).isEqualTo(70);
		assertThat(ids(result)).containsExactlyElementsOf(SearchTestData.ids(this.jdbc, "true").subList(0, 50));
	}

	@Test
	void aFoundContactHasTheApiShape() {
		this.jdbc
			.sql("UPDATE contact SET alternate_emails = ARRAY['ann.alt@example.org'] WHERE email = 'ann0@example.com'")
			.update();

		JsonNode contact = JSON.readTree(this.search.search("email = 'ann0@example.com'").contacts()).get(0);

		assertThat(contact.get("email").asString()).isEqualTo("ann0@example.com");
		assertThat(contact.get("first_name").asString()).isEqualTo("Ann");
		assertThat(contact.get("country").asString()).isEqualTo("UK");
		assertThat(contact.get("city").asString()).isEmpty();
		assertThat(contact.get("alternate_emails").get(0).asString()).isEqualTo("ann.alt@example.org");
		assertThat(contact.get("list_ids").get(0).asString()).isEqualTo(this.loaded.listId().toString());
		assertThat(contact.get("segment_ids").isArray()).isTrue();
		assertThat(contact.get("custom_fields").get("plan").asString()).isEqualTo("gold");
		assertThat(contact.get("created_at").asString()).isEqualTo("2026-01-01T00:00:00Z");
		assertThat(contact.has("external_id")).as("an unset identifier is left out, not null").isFalse();
	}

	@Test
	void nothingFoundIsACountOfZero() {
		ContactSearch.Result result = this.search.search("email = 'nobody@example.com'");

		assertThat(result.contactCount()).isZero();
		assertThat(result.contacts()).isEqualTo("[]");
	}

	@Test
	void aRefusedConditionIsAQueryExceptionAndRunsNothing() {
		QueryException refused = catchThrowableOfType(QueryException.class,
				() -> this.search.search("email = 'a' OR emial = 'b'"));

		assertThat(refused.errors().get(0).message()).startsWith("unknown column 'emial' at line 1, column 16");
	}

	@Test
	void aSearchPastItsTimeoutIsAnEvaluationTimeout() throws Exception {
		ContactSearch quick = new ContactSearch(this.jdbc, this.compiler, this.clock, this.transactionManager,
				Duration.ofMillis(200));
		EvaluationTimeoutException timedOut;
		try (AutoCloseable lock = SearchTestData.lock(database.dataSource(), "contact")) {
			timedOut = catchThrowableOfType(EvaluationTimeoutException.class, () -> quick.search("country = 'UK'"));
		}

		assertThat(timedOut).hasMessage("the search ran past its statement timeout of 200 ms");
		assertThat(this.search.search("country = 'UK'").contactCount()).isEqualTo(24);
	}

	@Test
	void aSearchRunsInATransactionThatPostgresqlKeepsFromWriting() {
		ReadOnlyEvaluation evaluation = new ReadOnlyEvaluation(this.jdbc, this.transactionManager);

		DataAccessException refused = catchThrowableOfType(DataAccessException.class,
				() -> evaluation.run(Duration.ofSeconds(5), "a write",
						() -> this.jdbc
							.sql("UPDATE contact SET first_name = 'Mallory' WHERE email = 'ann0@example.com'")
							.update()));

		assertThat(DatabaseFailures.sqlException(refused).map(SQLException::getSQLState))
			.as("read_only_sql_transaction")
			.hasValue("25006");
		assertThat(SearchTestData.ids(this.jdbc, "c.first_name = 'Mallory'")).isEmpty();
	}

	@Test
	void contactsAreFoundByPrimaryOrAlternateEmailInAnyCase() {
		new TestData(this.jdbc).update("bob1@example.com", "alternate_emails", new String[] { "bobby@example.org" });

		Map<String, String> found = this.search
			.byEmails(List.of(" Ann0@Example.COM", "BOBBY@example.org", "", "nobody@example.com", "ann0@example.com"));

		assertThat(found).containsOnlyKeys("ann0@example.com", "bobby@example.org", "nobody@example.com");
		assertThat(JSON.readTree(found.get("ann0@example.com")).get("email").asString()).isEqualTo("ann0@example.com");
		assertThat(JSON.readTree(found.get("bobby@example.org")).get("email").asString()).isEqualTo("bob1@example.com");
		assertThat(found.get("nobody@example.com")).isNull();
	}

	@Test
	void aLookupFindsAlternateEmailsThroughTheirIndexNotAPassOverEveryContact() {
		// given 5,000 more contacts, one contact with an alternate email
		this.jdbc
			.sql("""
					INSERT INTO contact (id, email, email_domains, created_at, updated_at, change_seq)
					SELECT gen_random_uuid(), 'bulk' || i || '@bulk.test', ARRAY['bulk.test'], TIMESTAMPTZ '2026-01-01 00:00Z',
					      TIMESTAMPTZ '2026-01-01 00:00Z', nextval('change_seq')
					FROM generate_series(1, 5000) i
					""")
			.update();
		new TestData(this.jdbc).update("bob1@example.com", "alternate_emails", new String[] { "bobby@example.org" });
		this.jdbc.sql("ANALYZE contact").update();

		// when the lookup's statement is planned
		String plan = String.join("\n",
				this.jdbc.sql("EXPLAIN " + ContactSearch.BY_EMAILS)
					.param(new String[] { "bobby@example.org", "ann0@example.com" })
					.query(String.class)
					.list());

		// then it reads the contacts through their indexes only
		assertThat(plan).contains("contact_alternate_emails").doesNotContain("Seq Scan on contact ");
	}

	@Test
	void anInvalidAddressIsNamedByItsIndex() {
		InvalidInputException refused = catchThrowableOfType(InvalidInputException.class,
				() -> this.search.byEmails(List.of("ann0@example.com", "not an email", "x\u0000@example.com")));

		assertThat(refused.errors()).extracting(InvalidInputException.FieldError::field)
			.containsExactly("emails[1]", "emails[2]");
		assertThat(refused.errors().get(1).message()).contains("NUL");
	}

	@Test
	void aLookupTakesOneToAHundredAddresses() {
		List<String> many = new ArrayList<>();
		for (int i = 0; i < 101; i++) {
			many.add("someone" + i + "@example.com");
		}

		assertThat(catchThrowableOfType(InvalidInputException.class, () -> this.search.byEmails(many)))
			.hasMessageContaining("1 to 100");
		assertThat(catchThrowableOfType(InvalidInputException.class, () -> this.search.byEmails(List.of(""))))
			.hasMessageContaining("1 to 100");
	}

	private static List<String> ids(ContactSearch.Result result) {
		List<String> ids = new ArrayList<>();
		JSON.readTree(result.contacts()).forEach((contact) -> ids.add(contact.get("id").asString()));
		return ids;
	}

}
