package io.segmat.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.segmat.testsupport.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rewrites that compile a segment without the contact table (list memberships, joined
 * events, event subqueries, grouped events, the parent list), each against hand-written
 * SQL over contact, the oracle, alone and inside AND, OR and NOT. The fixture has lost a
 * contact that was in lists and had events, deleted as segmat deletes one, so a key set
 * that outlived its contact would show. Keys are compared as lists: a contact selected
 * twice shows too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeySetTests {

	private static final String SELECT = "SELECT contact_id, updated_at FROM contact_data WHERE ";

	private static final String JOIN = "SELECT c.contact_id, c.updated_at FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id ";

	private static final String IN_LIST = "EXISTS (SELECT 1 FROM list_member m WHERE m.contact_key = c.contact_key AND m.list_id = ?)";

	private static final String IN_OTHER_LIST = "EXISTS (SELECT 1 FROM list_member n WHERE n.contact_key = c.contact_key AND n.list_id = ?)";

	private static final String CLICKED = "EXISTS (SELECT 1 FROM email_event e WHERE e.contact_key = c.contact_key AND e.event_type = 'click')";

	private final QueryCompiler compiler = new QueryCompiler();

	private BasicFixture fixture;

	private long deleted;

	@BeforeAll
	void loadFixtureAndDeleteAListedContactWithEvents() {
		this.fixture = BasicFixture.load();
		this.deleted = this.fixture.jdbc().sql("""
				SELECT c.contact_key FROM contact c JOIN list_member m ON m.contact_key = c.contact_key
				WHERE m.list_id = ? AND EXISTS (SELECT 1 FROM email_event e WHERE e.contact_key = c.contact_key
				                                 AND e.event_type = 'open')
				ORDER BY c.contact_key LIMIT 1
				""").param(list("vip")).query(Long.class).single();
		String email = this.fixture.jdbc()
			.sql("SELECT email FROM contact WHERE contact_key = ?")
			.param(this.deleted)
			.query(String.class)
			.single();
		new TestData(this.fixture.jdbc()).delete(email);
	}

	@Test
	void oneListIsItsMembershipsAlone() {
		// given a query that is one list's membership
		CompiledQuery compiled = compile(SELECT + "array_contains(list_ids, ['{{list:vip}}'])", null);

		// then it reads list_member alone and selects exactly the list's contacts
		assertThat(compiled.sql()).doesNotContain("FROM contact");
		assertThat(keys(compiled)).isEqualTo(oracle(IN_LIST, list("vip"))).isNotEmpty().doesNotContain(this.deleted);
		assertThat(probeKeys(compiled)).isEqualTo(keys(compiled));
	}

	@Test
	void containsWithOneIdIsTheSameKeySet() {
		// given the v1 spelling with a bare id
		CompiledQuery compiled = compile(SELECT + "CONTAINS(list_ids, '{{list:vip}}')", null);

		// then it is the same membership
		assertThat(compiled.sql()).doesNotContain("FROM contact");
		assertThat(keys(compiled)).isEqualTo(oracle(IN_LIST, list("vip")));
	}

	@Test
	void aContactInTwoOfTheListsIsSelectedOnce() {
		// given membership in either of two lists, which overlap
		CompiledQuery compiled = compile(SELECT + "array_contains(list_ids, ['{{list:newsletter}}', '{{list:beta}}'])",
				null);

		// then each contact of either list is selected once
		assertThat(compiled.sql()).doesNotContain("FROM contact");
		assertThat(keys(compiled)).isEqualTo(oracle(
				"EXISTS (SELECT 1 FROM list_member m WHERE m.contact_key = c.contact_key AND m.list_id IN (?, ?))",
				list("newsletter"), list("beta")));
		assertThat(oracle(IN_LIST + " AND " + IN_OTHER_LIST, list("newsletter"), list("beta"))).as("the lists overlap")
			.isNotEmpty();
	}

	@Test
	void twoListsTogetherAreTheirIntersection() {
		// given membership in both of two lists
		CompiledQuery compiled = compile(SELECT
				+ "array_contains(list_ids, ['{{list:newsletter}}']) AND array_contains(list_ids, '{{list:beta}}')",
				null);

		// then it selects the contacts of both, from the memberships alone
		assertThat(compiled.sql()).doesNotContain("FROM contact");
		assertThat(keys(compiled))
			.isEqualTo(oracle(IN_LIST + " AND " + IN_OTHER_LIST, list("newsletter"), list("beta")))
			.isNotEmpty();
	}

	@Test
	void notInAListStillReadsEveryContact() {
		// given the negation of a membership
		CompiledQuery compiled = compile(SELECT + "NOT array_contains(list_ids, ['{{list:vip}}'])", null);

		// then it selects every remaining contact outside the list
		assertThat(keys(compiled)).isEqualTo(oracle("NOT " + IN_LIST, list("vip"))).isNotEmpty();
	}

	@Test
	void aListOrAnAttribute() {
		// given a membership OR a contact attribute
		CompiledQuery compiled = compile(SELECT + "array_contains(list_ids, ['{{list:vip}}']) OR country = 'US'", null);

		// then either one selects
		assertThat(keys(compiled)).isEqualTo(oracle(IN_LIST + " OR c.country = 'US'", list("vip")));
	}

	@Test
	void aListAndAnAttributeReadTheContact() {
		// given a membership AND a contact attribute
		CompiledQuery compiled = compile(SELECT + "array_contains(list_ids, ['{{list:vip}}']) AND country = 'US'",
				null);

		// then both hold
		assertThat(compiled.sql()).startsWith("SELECT c.contact_key FROM contact c");
		assertThat(keys(compiled)).isEqualTo(oracle(IN_LIST + " AND c.country = 'US'", list("vip"))).isNotEmpty();
	}

	@Test
	void aListWithinAParentListIsBothMemberships() {
		// given a membership condition on a segment with a parent list
		CompiledQuery compiled = compile(SELECT + "array_contains(list_ids, ['{{list:beta}}'])", list("newsletter"));

		// then it selects the contacts of both lists, from the memberships alone
		assertThat(compiled.sql()).doesNotContain("FROM contact");
		assertThat(keys(compiled))
			.isEqualTo(oracle(IN_LIST + " AND " + IN_OTHER_LIST, list("beta"), list("newsletter")))
			.isNotEmpty();
		assertThat(probeKeys(compiled)).isEqualTo(keys(compiled));
	}

	@Test
	void aParentListAloneIsItsMemberships() {
		// given a segment of every contact, within a parent list
		CompiledQuery compiled = compile("SELECT contact_id, updated_at FROM contact_data", list("vip"));

		// then it is the parent list's memberships
		assertThat(compiled.sql()).doesNotContain("FROM contact");
		assertThat(keys(compiled)).isEqualTo(oracle(IN_LIST, list("vip")));
	}

	@Test
	void anEventWindowIsOneScanOfTheEvents() {
		// given a join with events in a window
		CompiledQuery compiled = compile(
				JOIN + "WHERE e.event_type = 'open' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)", null);

		// then the events alone give the contacts, each once
		assertThat(compiled.sql()).doesNotContain("FROM contact");
		assertThat(keys(compiled))
			.isEqualTo(oracle(
					"EXISTS (SELECT 1 FROM email_event e WHERE e.contact_key = c.contact_key "
							+ "AND e.event_type = 'open' AND e.occurred_at > ?::timestamptz - interval '30 days')",
					java.sql.Timestamp.from(this.fixture.asOf())))
			.isNotEmpty()
			.doesNotContain(this.deleted);
		assertThat(probeKeys(compiled)).isEqualTo(keys(compiled));
	}

	@Test
	void eventConditionsWithOrAndNotStayOnTheEvent() {
		// given event-side conditions combined with OR and NOT
		CompiledQuery compiled = compile(
				JOIN + "WHERE (e.event_type = 'open' OR e.event_type = 'click') AND NOT e.url IS NULL", null);

		// then some single event satisfies all of them
		assertThat(compiled.sql()).doesNotContain("FROM contact");
		assertThat(keys(compiled))
			.isEqualTo(oracle("EXISTS (SELECT 1 FROM email_event e WHERE "
					+ "e.contact_key = c.contact_key AND e.event_type IN ('open', 'click') AND e.url IS NOT NULL)"))
			.isNotEmpty();
	}

	@Test
	void anEventConditionThatIsNullForEveryEventSelectsNoOne() {
		// given an event condition compared with NULL
		CompiledQuery compiled = compile(JOIN + "WHERE e.event_type = 'open' AND e.url = NULL", null);

		// then no event satisfies it, so no contact is selected
		assertThat(keys(compiled)).isEmpty();
	}

	@Test
	void anEventWindowAndAListAreBothKeySets() {
		// given events joined and a membership
		CompiledQuery compiled = compile(
				JOIN + "WHERE e.event_type = 'click' AND array_contains(list_ids, ['{{list:newsletter}}'])", null);

		// then a contact needs both, and is selected once
		assertThat(compiled.sql()).doesNotContain("FROM contact");
		assertThat(keys(compiled))
			.isEqualTo(oracle(IN_LIST + " AND EXISTS (SELECT 1 FROM email_event e WHERE "
					+ "e.contact_key = c.contact_key AND e.event_type = 'click')", list("newsletter")))
			.isNotEmpty();
		assertThat(probeKeys(compiled)).isEqualTo(keys(compiled));
	}

	@Test
	void anEventConditionThatReadsTheContactKeepsTheContact() {
		// given an event condition that compares with the contact's own value
		CompiledQuery compiled = compile(JOIN + "WHERE e.event_type = 'open' AND e.timestamp > c.created_at", null);

		// then it is the correlated form, with the same meaning
		assertThat(compiled.sql()).startsWith("SELECT c.contact_key FROM contact c");
		assertThat(keys(compiled)).isEqualTo(oracle("EXISTS (SELECT 1 FROM email_event e WHERE "
				+ "e.contact_key = c.contact_key AND e.event_type = 'open' AND e.occurred_at > c.created_at)"));
	}

	@Test
	void anInSubqueryIsTheEventsItSelects() {
		// given contact_id IN a subquery over events
		CompiledQuery compiled = compile(
				SELECT + "contact_id IN (SELECT contact_id FROM event_data WHERE event_type = 'click')", null);

		// then the events alone give the contacts, each once
		assertThat(compiled.sql()).doesNotContain("FROM contact");
		assertThat(keys(compiled)).isEqualTo(oracle(CLICKED)).isNotEmpty();
	}

	@Test
	void anExistsSubqueryTiedToTheContactIsTheEventsItSelects() {
		// given EXISTS over events tied to the contact, the tie written either way round
		CompiledQuery compiled = compile("SELECT contact_id, updated_at FROM contact_data c WHERE "
				+ "EXISTS (SELECT 1 FROM event_data x WHERE c.contact_id = x.contact_id AND x.event_type = 'click')",
				null);

		// then the events alone give the contacts
		assertThat(compiled.sql()).doesNotContain("FROM contact");
		assertThat(keys(compiled)).isEqualTo(oracle(CLICKED)).isNotEmpty();
	}

	@Test
	void negatedAndOredSubqueriesKeepTheirMeaning() {
		// given event subqueries under NOT IN, NOT EXISTS and OR
		CompiledQuery notIn = compile(
				SELECT + "contact_id NOT IN (SELECT contact_id FROM event_data WHERE event_type = 'click')", null);
		CompiledQuery notExists = compile("SELECT contact_id, updated_at FROM contact_data c WHERE NOT "
				+ "EXISTS (SELECT 1 FROM event_data x WHERE x.contact_id = c.contact_id AND x.event_type = 'click')",
				null);
		CompiledQuery or = compile(SELECT
				+ "contact_id IN (SELECT contact_id FROM event_data WHERE event_type = 'click') OR country = 'US'",
				null);

		// then they select what the oracle does
		assertThat(keys(notIn)).isEqualTo(oracle("NOT " + CLICKED)).isNotEmpty();
		assertThat(keys(notExists)).isEqualTo(oracle("NOT " + CLICKED));
		assertThat(keys(or)).isEqualTo(oracle(CLICKED + " OR c.country = 'US'"));
	}

	@Test
	void aSubqueryWithANullableConditionSelectsOnlyWhereItHolds() {
		// given a subquery whose condition is NULL for events without a url
		CompiledQuery compiled = compile(
				SELECT + "contact_id IN (SELECT contact_id FROM event_data WHERE url <> 'https://example.com/none')",
				null);

		// then events without a url do not count
		assertThat(keys(compiled))
			.isEqualTo(oracle("EXISTS (SELECT 1 FROM email_event e WHERE "
					+ "e.contact_key = c.contact_key AND e.url <> 'https://example.com/none')"))
			.isNotEmpty();
	}

	@Test
	void aGroupedScanWithinAParentListAndAList() {
		// given a frequency condition, a membership and a parent list
		CompiledQuery compiled = compile(
				JOIN + "WHERE e.event_type = 'open' AND array_contains(list_ids, "
						+ "['{{list:beta}}', '{{list:vip}}']) GROUP BY c.contact_id, c.updated_at HAVING COUNT(*) >= 2",
				list("newsletter"));

		// then a contact needs all three, and is selected once
		assertThat(compiled.sql()).doesNotContain("FROM contact");
		assertThat(keys(compiled))
			.isEqualTo(
					oracle("""
							EXISTS (SELECT 1 FROM list_member m WHERE m.contact_key = c.contact_key AND m.list_id IN (?, ?))
							AND EXISTS (SELECT 1 FROM list_member p WHERE p.contact_key = c.contact_key AND p.list_id = ?)
							AND (SELECT count(*) FROM email_event e WHERE e.contact_key = c.contact_key AND e.event_type = 'open') >= 2
							""",
							list("beta"), list("vip"), list("newsletter")))
			.isNotEmpty();
		assertThat(probeKeys(compiled)).isEqualTo(keys(compiled));
	}

	@Test
	void aProbeOfKeySetsTestsTheCandidatesKeysAlone() {
		// given queries whose every condition is a key set: a list, an event window,
		// both, a parent list, a frequency
		List<CompiledQuery> keyed = List.of(compile(SELECT + "array_contains(list_ids, ['{{list:vip}}'])", null),
				compile(JOIN
						+ "WHERE e.event_type = 'open' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)",
						null),
				compile(JOIN + "WHERE e.event_type = 'click' AND array_contains(list_ids, ['{{list:newsletter}}'])",
						null),
				compile("SELECT contact_id, updated_at FROM contact_data", list("vip")),
				compile(JOIN + "WHERE e.event_type = 'open' GROUP BY c.contact_id, c.updated_at HAVING COUNT(*) >= 2",
						list("newsletter")));

		for (CompiledQuery compiled : keyed) {
			// then the probe over named candidates reads no contact row, and selects what
			// the scan does among them: not the deleted contact, though it is a candidate
			assertThat(compiled.probeKeyed()).as(compiled.normalizedQuery()).isTrue();
			assertThat(compiled.probeSqlOver("candidates")).doesNotContain("FROM contact");
			assertSelectsAmongCandidatesWhatTheScanDoes(compiled);
		}
	}

	@Test
	void aProbeOfAnyOtherQueryReadsTheCandidatesContacts() {
		// given queries with a condition that is no key set: a negated membership, a
		// membership and an attribute, an event condition reading the contact
		List<CompiledQuery> others = List.of(compile(SELECT + "NOT array_contains(list_ids, ['{{list:vip}}'])", null),
				compile(SELECT + "array_contains(list_ids, ['{{list:vip}}']) AND country = 'US'", null),
				compile(JOIN + "WHERE e.event_type = 'open' AND e.timestamp > c.created_at", null));

		for (CompiledQuery compiled : others) {
			// then the probe over named candidates reads their contacts, and selects what
			// the scan does among them: a deleted contact is in no NOT
			assertThat(compiled.probeKeyed()).as(compiled.normalizedQuery()).isFalse();
			assertThat(compiled.probeSqlOver("candidates")).contains("FROM contact c");
			assertSelectsAmongCandidatesWhatTheScanDoes(compiled);
		}
	}

	private UUID list(String name) {
		return this.fixture.list(name);
	}

	private CompiledQuery compile(String query, UUID parentList) {
		String dsl = BasicFixture.replaceLists(query,
				Map.of("vip", list("vip"), "beta", list("beta"), "newsletter", list("newsletter")));
		return this.compiler.compile(dsl, this.fixture.catalog(), parentList, this.fixture.asOf());
	}

	/** The compiled SQL's rows, duplicates kept, in key order. */
	private List<Long> keys(CompiledQuery compiled) {
		return this.fixture.jdbc()
			.sql("SELECT q.contact_key FROM (" + compiled.sql() + ") q ORDER BY 1")
			.params(compiled.parameters())
			.query(Long.class)
			.list();
	}

	/** The same through the probe form, the one a refresh of a few contacts runs. */
	private List<Long> probeKeys(CompiledQuery compiled) {
		return this.fixture.jdbc()
			.sql("SELECT q.contact_key FROM (" + compiled.probeSql() + ") q ORDER BY 1")
			.params(compiled.parameters())
			.query(Long.class)
			.list();
	}

	/**
	 * The probe over every contact and the deleted contact's key as candidates selects
	 * exactly the scan's contacts, and not the deleted one.
	 */
	private void assertSelectsAmongCandidatesWhatTheScanDoes(CompiledQuery compiled) {
		assertThat(candidateKeys(compiled)).as(compiled.normalizedQuery())
			.isEqualTo(keys(compiled))
			.doesNotContain(this.deleted);
	}

	/**
	 * The query over every contact as candidates, and the deleted contact's key as one
	 * more, the way a refresh names the contacts changed since its last evaluation.
	 */
	private List<Long> candidateKeys(CompiledQuery compiled) {
		List<Object> parameters = new ArrayList<>();
		parameters.add(this.deleted);
		parameters.addAll(compiled.parameters());
		return this.fixture.jdbc()
			.sql("WITH candidates AS (SELECT contact_key FROM contact UNION SELECT CAST(? AS bigint)) "
					+ "SELECT q.contact_key FROM (" + compiled.probeSqlOver("candidates") + ") q ORDER BY 1")
			.params(parameters)
			.query(Long.class)
			.list();
	}

	private List<Long> oracle(String where, Object... params) {
		return this.fixture.jdbc()
			.sql("SELECT c.contact_key FROM contact c WHERE " + where + " ORDER BY 1")
			.params(List.of(params))
			.query(Long.class)
			.list();
	}

}
