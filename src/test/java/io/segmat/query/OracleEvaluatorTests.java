package io.segmat.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.segmat.query.OracleExpr.And;
import io.segmat.query.OracleExpr.ArrayContains;
import io.segmat.query.OracleExpr.Arithmetic;
import io.segmat.query.OracleExpr.Between;
import io.segmat.query.OracleExpr.Compare;
import io.segmat.query.OracleExpr.ContactColumn;
import io.segmat.query.OracleExpr.CustomColumn;
import io.segmat.query.OracleExpr.EventColumn;
import io.segmat.query.OracleExpr.ExistsEvent;
import io.segmat.query.OracleExpr.InEvents;
import io.segmat.query.OracleExpr.InList;
import io.segmat.query.OracleExpr.IsNull;
import io.segmat.query.OracleExpr.Like;
import io.segmat.query.OracleExpr.Literal;
import io.segmat.query.OracleExpr.Not;
import io.segmat.query.OracleExpr.Now;
import io.segmat.query.OracleExpr.Or;
import io.segmat.query.OracleExpr.Predicate;
import io.segmat.query.OracleExpr.Query;
import io.segmat.query.OracleExpr.Style;
import io.segmat.query.OracleExpr.TimestampAdd;
import io.segmat.query.OracleExpr.Value;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The oracle against members computed by hand on three contacts, so that a differential
 * failure can be trusted to be the compiler's.
 */
class OracleEvaluatorTests {

	private static final Instant T = OracleData.AS_OF;

	private static final UUID NEWSLETTER = OracleData.LISTS.get(0);

	private static final UUID BETA = OracleData.LISTS.get(1);

	// us: country US, age 30, in newsletter; opened 40 days ago, clicked 2 days ago.
	// none: no country, no age, in no list, no alternate emails (NULL); no events.
	// uk: country UK, age 65, in newsletter and beta; opened 1 day ago.
	private static final OracleData DATA = new OracleData(
			List.of(contact(0, "us", "US", "Lee_x", new BigDecimal("30"), List.of(), Set.of(NEWSLETTER)),
					contact(1, "none", null, null, null, null, Set.of()),
					contact(2, "uk", "UK", "LeeAx", new BigDecimal("65"), List.of("alt.uk@corp.example"),
							Set.of(NEWSLETTER, BETA))),
			List.of(event(0, "open", 40, OracleData.SINGLESENDS.get(0)), event(0, "click", 2, null),
					event(2, "open", 1, OracleData.SINGLESENDS.get(1))));

	private static OracleData.Contact contact(int i, String name, String country, String lastName, BigDecimal age,
			List<String> alternates, Set<UUID> lists) {
		return new OracleData.Contact(OracleData.contactId(i), name + "@example.com", null, lastName, country, null,
				null, null, alternates, T.minusSeconds(86400L * 100), T, age == null ? Map.of() : Map.of("e2_N", age),
				lists);
	}

	private static OracleData.Event event(int contact, String type, int daysAgo, String singlesend) {
		return new OracleData.Event(contact, "ev" + contact + type, type, T.minusSeconds(86400L * daysAgo), singlesend,
				null, null);
	}

	private static Value col(String name) {
		return new ContactColumn(name, name);
	}

	private static Value age() {
		return new CustomColumn("age", OracleData.AGE);
	}

	private static Value text(String value) {
		return DifferentialQueryGenerator.textLiteral(value);
	}

	private static Value num(int value) {
		return new Literal(Integer.toString(value), BigDecimal.valueOf(value));
	}

	private static Value ev(String column) {
		return new EventColumn("e." + column, column);
	}

	private static Value daysAgo(int days) {
		return new TimestampAdd("day", -days, new Now("CURRENT_TIMESTAMP"));
	}

	private static Set<String> members(Predicate where) {
		return members(false, where, null);
	}

	private static Set<String> members(boolean join, Predicate where, UUID parent) {
		String from = join ? "contact_data c JOIN event_data e ON c.contact_id = e.contact_id" : "contact_data";
		return OracleEvaluator
			.members(new Query(join, join ? "c" : null, from, where, null, parent, new Style(false)), DATA)
			.stream()
			.map(e -> e.substring(0, e.indexOf('@')))
			.collect(java.util.stream.Collectors.toSet());
	}

	@Test
	void comparisonsWithNullAreUnknownAndNotOfUnknownStaysUnknown() {
		assertThat(members(new Compare(col("country"), "!=", text("US")))).containsExactly("uk");
		assertThat(members(new Not(new Compare(col("country"), "=", text("US"))))).containsExactly("uk");
		assertThat(members(new Or(
				List.of(new Compare(col("country"), "=", text("US")), new Compare(col("country"), "<>", text("US"))))))
			.containsExactlyInAnyOrder("us", "uk");
		assertThat(members(new IsNull(col("country"), false))).containsExactly("none");
	}

	@Test
	void falseDecidesAnAndEvenWithAnUnknownOperand() {
		// none: country = 'US' is unknown, age > 100 is unknown too; us/uk: the AND is
		// false.
		Predicate and = new And(
				List.of(new Compare(col("country"), "=", text("US")), new Compare(age(), ">", num(100))));
		assertThat(members(new Not(and))).containsExactlyInAnyOrder("us", "uk");
		// with age > 40 the AND is FALSE for none only if some operand is false: neither
		// is.
		Predicate second = new And(List.of(new Compare(col("country"), "=", text("UK")), new IsNull(age(), false)));
		assertThat(members(new Not(second))).containsExactlyInAnyOrder("us", "uk");
	}

	@Test
	void notInWithANullItemIsNeverTrue() {
		Value nul = new Literal("NULL", null);
		assertThat(members(new InList(col("country"), true, List.of(text("UK"), nul)))).isEmpty();
		assertThat(members(new InList(col("country"), false, List.of(text("UK"), nul)))).containsExactly("uk");
		assertThat(members(new InList(col("country"), true, List.of(text("UK"))))).containsExactly("us");
	}

	@Test
	void likeMatchesWildcardsAndNullMatchesNeitherLikeNorNotLike() {
		assertThat(members(new Like(col("last_name"), false, false, "Lee_x", "'Lee_x'")))
			.containsExactlyInAnyOrder("us", "uk");
		assertThat(members(new Like(col("last_name"), true, false, "Lee%", "'Lee%'"))).isEmpty();
		assertThat(members(new Like(col("last_name"), false, false, "lee%", "'lee%'"))).isEmpty();
		assertThat(members(new Like(col("last_name"), false, true, "lee%", "'lee%'"))).containsExactlyInAnyOrder("us",
				"uk");
	}

	@Test
	void arithmeticAndBetweenPropagateNull() {
		assertThat(members(new Compare(new Arithmetic(age(), "%", num(4)), "=", num(2)))).containsExactly("us");
		assertThat(members(new Between(age(), true, num(40), num(70)))).containsExactly("us");
		assertThat(members(new Between(age(), false, num(70), num(40)))).isEmpty();
	}

	@Test
	void arrayContainsMeansAnyAndANullArrayIsUnknown() {
		Value lists = col("list_ids");
		ArrayContains beta = new ArrayContains("array_contains", lists, null, List.of("'b'"), List.of(BETA.toString()));
		ArrayContains either = new ArrayContains("array_contains", lists, "[", List.of("'b'", "'n'"),
				List.of(BETA.toString(), NEWSLETTER.toString()));
		assertThat(members(beta)).containsExactly("uk");
		assertThat(members(new Not(beta))).containsExactlyInAnyOrder("us", "none");
		assertThat(members(either)).containsExactlyInAnyOrder("us", "uk");
		ArrayContains alt = new ArrayContains("array_contains", col("alternate_emails"), null, List.of("'a'"),
				List.of("alt.uk@corp.example"));
		assertThat(members(new Not(alt))).containsExactly("us");
	}

	@Test
	void aJoinNeedsOneEventMakingTheWholePredicateTrue() {
		Predicate recentOpen = new And(List.of(new Compare(ev("event_type"), "=", text("open")),
				new Compare(ev("timestamp"), ">", daysAgo(30))));
		assertThat(members(true, recentOpen, null)).containsExactly("uk");
		// Contacts without events never pass an inner join, even with a predicate about
		// contacts only.
		assertThat(members(true, new IsNull(new ContactColumn("c.country", "country"), false), null)).isEmpty();
		assertThat(members(true, null, null)).containsExactlyInAnyOrder("us", "uk");
	}

	@Test
	void havingFiltersEachContactsPassingEvents() {
		String from = "contact_data c JOIN event_data e ON c.contact_id = e.contact_id";
		Predicate opens = new Compare(ev("event_type"), "=", text("open"));
		Query lastOpenLongAgo = new Query(true, "c", from, opens,
				new OracleExpr.Grouping("MAX(e.timestamp)", "last_open", "<", daysAgo(30)), null, new Style(false));
		Query twoEvents = new Query(true, "c", from, null, new OracleExpr.Grouping("COUNT(*)", null, ">=", num(2)),
				null, new Style(false));

		assertThat(OracleEvaluator.members(lastOpenLongAgo, DATA)).containsExactly("us@example.com");
		assertThat(lastOpenLongAgo.dsl()).isEqualTo("SELECT c.contact_id, c.updated_at, MAX(e.timestamp) AS last_open "
				+ "FROM " + from + " WHERE e.event_type = 'open' GROUP BY c.contact_id, c.updated_at "
				+ "HAVING last_open < timestampadd(day, -30, CURRENT_TIMESTAMP)");
		assertThat(OracleEvaluator.members(twoEvents, DATA)).containsExactly("us@example.com");
	}

	@Test
	void notInEventsIncludesContactsWithoutEvents() {
		Predicate opened = new Compare(new EventColumn("event_type", "event_type"), "=", text("open"));
		Predicate recent = new And(
				List.of(opened, new Compare(new EventColumn("timestamp", "timestamp"), ">", daysAgo(30))));
		assertThat(members(new InEvents(col("contact_id"), true, null, recent))).containsExactlyInAnyOrder("us",
				"none");
		assertThat(members(new InEvents(col("contact_id"), false, null, null))).containsExactlyInAnyOrder("us", "uk");
		Predicate exists = new ExistsEvent(true, "x", "c",
				new Compare(new EventColumn("x.event_type", "event_type"), "=", text("click")));
		assertThat(members(exists)).containsExactlyInAnyOrder("none", "uk");
	}

	@Test
	void theParentListRestrictsMembership() {
		assertThat(members(false, null, BETA)).containsExactly("uk");
		assertThat(members(false, new Compare(age(), "<", num(50)), NEWSLETTER)).containsExactly("us");
	}

	@Test
	void printsTheStatementAsQueryDsl() {
		Predicate p = new And(
				List.of(new Or(List.of(new Compare(col("country"), "=", text("O'Brien")), new IsNull(age(), true))),
						new Not(new Compare(age(), ">=", num(3)))));
		Query query = new Query(false, null, "contact_data", p, null, null, new Style(true));
		assertThat(query.dsl()).isEqualTo("select contact_id, updated_at from contact_data where "
				+ "(country = 'O''Brien' or age is not null) and not (age >= 3)");
	}

}
