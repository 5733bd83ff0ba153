package io.segmat.query;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The language's constructs, each run on the basic fixture and checked against
 * hand-written SQL over segmat's schema (an independent oracle), or against a rewritten
 * query with the same meaning.
 * <p>
 * Over 400 lines on purpose: it is a catalogue, one short test per construct of the
 * language, read as the language's reference of examples; splitting it by letter would
 * only scatter that list.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LanguageTests {

	private static final String SS = "db5b5fab-8f4d-3e27-dda1-494c73cf256d";

	private BasicFixture fixture;

	private final QueryCompiler compiler = new QueryCompiler();

	@BeforeAll
	void loadFixture() {
		this.fixture = BasicFixture.load();
	}

	private Set<String> members(String query) {
		return this.fixture
			.members(this.compiler.compile(
					BasicFixture.replaceLists(query,
							java.util.Map.of("vip", this.fixture.list("vip"), "beta", this.fixture.list("beta"),
									"churned", this.fixture.list("churned"), "newsletter",
									this.fixture.list("newsletter"), "partners", this.fixture.list("partners"))),
					this.fixture.catalog(), null, this.fixture.asOf()));
	}

	private Set<String> oracle(String sqlWhere, Object... params) {
		return new LinkedHashSet<>(this.fixture.jdbc()
			.sql("SELECT c.email FROM contact c WHERE " + sqlWhere + " ORDER BY c.email")
			.params(List.of(params))
			.query(String.class)
			.list());
	}

	private static final String SELECT = "SELECT contact_id, updated_at FROM contact_data WHERE ";

	private static final String JOIN = "SELECT c.contact_id, c.updated_at FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id ";

	@ParameterizedTest
	@ValueSource(strings = { "SELECT contact_id, updated_at FROM contact_data",
			"SELECT contact_id, updated_at FROM contact_data WHERE email LIKE '%@example.com'",
			"SELECT contact_id, updated_at FROM contact_data WHERE lower(first_name) = 'bob' AND country = 'US'",
			"SELECT contact_id, updated_at FROM contact_data WHERE postal_code IN ('90124', '90125', '90126')",
			"SELECT contact_id, updated_at FROM contact_data WHERE array_contains(list_ids, ['{{list:vip}}', '{{list:beta}}'])",
			"SELECT contact_id, updated_at FROM contact_data WHERE NOT array_contains(list_ids, ['{{list:vip}}'])",
			"SELECT contact_id, updated_at FROM contact_data WHERE plan = 'gold' AND lifetime_value >= 100",
			"SELECT contact_id, updated_at FROM contact_data WHERE signup_date > timestampadd(day, -7, CURRENT_TIMESTAMP)",
			"SELECT contact_id, updated_at FROM contact_data WHERE created_at BETWEEN TIMESTAMP '2026-01-01T00:00:00Z' AND TIMESTAMP '2026-02-01T00:00:00Z'",
			"SELECT c.contact_id, c.updated_at FROM contact_data AS c JOIN event_data AS e ON c.contact_id = e.contact_id WHERE e.event_type = 'click'",
			"SELECT c.contact_id, c.updated_at FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id\n  WHERE (e.event_type = 'open' OR e.event_type = 'click') AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)",
			"SELECT contact_id, updated_at FROM contact_data\n  WHERE contact_id NOT IN (SELECT contact_id FROM event_data WHERE event_type = 'open' AND timestamp > timestampadd(day, -90, CURRENT_TIMESTAMP))",
			"SELECT c.contact_id, c.updated_at FROM contact_data c JOIN event_data e1 ON c.contact_id = e1.contact_id\n  WHERE e1.event_source = 'mail' AND e1.event_type = 'processed' AND e1.DATA:payload.unique_args.singlesend_id = '"
					+ SS
					+ "'\n    AND c.contact_id NOT IN (SELECT e2.contact_id FROM event_data e2 WHERE e2.event_source = 'mail' AND e2.event_type = 'open'\n                             AND e2.DATA:payload.unique_args.singlesend_id = '"
					+ SS + "')" })
	void everyExampleOfTheSpecCompilesAndRuns(String query) {
		// given an example of the language / when compiled and run / then it runs
		// without error
		assertThat(members(query)).isNotNull();
	}

	@Test
	void inFollowedByAndOrKeepsSqlPrecedenceDespiteTheParserBug() {
		// given IN followed by OR, which JSqlParser 5.3 mis-nests as x IN ((list) OR ...)
		Set<String> members = members(SELECT + "country = 'UK' AND postal_code IN ('SW1A 1AA') OR country = 'IS'");

		// then the meaning is (country = 'UK' AND postal_code IN (...)) OR country = 'IS'
		assertThat(members)
			.isEqualTo(oracle("(c.country = 'UK' AND c.postal_code IN ('SW1A 1AA')) OR c.country = 'IS'"))
			.isNotEmpty();
	}

	@Test
	void notInWithAFollowingConditionKeepsPrecedence() {
		// given NOT IN followed by AND
		Set<String> members = members(SELECT + "country NOT IN ('US', 'UK') AND city IS NOT NULL");

		// then both conditions apply
		assertThat(members).isEqualTo(oracle("c.country NOT IN ('US', 'UK') AND c.city IS NOT NULL")).isNotEmpty();
	}

	@Test
	void notBeforeInBindsOnlyToTheInPredicate() {
		// given NOT ... IN followed by AND
		Set<String> members = members(SELECT + "NOT country IN ('US', 'UK') AND city IS NULL");

		// then NOT applies to the IN only
		assertThat(members).isEqualTo(oracle("(NOT c.country IN ('US', 'UK')) AND c.city IS NULL")).isNotEmpty();
	}

	@Test
	void inSubqueryFollowedByOrKeepsPrecedence() {
		// given an IN subquery followed by OR
		Set<String> members = members(SELECT
				+ "contact_id IN (SELECT contact_id FROM event_data WHERE event_type = 'spamreport') OR country = 'IS'");

		// then either side makes a member
		assertThat(members).isEqualTo(oracle(
				"EXISTS (SELECT 1 FROM email_event e WHERE e.contact_key = c.contact_key AND e.event_type = 'spamreport') OR c.country = 'IS'"))
			.isNotEmpty();
	}

	@Test
	void notInListWithNullKeepsSqlsNullMeaning() {
		// given NOT IN over a list holding NULL, which SQL makes never true
		Set<String> members = members(SELECT + "country NOT IN ('US', NULL)");

		// then nobody matches, as in SQL
		assertThat(members).isEmpty();
	}

	@Test
	void backslashEscapedQuoteIsAQuote() {
		// given the fixture's contacts named O'Brien
		Set<String> expected = oracle("c.last_name = 'O''Brien'");

		// when queried with a backslash escape and with a doubled quote / then both find
		// them
		assertThat(members(SELECT + "last_name = 'O\\'Brien'")).isEqualTo(expected).isNotEmpty();
		assertThat(members(SELECT + "last_name = 'O''Brien'")).isEqualTo(expected);
	}

	@Test
	void backslashBeforeOtherCharactersStaysForLike() {
		// given a LIKE pattern with an escaped underscore (a literal '_')
		Set<String> members = members(SELECT + "email LIKE '%\\_%'");

		// then only emails with an underscore match (none in the fixture), not every
		// email
		assertThat(members).isEqualTo(oracle("c.email LIKE '%\\_%'"));
		assertThat(members).hasSizeLessThan(400);
	}

	@Test
	void caseInsensitiveIdentifiersAndQuotedCustomFields() {
		// given keywords, columns and custom fields in mixed case and quoted
		Set<String> members = members(
				"select CONTACT_ID, Updated_At from Contact_Data where \"PLAN\" = 'gold' and `Age` > 30 and COUNTRY = 'US'");

		// then they resolve like their lower-case forms
		assertThat(members).isEqualTo(members(SELECT + "plan = 'gold' AND age > 30 AND country = 'US'")).isNotEmpty();
	}

	@Test
	void isoStringComparedWithATimestampIsATimestampAndADateIsMidnightUtc() {
		// given a date-only string and the same instant as a full timestamp
		Set<String> dateOnly = members(SELECT + "signup_date < '2025-01-01'");
		Set<String> full = members(SELECT + "signup_date < TIMESTAMP '2025-01-01T00:00:00Z'");

		// then both mean midnight UTC
		assertThat(dateOnly).isEqualTo(full)
			.isEqualTo(oracle(
					"(c.custom_fields->>'e4_D')::bigint < extract(epoch FROM timestamptz '2025-01-01T00:00:00Z')"))
			.isNotEmpty();
	}

	@Test
	void intervalFormsAllMeanTheSame() {
		// given the three INTERVAL forms and timestampadd
		Set<String> a = members(SELECT + "signup_date > CURRENT_TIMESTAMP - INTERVAL 30 DAY");
		Set<String> b = members(SELECT + "signup_date > NOW() - INTERVAL '30' DAY");
		Set<String> c = members(SELECT + "signup_date > CURRENT_TIMESTAMP() - INTERVAL '30 days'");
		Set<String> d = members(SELECT + "signup_date > timestampadd(day, -30, CURRENT_TIMESTAMP)");

		// then they agree, and CURRENT_TIMESTAMP is the fixture's as_of, not the database
		// clock
		assertThat(a).isEqualTo(b).isEqualTo(c).isEqualTo(d).hasSize(23);
	}

	@Test
	void weeksAndMonthsShiftInUtc() {
		// given week and month intervals
		Set<String> weeks = members(SELECT + "signup_date > NOW() - INTERVAL 8 WEEK");
		Set<String> months = members(SELECT + "signup_date > timestampadd(month, -2, NOW())");

		// then they match the same arithmetic done by hand
		assertThat(weeks).isEqualTo(oracle(
				"to_timestamp((c.custom_fields->>'e4_D')::double precision) > timestamptz '2026-04-06T00:00:00Z'"));
		assertThat(months).isEqualTo(oracle(
				"to_timestamp((c.custom_fields->>'e4_D')::double precision) > timestamptz '2026-04-01T00:00:00Z'"));
	}

	@Test
	void existsSubqueryIsTheSameAsInSubquery() {
		// given the EXISTS form and the IN form of "opened"
		Set<String> exists = members(
				"SELECT c.contact_id, c.updated_at FROM contact_data c WHERE EXISTS (SELECT 1 FROM event_data e WHERE e.contact_id = c.contact_id AND e.event_type = 'open')");
		Set<String> in = members(
				SELECT + "contact_id IN (SELECT contact_id FROM event_data WHERE event_type = 'open')");

		// then they agree with the oracle
		assertThat(exists).isEqualTo(in)
			.isEqualTo(oracle(
					"EXISTS (SELECT 1 FROM email_event e WHERE e.contact_key = c.contact_key AND e.event_type = 'open')"))
			.isNotEmpty();
	}

	@Test
	void notExistsIsTheComplement() {
		// given NOT EXISTS over clicks
		Set<String> members = members(
				"SELECT contact_id, updated_at FROM contact_data c WHERE NOT EXISTS (SELECT * FROM event_data e WHERE e.contact_id = c.contact_id AND e.event_type = 'click')");

		// then it has the 400 - 120 contacts that never clicked
		assertThat(members).hasSize(280);
	}

	@Test
	void frequencyQueryCountsEventsPerContact() {
		// given "opened at least 3 times"
		Set<String> members = members(
				JOIN + "WHERE e.event_type = 'open' GROUP BY c.contact_id, c.updated_at HAVING COUNT(*) >= 3");

		// then it agrees with a hand count
		assertThat(members).isEqualTo(oracle(
				"(SELECT count(*) FROM email_event e WHERE e.contact_key = c.contact_key AND e.event_type = 'open') >= 3"))
			.isNotEmpty();
	}

	@Test
	void frequencyBelowAThresholdNeedsAtLeastOneEvent() {
		// given "opened fewer than 2 times", over an inner join
		Set<String> members = members(JOIN + "WHERE e.event_type = 'open' GROUP BY c.contact_id HAVING COUNT(*) < 2");

		// then contacts without any open are not in a group, so not members
		assertThat(members).isEqualTo(oracle(
				"(SELECT count(*) FROM email_event e WHERE e.contact_key = c.contact_key AND e.event_type = 'open') = 1"))
			.isNotEmpty();
	}

	@Test
	void lastEventQueryUsesTheSelectAlias() {
		// given a "last open more than 30 days ago" query through its select alias
		Set<String> members = members(
				"SELECT c.contact_id, c.updated_at, MAX(e.timestamp) AS last_open FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id WHERE e.event_type = 'open' GROUP BY c.contact_id, c.updated_at HAVING last_open < timestampadd(day, -30, CURRENT_TIMESTAMP)");

		// then it agrees with a hand-written max
		assertThat(members).isEqualTo(oracle(
				"(SELECT max(e.occurred_at) FROM email_event e WHERE e.contact_key = c.contact_key AND e.event_type = 'open') < timestamptz '2026-05-02T00:00:00Z'"))
			.isNotEmpty();
	}

	@Test
	void countDistinctCountsDistinctValues() {
		// given "clicked at least two distinct urls"
		Set<String> members = members(
				JOIN + "WHERE e.event_type = 'click' GROUP BY c.contact_id HAVING COUNT(DISTINCT e.url) >= 2");

		// then it agrees with a hand count
		assertThat(members).isEqualTo(oracle(
				"(SELECT count(DISTINCT e.url) FROM email_event e WHERE e.contact_key = c.contact_key AND e.event_type = 'click') >= 2"));
	}

	@Test
	void dataPathReadsThePayload() {
		// given a DATA path on the joined event and the first-class column
		Set<String> viaPath = members(JOIN + "WHERE e.DATA:payload.singlesend_id = '" + SS + "'");
		Set<String> viaColumn = members(JOIN + "WHERE e.singlesend_id = '" + SS + "'");

		// then both read the same value
		assertThat(viaPath).isEqualTo(viaColumn).isNotEmpty();
	}

	@Test
	void missingDataPathIsNull() {
		// given a path that no event has
		Set<String> members = members(JOIN + "WHERE e.DATA:payload.nothing.here IS NULL AND e.event_type = 'click'");

		// then it is NULL for every event
		assertThat(members).hasSize(120);
	}

	@Test
	void mixedContactAndEventPredicateInOneOrGoesInsideTheJoin() {
		// given an OR of a contact column and an event column
		Set<String> members = members(JOIN + "WHERE c.country = 'IS' OR e.event_type = 'spamreport'");

		// then a member needs at least one event, and either side may hold
		assertThat(members).isEqualTo(oracle(
				"EXISTS (SELECT 1 FROM email_event e WHERE e.contact_key = c.contact_key AND (c.country = 'IS' OR e.event_type = 'spamreport'))"))
			.isNotEmpty();
	}

	@Test
	void containsIsArrayContainsAndArrayKeywordIsAnArrayLiteral() {
		// given the v1 contains() and ARRAY[...] forms
		Set<String> a = members(SELECT + "contains(list_ids, '{{list:vip}}')");
		Set<String> b = members(SELECT + "array_contains(list_ids, ARRAY['{{list:vip}}'])");

		// then both mean membership of the list
		assertThat(a).isEqualTo(b)
			.isEqualTo(oracle(
					"EXISTS (SELECT 1 FROM list_member lm WHERE lm.contact_key = c.contact_key AND lm.list_id = ?::uuid)",
					this.fixture.list("vip").toString()))
			.isNotEmpty();
	}

	@Test
	void arrayContainsAnyOfTwoDomains() {
		// given array_contains over email_domains with two values
		Set<String> members = members(SELECT + "array_contains(email_domains, ['mail.test', 'corp.example'])");

		// then a contact with either domain matches
		assertThat(members).isEqualTo(oracle("c.email_domains && ARRAY['mail.test', 'corp.example']")).isNotEmpty();
	}

	@Test
	void stringFunctionsWork() {
		// given upper, length, concat, trim and coalesce
		Set<String> members = members(SELECT
				+ "upper(trim(country)) = 'UK' AND length(first_name) = 3 AND concat(first_name, ' ', last_name) LIKE 'A% %' AND coalesce(city, 'none') <> 'none'");

		// then they mean what PostgreSQL's do
		assertThat(members).isEqualTo(oracle(
				"upper(trim(c.country)) = 'UK' AND char_length(c.first_name) = 3 AND concat(c.first_name, ' ', c.last_name) LIKE 'A% %' AND c.city IS NOT NULL"));
	}

	@Test
	void contactIdComparesWithTheUuidColumn() {
		// given one contact's id
		String id = this.fixture.jdbc()
			.sql("SELECT id::text FROM contact WHERE email = 'yuki.knuth0@example.com'")
			.query(String.class)
			.single();

		// when compared with contact_id, in either order and upper-case / then only that
		// contact matches
		assertThat(members(SELECT + "contact_id = '" + id + "'")).containsExactly("yuki.knuth0@example.com");
		assertThat(members(SELECT + "'" + id.toUpperCase(java.util.Locale.ROOT) + "' = contact_id"))
			.containsExactly("yuki.knuth0@example.com");
		assertThat(members(SELECT + "contact_id <> '" + id + "'")).hasSize(399);
		assertThat(members(SELECT + "contact_id = 'not-a-uuid'")).isEmpty();
	}

	@Test
	void timestampShiftedByAColumnAmountWorks() {
		// given a shift by a number column and a shifted column compared with a bound
		// timestamp
		Set<String> members = members(
				SELECT + "timestampadd(day, age, signup_date) > NOW() OR signup_date + INTERVAL 1 DAY > NOW()");

		// then it matches the same computation by hand
		assertThat(members).isEqualTo(oracle(
				"to_timestamp((c.custom_fields->>'e4_D')::double precision) + ((c.custom_fields->>'e2_N')::numeric) * interval '1 day' > timestamptz '2026-06-01T00:00:00Z'"
						+ " OR to_timestamp((c.custom_fields->>'e4_D')::double precision) + interval '1 day' > timestamptz '2026-06-01T00:00:00Z'"))
			.isNotEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "NULL = NULL", "email = NULL", "lower(NULL) = 'a'", "length(NULL) > 1",
			"concat(NULL, NULL) = 'x'", "coalesce(NULL, NULL) IS NULL", "NULL BETWEEN 1 AND 2", "NULL LIKE 'a%'",
			"age + NULL > 1", "NULL IN (1, 2)", "upper(NULL) IS NULL", "trim(NULL) IS NULL",
			"coalesce(NULL, city) = 'London'", "NULL", "TRUE", "NOT FALSE", "date_trunc(day, NULL) IS NULL",
			"signup_date > coalesce(NULL, updated_at)", "age IN (NULL)" })
	void nullLiteralsCompileToSqlThatRuns(String condition) {
		// given a condition with NULL in an odd place / when run / then PostgreSQL
		// accepts the SQL
		assertThat(members(SELECT + condition)).isNotNull();
	}

	@Test
	void ilikeIgnoresCase() {
		// given ILIKE with an upper-case pattern / then it matches lower-case emails
		assertThat(members(SELECT + "email ILIKE '%@EXAMPLE.COM'")).hasSize(78);
	}

	@Test
	void dateTruncAndArithmeticWork() {
		// given date_trunc on a Date field and arithmetic with % and /
		Set<String> members = members(SELECT
				+ "date_trunc(month, signup_date) = TIMESTAMP '2026-05-01' AND age % 2 = 0 AND lifetime_value / 0 IS NULL");

		// then they agree with the same computation by hand (a zero divisor gives NULL,
		// not an error)
		assertThat(members).isEqualTo(oracle(
				"date_trunc('month', to_timestamp((c.custom_fields->>'e4_D')::double precision), 'UTC') = timestamptz '2026-05-01T00:00:00Z' AND (c.custom_fields->>'e2_N')::numeric % 2 = 0"))
			.isNotEmpty();
	}

	@Test
	void numberFieldComparedWithANumericStringConverts() {
		// given a number field and a string literal that converts cleanly
		assertThat(members(SELECT + "age = '31'")).isEqualTo(members(SELECT + "age = 31")).isNotEmpty();
	}

	@Test
	void trailingSemicolonAndCommentsAreTolerated() {
		// given a trailing semicolon and comments
		Set<String> members = members(
				"SELECT contact_id, updated_at -- the ids\nFROM contact_data /* all */ WHERE country = 'UK';");

		// then the query runs as without them
		assertThat(members).isEqualTo(members(SELECT + "country = 'UK'")).isNotEmpty();
	}

	@Test
	void parentListRestrictsMembership() {
		// given a query compiled with a parent list
		CompiledQuery compiled = this.compiler.compile(SELECT + "country = 'US'", this.fixture.catalog(),
				this.fixture.list("vip"), this.fixture.asOf());

		// then only members of that list are in the segment
		assertThat(this.fixture.members(compiled)).isEqualTo(oracle(
				"c.country = 'US' AND EXISTS (SELECT 1 FROM list_member lm WHERE lm.contact_key = c.contact_key AND lm.list_id = ?::uuid)",
				this.fixture.list("vip").toString()));
	}

	@Test
	void literalsAreBoundNeverInlined() {
		// given a query full of literals
		CompiledQuery compiled = this.compiler.compile(
				SELECT + "first_name = 'Robert''); DROP TABLE contact; --' OR age IN (1, 2) OR email LIKE 'x%'",
				this.fixture.catalog(), null, this.fixture.asOf());

		// then none of the user's text is in the SQL, only placeholders
		assertThat(compiled.sql()).doesNotContain("Robert", "DROP", "x%", "first_name = '");
		assertThat(compiled.parameters()).contains("Robert'); DROP TABLE contact; --", "x%");
	}

	@Test
	void eventPredicatesUseSargableComparisonsOnOccurredAt() {
		// given a time-bounded event query
		CompiledQuery compiled = this.compiler.compile(
				JOIN + "WHERE e.event_type = 'open' AND e.timestamp > NOW() - INTERVAL 7 DAY", this.fixture.catalog(),
				null, this.fixture.asOf());

		// then occurred_at is compared bare with one bound timestamp, in one scan of the
		// events for the whole base and in an EXISTS semi-join for a few contacts
		assertThat(compiled.sql()).contains("FROM email_event e0 WHERE", "e0.occurred_at > ?::timestamptz")
			.doesNotContain("JOIN");
		assertThat(compiled.probeSql()).contains("EXISTS (SELECT 1 FROM email_event", "e0.occurred_at > ?::timestamptz")
			.doesNotContain("JOIN");
		assertThat(compiled.parameters()).contains(java.time.OffsetDateTime.parse("2026-05-25T00:00:00Z"));
	}

	@Test
	void aFrequencyConditionIsOneGroupedScanOfTheEvents() {
		// given a GROUP BY/HAVING over events that reads only the events
		CompiledQuery compiled = this.compiler.compile(
				JOIN + "WHERE e.event_type = 'open' GROUP BY c.contact_id, c.updated_at HAVING COUNT(*) >= 3",
				this.fixture.catalog(), null, this.fixture.asOf());

		// then the scan form groups the events once, and the probe form (for a few named
		// contacts) stays correlated, with the same parameters
		assertThat(compiled.sql())
			.isEqualTo("SELECT e0.contact_key FROM email_event e0 WHERE (e0.event_type = ?::text) "
					+ "GROUP BY e0.contact_key HAVING (count(*) >= ?::numeric)");
		assertThat(compiled.probeSql()).isEqualTo("SELECT c.contact_key FROM contact c WHERE EXISTS "
				+ "(SELECT 1 FROM email_event e0 WHERE e0.contact_key = c.contact_key AND (e0.event_type = ?::text) "
				+ "HAVING count(*) > 0 AND (count(*) >= ?::numeric))");
	}

	@Test
	void aGroupedScanThatReadsTheContactJoinsItInside() {
		// given a HAVING that compares with a contact's own value
		CompiledQuery compiled = this.compiler
			.compile(
					JOIN + "WHERE e.event_type = 'open' GROUP BY c.contact_id, c.updated_at "
							+ "HAVING MAX(e.timestamp) > c.created_at",
					this.fixture.catalog(), null, this.fixture.asOf());

		// then the contact is joined in the grouped scan and grouped by its key
		assertThat(compiled.sql()).startsWith("SELECT c.contact_key FROM contact c JOIN email_event e0")
			.contains("GROUP BY c.contact_key HAVING");
	}

}
