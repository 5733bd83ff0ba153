package io.segmat.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.segmat.query.OracleExpr.And;
import io.segmat.query.OracleExpr.ArrayContains;
import io.segmat.query.OracleExpr.Arithmetic;
import io.segmat.query.OracleExpr.Between;
import io.segmat.query.OracleExpr.CaseFunction;
import io.segmat.query.OracleExpr.Compare;
import io.segmat.query.OracleExpr.ContactColumn;
import io.segmat.query.OracleExpr.CustomColumn;
import io.segmat.query.OracleExpr.DataPath;
import io.segmat.query.OracleExpr.EventColumn;
import io.segmat.query.OracleExpr.ExistsEvent;
import io.segmat.query.OracleExpr.InEvents;
import io.segmat.query.OracleExpr.InList;
import io.segmat.query.OracleExpr.IntervalArithmetic;
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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Valid query_dsl statements over {@link OracleData}'s vocabulary, as {@link OracleExpr}
 * trees. Literals are drawn mostly from the values contacts hold (so predicates select
 * something) and sometimes from values nobody holds; every spelling the spec allows for a
 * construct is used.
 * <p>
 * Over 400 lines on purpose: one generator per grammar production, side by side, so that
 * a reader checks the generated language against the spec in one place.
 */
final class DifferentialQueryGenerator {

	private DifferentialQueryGenerator() {
	}

	/**
	 * Which tables a predicate sees and how it writes their columns. A null qualifier
	 * means the table is not visible; "" means unqualified columns. {@code contactAlias}
	 * enables correlated EXISTS; {@code subqueries} whether event subqueries may appear
	 * (not inside one).
	 */
	record Scope(String contact, String event, String contactAlias, String subqueryAlias, boolean subqueries) {
	}

	private static final int DEPTH = 3;

	static Arbitrary<Query> queries() {
		return Arbitraries.frequencyOf(Tuple.of(3, plainQueries()), Tuple.of(2, joinQueries()));
	}

	private static Arbitrary<Query> plainQueries() {
		record Shape(String alias, String from, String qualifier) {
		}
		Arbitrary<Shape> shape = Arbitraries.of(new Shape(null, "contact_data", ""),
				new Shape("c", "contact_data c", "c."), new Shape("c", "contact_data AS c", ""));
		return shape.flatMap(s -> query(false, s.alias(), Arbitraries.just(s.from()),
				new Scope(s.qualifier(), null, s.alias(), "e2", true)));
	}

	private static Arbitrary<Query> joinQueries() {
		Arbitrary<String> from = Arbitraries.of("contact_data c JOIN event_data e ON c.contact_id = e.contact_id",
				"contact_data AS c INNER JOIN event_data AS e ON e.contact_id = c.contact_id");
		return query(true, "c", from, new Scope("c.", "e.", "c", "e2", true));
	}

	private static Arbitrary<Query> query(boolean join, String alias, Arbitrary<String> from, Scope scope) {
		Arbitrary<Predicate> where = predicate(scope, DEPTH).injectNull(0.08);
		Arbitrary<UUID> parent = Arbitraries.of(OracleData.LISTS).injectNull(0.75);
		Arbitrary<Style> style = Arbitraries.of(false, false, false, true).map(Style::new);
		Arbitrary<OracleExpr.Grouping> grouping = join ? grouping().injectNull(0.8) : Arbitraries.just(null);
		return Combinators.combine(from, where, grouping, parent, style)
			.as((f, w, g, p, s) -> new Query(join, alias, f, w, g, p, s));
	}

	private static Arbitrary<OracleExpr.Grouping> grouping() {
		Arbitrary<OracleExpr.Grouping> counts = Combinators
			.combine(Arbitraries.of("COUNT(*)", "count(*)", "COUNT(DISTINCT e.event_type)"),
					Arbitraries.of(">=", ">", "=", "<"), Arbitraries.integers().between(1, 4))
			.as((agg, op, n) -> new OracleExpr.Grouping(agg, null, op, numberLiteral(BigDecimal.valueOf(n), false)));
		Arbitrary<OracleExpr.Grouping> times = Combinators
			.combine(Arbitraries.of("MAX(e.timestamp)", "MIN(e.timestamp)", "max(e.event_timestamp)"),
					Arbitraries.of("last_open").injectNull(0.5), Arbitraries.of("<", "<=", ">", ">="),
					timestampLiterals())
			// Only MAX may be named in the select list (the spec's "last event" form).
			.as((agg, as, op, bound) -> new OracleExpr.Grouping(agg,
					agg.toUpperCase(Locale.ROOT).startsWith("MAX") ? as : null, op, bound));
		return Arbitraries.oneOf(counts, times);
	}

	static Arbitrary<Predicate> predicate(Scope scope, int depth) {
		Arbitrary<Predicate> leaf = leaf(scope);
		if (depth == 0) {
			return leaf;
		}
		Arbitrary<Predicate> sub = Arbitraries.lazy(() -> predicate(scope, depth - 1));
		return Arbitraries.frequencyOf(Tuple.of(5, leaf),
				Tuple.of(2, sub.list().ofMinSize(2).ofMaxSize(3).map(ps -> (Predicate) new And(ps))),
				Tuple.of(2, sub.list().ofMinSize(2).ofMaxSize(3).map(ps -> (Predicate) new Or(ps))),
				Tuple.of(1, sub.map(p -> (Predicate) new Not(p))));
	}

	@SuppressWarnings("unchecked")
	private static Arbitrary<Predicate> leaf(Scope scope) {
		List<Tuple2<Integer, Arbitrary<Predicate>>> choices = new ArrayList<>();
		if (scope.contact() != null) {
			choices.add(Tuple.of(4, textComparison(contactText(scope))));
			choices.add(Tuple.of(3, numberComparison(scope)));
			choices.add(Tuple.of(3, timestampComparison(contactTimestamp(scope), scope)));
			choices.add(Tuple.of(2, inList(scope)));
			choices.add(Tuple.of(2, isNull(contactNullable(scope))));
			choices.add(Tuple.of(2, like(contactText(scope))));
			choices.add(Tuple.of(2, between(scope)));
			choices.add(Tuple.of(3, arrayContains(scope)));
			if (scope.subqueries()) {
				choices.add(Tuple.of(2, inEvents(scope)));
				if (scope.contactAlias() != null) {
					choices.add(Tuple.of(1, existsEvent(scope)));
				}
			}
		}
		if (scope.event() != null) {
			int weight = scope.contact() == null ? 1 : 2;
			choices.add(Tuple.of(4 * weight, textComparison(eventText(scope))));
			choices.add(Tuple.of(3 * weight, timestampComparison(eventTimestamp(scope), scope)));
			choices.add(Tuple.of(weight, eventTypeIn(scope)));
			choices.add(Tuple.of(weight, isNull(eventNullable(scope))));
			choices.add(Tuple.of(weight, like(eventText(scope))));
		}
		return Arbitraries.frequencyOf(choices.toArray(new Tuple2[0]));
	}

	// ---- targets: a value expression with the literals worth comparing it with

	/**
	 * A text-valued expression and literals worth comparing it with (found and not
	 * found).
	 */
	private record TextTarget(Value value, Arbitrary<String> literals) {
	}

	private static Arbitrary<TextTarget> contactText(Scope scope) {
		String q = scope.contact();
		Arbitrary<TextTarget> email = Combinators
			.combine(Arbitraries.of(OracleData.LOCAL_PARTS), Arbitraries.integers().between(0, 40),
					Arbitraries.of(OracleData.DOMAINS))
			.as((l, i, d) -> l + i + "@" + d)
			.flatMap(e -> reserved(q, "email").map(v -> new TextTarget(v, Arbitraries.of(e))));
		Arbitrary<TextTarget> contactId = reserved(q, "contact_id").map(v -> new TextTarget(v,
				Arbitraries.integers().between(0, 250).map(i -> OracleData.contactId(i).toString())));
		return Arbitraries.frequencyOf(Tuple.of(3, caseable(reserved(q, "first_name"), OracleData.FIRST_NAMES)),
				Tuple.of(2, caseable(reserved(q, "last_name"), OracleData.LAST_NAMES)),
				Tuple.of(3, caseable(reserved(q, "country"), OracleData.COUNTRIES)),
				Tuple.of(2, caseable(reserved(q, "city"), OracleData.CITIES)),
				Tuple.of(2, plain(reserved(q, "postal_code"), OracleData.POSTAL_CODES)),
				Tuple.of(1, plain(reserved(q, "state_province_region"), OracleData.STATES)),
				Tuple.of(3, caseable(custom(q, OracleData.PLAN), OracleData.PLANS)),
				Tuple.of(2, caseable(custom(q, OracleData.TIER), OracleData.TIERS)), Tuple.of(1, email),
				Tuple.of(1, contactId));
	}

	private static Arbitrary<TextTarget> plain(Arbitrary<Value> value, List<String> pool) {
		return value.map(v -> new TextTarget(v, textLiterals(pool)));
	}

	/** The column itself or lower()/upper() of it, with literals in the matching case. */
	private static Arbitrary<TextTarget> caseable(Arbitrary<Value> value, List<String> pool) {
		Arbitrary<String> function = Arbitraries.of("lower", "LOWER", "upper", "Upper");
		return Arbitraries.frequencyOf(Tuple.of(3, plain(value, pool)),
				Tuple.of(1, Combinators.combine(value, function).as((v, f) -> {
					boolean lower = f.equalsIgnoreCase("lower");
					List<String> cased = pool.stream()
						.map(s -> lower ? s.toLowerCase(Locale.ROOT) : s.toUpperCase(Locale.ROOT))
						.toList();
					return new TextTarget(new CaseFunction(f, v), textLiterals(cased));
				})));
	}

	private static Arbitrary<String> textLiterals(List<String> pool) {
		return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(pool)), Tuple.of(1, Arbitraries.of("zzz", "Nobody")));
	}

	private static Arbitrary<TextTarget> eventText(Scope scope) {
		String q = scope.event();
		return Arbitraries.frequencyOf(Tuple.of(4, eventColumn(q, "event_type", OracleData.EVENT_TYPES, "spamreport")),
				Tuple.of(1, eventColumn(q, "event_source", List.of("mail"), "api")),
				Tuple.of(2,
						eventColumn(q, "singlesend_id", OracleData.SINGLESENDS,
								"79cb9e86-830c-71c2-cdcc-69292f45e678")),
				Tuple.of(1, eventColumn(q, "url", OracleData.URLS, "https://nowhere.test/")),
				Tuple.of(3, dataPath(q, "payload.unique_args.singlesend_id", OracleData.SINGLESENDS)),
				Tuple.of(1, dataPath(q, "payload.singlesend_id", OracleData.SINGLESENDS)),
				Tuple.of(1, dataPath(q, "payload.unique_args.campaign", OracleData.CAMPAIGNS)),
				Tuple.of(1, dataPath(q, "payload.url", OracleData.URLS)),
				Tuple.of(1, dataPath(q, "payload.event", OracleData.EVENT_TYPES)),
				Tuple.of(1, dataPath(q, "payload.unique_args.missing", List.of("x"))));
	}

	private static Arbitrary<TextTarget> eventColumn(String q, String column, List<String> pool, String miss) {
		Arbitrary<String> literals = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(pool)),
				Tuple.of(1, Arbitraries.just(miss)));
		return spelled(column).map(c -> new TextTarget(new EventColumn(q + c, column), literals));
	}

	private static Arbitrary<TextTarget> dataPath(String q, String path, List<String> pool) {
		List<String> segments = List.of(path.split("\\."));
		return Arbitraries.of("DATA", "data")
			.map(d -> new TextTarget(new DataPath(q + d + ":" + path, segments), textLiterals(pool)));
	}

	private static Arbitrary<Value> reserved(String qualifier, String column) {
		return spelled(column).map(c -> new ContactColumn(qualifier + c, column));
	}

	/** Column names are case-insensitive: mostly as documented, sometimes upper-case. */
	private static Arbitrary<String> spelled(String column) {
		return Arbitraries.of(column, column, column, column.toUpperCase(Locale.ROOT));
	}

	/** A custom field by name, bare in any case, double-quoted or back-quoted. */
	private static Arbitrary<Value> custom(String qualifier, OracleData.Field field) {
		String name = field.name();
		return Arbitraries
			.of(name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT), "\"" + name + "\"",
					"`" + name + "`")
			.map(n -> new CustomColumn(qualifier + n, field));
	}

	private static Arbitrary<Value> contactTimestamp(Scope scope) {
		return Arbitraries.frequencyOf(Tuple.of(2, reserved(scope.contact(), "created_at")),
				Tuple.of(1, reserved(scope.contact(), "updated_at")),
				Tuple.of(3, custom(scope.contact(), OracleData.SIGNUP_DATE)));
	}

	private static Arbitrary<Value> eventTimestamp(Scope scope) {
		return Arbitraries.of("timestamp", "timestamp", "event_timestamp", "TIMESTAMP")
			.map(c -> new EventColumn(scope.event() + c, "timestamp"));
	}

	private static Arbitrary<Value> number(Scope scope) {
		Arbitrary<Value> column = Arbitraries.oneOf(custom(scope.contact(), OracleData.AGE),
				custom(scope.contact(), OracleData.LIFETIME_VALUE));
		Arbitrary<Value> arithmetic = Combinators
			.combine(column, Arbitraries.of("+", "-", "*", "%"), Arbitraries.integers().between(1, 7))
			.as((c, op, n) -> new Arithmetic(c, op, numberLiteral(BigDecimal.valueOf(n), false)));
		Arbitrary<Value> nested = Combinators
			.combine(arithmetic, Arbitraries.of("+", "*"), Arbitraries.of(new BigDecimal("2"), new BigDecimal("0.5")))
			.as((a, op, n) -> new Arithmetic(a, op, numberLiteral(n, false)));
		return Arbitraries.frequencyOf(Tuple.of(5, column), Tuple.of(2, arithmetic), Tuple.of(1, nested));
	}

	private static Arbitrary<Value> numberLiterals() {
		Arbitrary<BigDecimal> values = Arbitraries.frequencyOf(
				Tuple.of(3, Arbitraries.integers().between(-10, 80).map(BigDecimal::valueOf)),
				Tuple.of(2, Arbitraries.of(OracleData.LIFETIME_VALUES).map(BigDecimal::new)));
		// A quoted number is allowed where it converts cleanly (spec §5).
		return Combinators.combine(values, Arbitraries.of(false, false, false, false, true))
			.as(DifferentialQueryGenerator::numberLiteral);
	}

	private static Value numberLiteral(BigDecimal value, boolean quoted) {
		String text = value.toPlainString();
		return new Literal(quoted ? "'" + text + "'" : text, value);
	}

	private static Arbitrary<Value> timestampLiterals() {
		return timestampLiterals(true);
	}

	/**
	 * Timestamps to compare with. JSqlParser 5.3 cannot read timestampadd(...) as a
	 * BETWEEN bound (even parenthesized), so BETWEEN asks for the other forms.
	 */
	private static Arbitrary<Value> timestampLiterals(boolean timestampAdd) {
		Arbitrary<Instant> instants = Combinators
			.combine(Arbitraries.integers().between(-5, 400), Arbitraries.integers().between(0, 86399))
			.as((days, seconds) -> OracleData.AS_OF.minusSeconds(days * 86400L + seconds));
		Arbitrary<Value> iso = Combinators.combine(instants, Arbitraries.of("TIMESTAMP ", "timestamp ", ""))
			.as((i, prefix) -> new Literal(prefix + "'" + i + "'", i));
		Arbitrary<Value> date = instants.map(i -> {
			LocalDate day = i.atZone(ZoneOffset.UTC).toLocalDate();
			return new Literal("'" + day + "'", day.atStartOfDay().toInstant(ZoneOffset.UTC));
		});
		Arbitrary<Value> now = Arbitraries
			.of("CURRENT_TIMESTAMP", "current_timestamp", "CURRENT_TIMESTAMP()", "NOW()", "now()")
			.map(Now::new);
		Arbitrary<String> unit = Arbitraries.of("second", "minute", "hour", "day", "day", "day", "week");
		Arbitrary<Value> added = Combinators.combine(unit, Arbitraries.integers().between(-120, 10), now)
			.as((u, n, base) -> new TimestampAdd(u, n, base));
		Arbitrary<Value> interval = Combinators
			.combine(now, Arbitraries.of("-", "-", "+"), Arbitraries.of("hour", "day", "day", "week"),
					Arbitraries.integers().between(0, 120), Arbitraries.integers().between(0, 2))
			.as((base, op, u, n, form) -> new IntervalArithmetic(base, op, interval(u, n, form),
					n * OracleExpr.unitSeconds(u)));
		return Arbitraries.frequencyOf(Tuple.of(3, iso), Tuple.of(1, date), Tuple.of(1, now),
				Tuple.of(timestampAdd ? 3 : 0, added), Tuple.of(2, interval));
	}

	/**
	 * The spec's three interval spellings: INTERVAL 10 DAY, INTERVAL '10' DAY, INTERVAL
	 * '10 days'.
	 */
	private static String interval(String unit, int n, int form) {
		return switch (form) {
			case 0 -> "INTERVAL " + n + " " + unit.toUpperCase(Locale.ROOT);
			case 1 -> "INTERVAL '" + n + "' " + unit.toUpperCase(Locale.ROOT);
			default -> "INTERVAL '" + n + " " + unit + "s'";
		};
	}

	// ---- predicates

	private static final List<String> OPERATORS = List.of("=", "!=", "<>", "<", "<=", ">", ">=");

	private static Arbitrary<String> operators() {
		return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just("=")), Tuple.of(3, Arbitraries.of(OPERATORS)));
	}

	private static Arbitrary<Predicate> textComparison(Arbitrary<TextTarget> targets) {
		return targets.flatMap(
				t -> Combinators
					.combine(operators(), t.literals(), Arbitraries.of(false, false, false, false, false, true),
							Arbitraries.of(false, false, false, true))
					.as((op, lit, reversed, backslash) -> {
						Value literal = textLiteral(lit, backslash);
						return (Predicate) (reversed ? new Compare(literal, op, t.value())
								: new Compare(t.value(), op, literal));
					}));
	}

	static Value textLiteral(String value) {
		return textLiteral(value, false);
	}

	/**
	 * A string literal with a quote inside doubled, or backslash-escaped as SendGrid also
	 * accepts.
	 */
	static Value textLiteral(String value, boolean backslash) {
		return new Literal("'" + value.replace("'", backslash ? "\\'" : "''") + "'", value);
	}

	private static Arbitrary<Predicate> numberComparison(Scope scope) {
		Arbitrary<Value> right = Arbitraries.frequencyOf(Tuple.of(6, numberLiterals()), Tuple.of(1, number(scope)));
		return Combinators.combine(number(scope), operators(), right).as((l, op, r) -> new Compare(l, op, r));
	}

	private static Arbitrary<Predicate> timestampComparison(Arbitrary<Value> left, Scope scope) {
		Arbitrary<Value> shifted = Combinators
			.combine(left, Arbitraries.of("+", "-"), Arbitraries.integers().between(1, 30))
			.as((v, op, n) -> new IntervalArithmetic(v, op, interval("day", n, n % 3), n * 86400L));
		Arbitrary<Value> lhs = Arbitraries.frequencyOf(Tuple.of(6, left), Tuple.of(1, shifted));
		Arbitrary<Value> otherColumn = scope.contact() != null ? contactTimestamp(scope) : eventTimestamp(scope);
		Arbitrary<Value> rhs = Arbitraries.frequencyOf(Tuple.of(8, timestampLiterals()), Tuple.of(1, otherColumn));
		Arbitrary<String> ops = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of("<", "<=", ">", ">=")),
				Tuple.of(1, Arbitraries.of("=", "!=")));
		return Combinators.combine(lhs, ops, rhs).as((l, op, r) -> new Compare(l, op, r));
	}

	private static Arbitrary<Predicate> between(Scope scope) {
		Arbitrary<Predicate> numbers = Combinators
			.combine(number(scope), Arbitraries.of(false, false, true), numberLiterals(), numberLiterals())
			.as((v, not, lo, hi) -> new Between(v, not, lo, hi));
		Arbitrary<Predicate> timestamps = Combinators
			.combine(contactTimestamp(scope), Arbitraries.of(false, false, true), timestampLiterals(false),
					timestampLiterals(false))
			.as((v, not, lo, hi) -> new Between(v, not, lo, hi));
		return Arbitraries.oneOf(numbers, timestamps);
	}

	/**
	 * [NOT] IN over text or numbers; sometimes with a NULL item, which makes NOT IN never
	 * true.
	 */
	private static Arbitrary<Predicate> inList(Scope scope) {
		Arbitrary<Value> nullItem = Arbitraries.of("NULL", "null").map(n -> new Literal(n, null));
		Arbitrary<Predicate> texts = contactText(scope).flatMap(t -> {
			Arbitrary<Value> items = Arbitraries.frequencyOf(
					Tuple.of(12, t.literals().map(DifferentialQueryGenerator::textLiteral)), Tuple.of(1, nullItem));
			return Combinators.combine(Arbitraries.of(false, true), items.list().ofMinSize(1).ofMaxSize(4))
				.as((not, is) -> new InList(t.value(), not, is));
		});
		Arbitrary<Value> numberItems = Arbitraries.frequencyOf(Tuple.of(12, numberLiterals()), Tuple.of(1, nullItem));
		Arbitrary<Predicate> numbers = Combinators
			.combine(number(scope), Arbitraries.of(false, true), numberItems.list().ofMinSize(1).ofMaxSize(4))
			.as((v, not, is) -> new InList(v, not, is));
		return Arbitraries.frequencyOf(Tuple.of(3, texts), Tuple.of(1, numbers));
	}

	private static Arbitrary<Predicate> eventTypeIn(Scope scope) {
		return Combinators.combine(eventColumn(scope.event(), "event_type", OracleData.EVENT_TYPES, "spamreport"),
				Arbitraries.of(false, true), Arbitraries.of(OracleData.EVENT_TYPES).list().ofMinSize(1).ofMaxSize(3))
			.as((t, not, types) -> new InList(t.value(), not,
					types.stream().map(DifferentialQueryGenerator::textLiteral).toList()));
	}

	private static Arbitrary<Value> contactNullable(Scope scope) {
		String q = scope.contact();
		return Arbitraries.oneOf(reserved(q, "first_name"), reserved(q, "last_name"), reserved(q, "country"),
				reserved(q, "city"), reserved(q, "postal_code"), reserved(q, "state_province_region"),
				reserved(q, "alternate_emails"), reserved(q, "email"), custom(q, OracleData.PLAN),
				custom(q, OracleData.AGE), custom(q, OracleData.LIFETIME_VALUE), custom(q, OracleData.SIGNUP_DATE),
				custom(q, OracleData.TIER));
	}

	private static Arbitrary<Value> eventNullable(Scope scope) {
		return Arbitraries.oneOf(eventColumn(scope.event(), "singlesend_id", List.of(), "").map(TextTarget::value),
				eventColumn(scope.event(), "url", List.of(), "").map(TextTarget::value),
				dataPath(scope.event(), "payload.unique_args.singlesend_id", List.of()).map(TextTarget::value),
				dataPath(scope.event(), "payload.unique_args.campaign", List.of()).map(TextTarget::value),
				dataPath(scope.event(), "payload.url", List.of()).map(TextTarget::value));
	}

	private static Arbitrary<Predicate> isNull(Arbitrary<Value> values) {
		return Combinators.combine(values, Arbitraries.of(false, true)).as((v, not) -> new IsNull(v, not));
	}

	/**
	 * Patterns cut from values contacts hold: prefix%, %suffix, %middle%, _ for a
	 * character.
	 */
	private static Arbitrary<Predicate> like(Arbitrary<TextTarget> targets) {
		return targets.flatMap(t -> Combinators
			.combine(t.literals(), Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 3),
					Arbitraries.of(false, false, true), Arbitraries.of(false, false, false, false, true))
			.as((value, shape, cut, not, ilike) -> {
				String pattern = pattern(value, shape, cut);
				return (Predicate) new Like(t.value(), not, ilike, pattern, textLiteral(pattern).dsl(new Style(false)));
			}));
	}

	private static String pattern(String value, int shape, int cut) {
		int n = Math.min(cut, value.length());
		return switch (shape) {
			case 0 -> value.substring(0, value.length() - n) + "%";
			case 1 -> "%" + value.substring(n);
			case 2 -> "%" + value.substring(Math.min(1, value.length()),
					Math.max(Math.min(1, value.length()), value.length() - n)) + "%";
			case 3 ->
				value.isEmpty() ? "_" : value.substring(0, n) + "_" + value.substring(Math.min(n + 1, value.length()));
			case 4 -> "%";
			default -> value;
		};
	}

	private static Arbitrary<Predicate> arrayContains(Scope scope) {
		String q = scope.contact();
		Arbitrary<String> lists = Arbitraries.of(OracleData.LISTS).map(UUID::toString);
		Arbitrary<String> domains = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(OracleData.DOMAINS)),
				Tuple.of(1, Arbitraries.just("nowhere.test")));
		Arbitrary<String> alternates = Combinators
			.combine(Arbitraries.of(OracleData.LOCAL_PARTS), Arbitraries.integers().between(0, 30),
					Arbitraries.of(OracleData.DOMAINS), Arbitraries.of(OracleData.DOMAINS))
			.as((l, i, d1, d2) -> "alt." + l + i + "." + d1 + "@" + d2);
		return Arbitraries.frequencyOf(Tuple.of(4, arrayContains(reserved(q, "list_ids"), lists)),
				Tuple.of(2, arrayContains(reserved(q, "email_domains"), domains)),
				Tuple.of(1, arrayContains(reserved(q, "alternate_emails"), alternates)));
	}

	private static Arbitrary<Predicate> arrayContains(Arbitrary<Value> array, Arbitrary<String> values) {
		Arbitrary<String> function = Arbitraries.of("array_contains", "array_contains", "ARRAY_CONTAINS", "contains");
		Arbitrary<String> bracket = Arbitraries.of("[", "[", "ARRAY[", "array[").injectNull(0.5);
		return Combinators.combine(array, function, bracket, values.list().ofMinSize(1).ofMaxSize(3))
			.as((a, f, open, vs) -> {
				// contains() is SendGrid v1's single-value form only.
				String b = f.equals("contains") ? null : open;
				List<String> used = b == null ? vs.subList(0, 1) : vs;
				List<String> printed = used.stream().map(v -> textLiteral(v).dsl(new Style(false))).toList();
				return new ArrayContains(f, a, b, printed, used);
			});
	}

	private static Arbitrary<Predicate> inEvents(Scope scope) {
		Arbitrary<String> alias = scope.event() != null ? Arbitraries.just(scope.subqueryAlias())
				: Arbitraries.of(scope.subqueryAlias()).injectNull(0.5);
		return alias.flatMap(a -> {
			Scope inner = new Scope(null, a == null ? "" : a + ".", null, null, false);
			return Combinators
				.combine(reserved(scope.contact(), "contact_id"), Arbitraries.of(false, true),
						predicate(inner, 1).injectNull(0.15))
				.as((id, not, where) -> new InEvents(id, not, a, where));
		});
	}

	private static Arbitrary<Predicate> existsEvent(Scope scope) {
		Scope inner = new Scope(null, "x.", null, null, false);
		return Combinators.combine(Arbitraries.of(false, true), predicate(inner, 1).injectNull(0.2))
			.as((not, where) -> new ExistsEvent(not, "x", scope.contactAlias(), where));
	}

}
