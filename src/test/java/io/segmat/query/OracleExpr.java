package io.segmat.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The differential test's query tree. Each node prints itself as query_dsl and evaluates
 * itself in memory, straight from the language spec, so the oracle shares nothing with
 * the compiler but the text. Values are String, BigDecimal, Instant or List&lt;String&gt;
 * (arrays); Java null is SQL NULL, and a predicate's null is SQL's unknown.
 * <p>
 * Over 400 lines on purpose: a sealed hierarchy whose nodes are small records, kept in
 * one file so that the oracle's whole semantics (three-valued logic included) reads as
 * one page beside the spec.
 */
sealed interface OracleExpr {

	String dsl(Style style);

	/** How keywords are spelled: the language's keywords are case-insensitive. */
	record Style(boolean lowerKeywords) {

		String kw(String keyword) {
			return this.lowerKeywords ? keyword.toLowerCase(Locale.ROOT) : keyword;
		}

	}

	/** A contact, and the event a join or subquery is looking at (null outside them). */
	record Row(OracleData data, OracleData.Contact contact, OracleData.Event event) {
	}

	sealed interface Value extends OracleExpr {

		Object eval(Row row);

	}

	sealed interface Predicate extends OracleExpr {

		/** TRUE, FALSE or null for unknown. */
		Boolean eval(Row row);

	}

	// ---- values

	record ContactColumn(String printed, String column) implements Value {

		@Override
		public String dsl(Style style) {
			return this.printed;
		}

		@Override
		public Object eval(Row row) {
			return row.contact().column(this.column);
		}

	}

	record CustomColumn(String printed, OracleData.Field field) implements Value {

		@Override
		public String dsl(Style style) {
			return this.printed;
		}

		@Override
		public Object eval(Row row) {
			return row.contact().custom(this.field);
		}

	}

	record EventColumn(String printed, String column) implements Value {

		@Override
		public String dsl(Style style) {
			return this.printed;
		}

		@Override
		public Object eval(Row row) {
			return row.event().column(this.column);
		}

	}

	record DataPath(String printed, List<String> path) implements Value {

		@Override
		public String dsl(Style style) {
			return this.printed;
		}

		@Override
		public Object eval(Row row) {
			return row.event().dataPath(this.path);
		}

	}

	/**
	 * A literal with the exact text it is written as (quoting, TIMESTAMP prefix, NULL).
	 */
	record Literal(String printed, Object value) implements Value {

		@Override
		public String dsl(Style style) {
			return this.printed;
		}

		@Override
		public Object eval(Row row) {
			return this.value;
		}

	}

	record CaseFunction(String name, Value argument) implements Value {

		@Override
		public String dsl(Style style) {
			return this.name + "(" + this.argument.dsl(style) + ")";
		}

		@Override
		public Object eval(Row row) {
			String s = (String) this.argument.eval(row);
			if (s == null) {
				return null;
			}
			return this.name.equalsIgnoreCase("lower") ? s.toLowerCase(Locale.ROOT) : s.toUpperCase(Locale.ROOT);
		}

	}

	record Arithmetic(Value left, String operator, Value right) implements Value {

		@Override
		public String dsl(Style style) {
			return operand(this.left, style) + " " + this.operator + " " + operand(this.right, style);
		}

		private static String operand(Value v, Style style) {
			return v instanceof Arithmetic ? "(" + v.dsl(style) + ")" : v.dsl(style);
		}

		@Override
		public Object eval(Row row) {
			BigDecimal l = (BigDecimal) this.left.eval(row);
			BigDecimal r = (BigDecimal) this.right.eval(row);
			if (l == null || r == null) {
				return null;
			}
			return switch (this.operator) {
				case "+" -> l.add(r);
				case "-" -> l.subtract(r);
				case "*" -> l.multiply(r);
				// SQL's % keeps the dividend's sign, as BigDecimal.remainder does.
				case "%" -> l.remainder(r);
				default -> throw new IllegalStateException(this.operator);
			};
		}

	}

	/**
	 * CURRENT_TIMESTAMP, CURRENT_TIMESTAMP() or NOW(): the run's asOf, never the clock.
	 */
	record Now(String printed) implements Value {

		@Override
		public String dsl(Style style) {
			return this.printed;
		}

		@Override
		public Object eval(Row row) {
			return OracleData.AS_OF;
		}

	}

	/** timestampadd(unit, n, ts) for the fixed-length units. */
	record TimestampAdd(String unit, long amount, Value timestamp) implements Value {

		@Override
		public String dsl(Style style) {
			return "timestampadd(" + this.unit + ", " + this.amount + ", " + this.timestamp.dsl(style) + ")";
		}

		@Override
		public Object eval(Row row) {
			Instant t = (Instant) this.timestamp.eval(row);
			return t == null ? null : t.plusSeconds(this.amount * unitSeconds(this.unit));
		}

	}

	/** ts ± INTERVAL ..., with the interval written in any of the spec's spellings. */
	record IntervalArithmetic(Value timestamp, String operator, String printedInterval, long seconds) implements Value {

		@Override
		public String dsl(Style style) {
			return this.timestamp.dsl(style) + " " + this.operator + " " + this.printedInterval;
		}

		@Override
		public Object eval(Row row) {
			Instant t = (Instant) this.timestamp.eval(row);
			if (t == null) {
				return null;
			}
			return this.operator.equals("+") ? t.plusSeconds(this.seconds) : t.minusSeconds(this.seconds);
		}

	}

	static long unitSeconds(String unit) {
		return switch (unit.toLowerCase(Locale.ROOT)) {
			case "second" -> 1;
			case "minute" -> 60;
			case "hour" -> 3600;
			case "day" -> ChronoUnit.DAYS.getDuration().getSeconds();
			case "week" -> ChronoUnit.WEEKS.getDuration().getSeconds();
			default -> throw new IllegalArgumentException(unit);
		};
	}

	// ---- predicates

	record Compare(Value left, String operator, Value right) implements Predicate {

		@Override
		public String dsl(Style style) {
			return this.left.dsl(style) + " " + this.operator + " " + this.right.dsl(style);
		}

		@Override
		public Boolean eval(Row row) {
			return OracleEvaluator.compare(this.left.eval(row), this.operator, this.right.eval(row));
		}

	}

	record And(List<Predicate> operands) implements Predicate {

		@Override
		public String dsl(Style style) {
			return this.operands.stream().map(p -> nested(p, style)).collect(Collectors.joining(style.kw(" AND ")));
		}

		@Override
		public Boolean eval(Row row) {
			return OracleEvaluator.and(this.operands.stream().map(p -> p.eval(row)).toList());
		}

	}

	record Or(List<Predicate> operands) implements Predicate {

		@Override
		public String dsl(Style style) {
			return this.operands.stream().map(p -> nested(p, style)).collect(Collectors.joining(style.kw(" OR ")));
		}

		@Override
		public Boolean eval(Row row) {
			return OracleEvaluator.or(this.operands.stream().map(p -> p.eval(row)).toList());
		}

	}

	record Not(Predicate operand) implements Predicate {

		@Override
		public String dsl(Style style) {
			// A bare function call needs no parentheses (the spec's NOT
			// array_contains(...)).
			String inner = this.operand instanceof ArrayContains ? this.operand.dsl(style)
					: "(" + this.operand.dsl(style) + ")";
			return style.kw("NOT ") + inner;
		}

		@Override
		public Boolean eval(Row row) {
			return OracleEvaluator.not(this.operand.eval(row));
		}

	}

	private static String nested(Predicate p, Style style) {
		return p instanceof And || p instanceof Or ? "(" + p.dsl(style) + ")" : p.dsl(style);
	}

	record InList(Value value, boolean negated, List<Value> items) implements Predicate {

		@Override
		public String dsl(Style style) {
			return this.value.dsl(style) + (this.negated ? style.kw(" NOT IN (") : style.kw(" IN ("))
					+ this.items.stream().map(i -> i.dsl(style)).collect(Collectors.joining(", ")) + ")";
		}

		@Override
		public Boolean eval(Row row) {
			Object v = this.value.eval(row);
			Boolean in = OracleEvaluator
				.or(this.items.stream().map(i -> OracleEvaluator.compare(v, "=", i.eval(row))).toList());
			return this.negated ? OracleEvaluator.not(in) : in;
		}

	}

	record IsNull(Value value, boolean negated) implements Predicate {

		@Override
		public String dsl(Style style) {
			return this.value.dsl(style) + (this.negated ? style.kw(" IS NOT NULL") : style.kw(" IS NULL"));
		}

		@Override
		public Boolean eval(Row row) {
			return (this.value.eval(row) == null) != this.negated;
		}

	}

	record Like(Value value, boolean negated, boolean caseInsensitive, String pattern,
			String printedPattern) implements Predicate {

		@Override
		public String dsl(Style style) {
			String op = (this.negated ? "NOT " : "") + (this.caseInsensitive ? "ILIKE" : "LIKE");
			return this.value.dsl(style) + " " + style.kw(op) + " " + this.printedPattern;
		}

		@Override
		public Boolean eval(Row row) {
			String v = (String) this.value.eval(row);
			if (v == null) {
				return null;
			}
			boolean matches = OracleEvaluator.like(v, this.pattern, this.caseInsensitive);
			return matches != this.negated;
		}

	}

	record Between(Value value, boolean negated, Value low, Value high) implements Predicate {

		@Override
		public String dsl(Style style) {
			return this.value.dsl(style) + style.kw(this.negated ? " NOT BETWEEN " : " BETWEEN ") + this.low.dsl(style)
					+ style.kw(" AND ") + this.high.dsl(style);
		}

		@Override
		public Boolean eval(Row row) {
			Object v = this.value.eval(row);
			Boolean between = OracleEvaluator
				.and(java.util.Arrays.asList(OracleEvaluator.compare(v, ">=", this.low.eval(row)),
						OracleEvaluator.compare(v, "<=", this.high.eval(row))));
			return this.negated ? OracleEvaluator.not(between) : between;
		}

	}

	/**
	 * array_contains / contains; with a bracketed list ({@code bracketOpen} "[" or
	 * "ARRAY[", null for a single value) it means "holds any of them".
	 */
	record ArrayContains(String function, Value array, String bracketOpen, List<String> printedValues,
			List<String> values) implements Predicate {

		@Override
		public String dsl(Style style) {
			String argument = this.bracketOpen != null ? this.bracketOpen + String.join(", ", this.printedValues) + "]"
					: this.printedValues.get(0);
			return this.function + "(" + this.array.dsl(style) + ", " + argument + ")";
		}

		@SuppressWarnings("unchecked")
		@Override
		public Boolean eval(Row row) {
			List<String> array = (List<String>) this.array.eval(row);
			if (array == null) {
				return null;
			}
			return this.values.stream().anyMatch(array::contains);
		}

	}

	/**
	 * contact_id [NOT] IN (SELECT contact_id FROM event_data [alias] [WHERE ...]). The
	 * subquery's contact_id is never NULL, so the result is never unknown.
	 */
	record InEvents(Value contactId, boolean negated, String alias, Predicate where) implements Predicate {

		@Override
		public String dsl(Style style) {
			String column = this.alias == null ? "contact_id" : this.alias + ".contact_id";
			String from = this.alias == null ? "event_data" : "event_data " + this.alias;
			return this.contactId.dsl(style) + style.kw(this.negated ? " NOT IN (SELECT " : " IN (SELECT ") + column
					+ style.kw(" FROM ") + from
					+ (this.where == null ? "" : style.kw(" WHERE ") + this.where.dsl(style)) + ")";
		}

		@Override
		public Boolean eval(Row row) {
			Set<String> ids = row.data()
				.events()
				.stream()
				.filter(e -> this.where == null
						|| Boolean.TRUE.equals(this.where.eval(new Row(row.data(), row.contact(), e))))
				.map(e -> row.data().contacts().get(e.contact()).id().toString())
				.collect(Collectors.toSet());
			Object id = this.contactId.eval(row);
			return ids.contains(id) != this.negated;
		}

	}

	/**
	 * (ext) [NOT] EXISTS (SELECT 1 FROM event_data a WHERE a.contact_id = c.contact_id
	 * [AND ...]).
	 */
	record ExistsEvent(boolean negated, String alias, String contactAlias, Predicate where) implements Predicate {

		@Override
		public String dsl(Style style) {
			String correlation = this.alias + ".contact_id = " + this.contactAlias + ".contact_id";
			return style
				.kw(this.negated ? "NOT EXISTS (SELECT 1 FROM event_data " : "EXISTS (SELECT 1 FROM event_data ")
					+ this.alias + style.kw(" WHERE ") + correlation
					+ (this.where == null ? "" : style.kw(" AND ") + "(" + this.where.dsl(style) + ")") + ")";
		}

		@Override
		public Boolean eval(Row row) {
			int self = row.data().contacts().indexOf(row.contact());
			boolean exists = row.data()
				.events()
				.stream()
				.filter(e -> e.contact() == self)
				.anyMatch(e -> this.where == null
						|| Boolean.TRUE.equals(this.where.eval(new Row(row.data(), row.contact(), e))));
			return exists != this.negated;
		}

	}

	// ---- the statement

	/**
	 * A whole query_dsl statement. With a join, a contact is a member when some event of
	 * its own makes the WHERE true; without one, when the WHERE is true for the contact
	 * itself.
	 */
	record Query(boolean join, String contactAlias, String from, Predicate where, Grouping grouping, UUID parentList,
			Style style) implements OracleExpr {

		/**
		 * The statement; {@code from} is the FROM clause's text (table, alias, join) as
		 * generated.
		 */
		@Override
		public String dsl(Style ignored) {
			String c = this.contactAlias == null ? "" : this.contactAlias + ".";
			String select = this.style.kw("SELECT ") + c + "contact_id, " + c + "updated_at"
					+ (this.grouping == null ? "" : this.grouping.selectItem(this.style));
			return select + this.style.kw(" FROM ") + this.from
					+ (this.where == null ? "" : this.style.kw(" WHERE ") + this.where.dsl(this.style))
					+ (this.grouping == null ? "" : this.grouping.dsl(this.style));
		}

		String dsl() {
			return dsl(this.style);
		}

	}

	/**
	 * (ext, spec §6) GROUP BY the contact with a HAVING over its joined events that
	 * passed the WHERE: COUNT(*), COUNT(DISTINCT e.event_type), MAX(e.timestamp) or
	 * MIN(e.timestamp), optionally through an alias defined in the select list.
	 */
	record Grouping(String aggregate, String alias, String operator, Value bound) implements OracleExpr {

		String selectItem(Style style) {
			return this.alias == null ? "" : ", " + this.aggregate + style.kw(" AS ") + this.alias;
		}

		@Override
		public String dsl(Style style) {
			return style.kw(" GROUP BY ") + "c.contact_id, c.updated_at" + style.kw(" HAVING ")
					+ (this.alias == null ? this.aggregate : this.alias) + " " + this.operator + " "
					+ this.bound.dsl(style);
		}

		/**
		 * The HAVING over a contact's events that passed the WHERE (never empty: no group
		 * otherwise).
		 */
		Boolean eval(Row row, List<OracleData.Event> events) {
			String function = this.aggregate.substring(0, this.aggregate.indexOf('(')).toUpperCase(Locale.ROOT);
			Object value = switch (function) {
				case "COUNT" -> this.aggregate.toUpperCase(Locale.ROOT).contains("DISTINCT")
						? BigDecimal.valueOf(events.stream().map(OracleData.Event::type).distinct().count())
						: BigDecimal.valueOf(events.size());
				case "MAX" -> events.stream().map(OracleData.Event::occurredAt).max(Instant::compareTo).orElseThrow();
				case "MIN" -> events.stream().map(OracleData.Event::occurredAt).min(Instant::compareTo).orElseThrow();
				default -> throw new IllegalStateException(this.aggregate);
			};
			return OracleEvaluator.compare(value, this.operator, this.bound.eval(row));
		}

	}

	/** The pattern's regex: % any run, _ one character, everything else literal. */
	static Pattern likePattern(String pattern, boolean caseInsensitive) {
		StringBuilder regex = new StringBuilder();
		pattern.codePoints().forEach(cp -> {
			if (cp == '%') {
				regex.append(".*");
			}
			else if (cp == '_') {
				regex.append('.');
			}
			else {
				regex.append(Pattern.quote(new String(Character.toChars(cp))));
			}
		});
		return Pattern.compile(regex.toString(),
				Pattern.DOTALL | (caseInsensitive ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0));
	}

}
