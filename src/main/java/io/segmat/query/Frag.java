package io.segmat.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A compiled piece of SQL with its parameters in order, its type, the event aliases it reads,
 * and, for a literal, its value so that it can still be converted for the other side of a
 * comparison or folded at compile time.
 */
record Frag(String sql, List<Object> params, Type type, Set<String> events, Object constant, boolean aggregate) {

	enum Type {

		TEXT("text"), NUMBER("number"), TIMESTAMP("timestamp"), BOOLEAN("boolean"), INTERVAL("interval"),
		TEXT_ARRAY("text array"), LIST_IDS("list_ids"), NULL("NULL"), LIST("value list");

		final String label;

		Type(String label) {
			this.label = label;
		}

	}

	/** A constant interval: amount of one unit. */
	record Interval(long amount, String unit) {

		String text() {
			return this.amount + " " + this.unit;
		}

	}

	/** A constant list of values, from ['a','b'] or ARRAY['a','b']. */
	record Values(List<Frag> items) {
	}

	static final Object NULL_CONSTANT = new Object() {
		@Override
		public String toString() {
			return "NULL";
		}
	};

	static Frag of(String sql, Type type) {
		return new Frag(sql, List.of(), type, Set.of(), null, false);
	}

	static Frag text(String value) {
		return new Frag("?::text", List.of(value), Type.TEXT, Set.of(), value, false);
	}

	static Frag number(BigDecimal value) {
		return new Frag("?::numeric", List.of(value), Type.NUMBER, Set.of(), value, false);
	}

	static Frag timestamp(Instant value) {
		return new Frag("?::timestamptz", List.of(java.time.OffsetDateTime.ofInstant(value, java.time.ZoneOffset.UTC)),
				Type.TIMESTAMP, Set.of(), value, false);
	}

	static Frag bool(boolean value) {
		return new Frag("?::boolean", List.of(value), Type.BOOLEAN, Set.of(), value, false);
	}

	static Frag interval(Interval value) {
		return new Frag("?::interval", List.of(value.text()), Type.INTERVAL, Set.of(), value, false);
	}

	static Frag nullValue() {
		return new Frag("NULL", List.of(), Type.NULL, Set.of(), NULL_CONSTANT, false);
	}

	boolean isConstant() {
		return this.constant != null;
	}

	boolean isStringLiteral() {
		return this.constant instanceof String;
	}

	Frag withType(Type newType) {
		return new Frag(this.sql, this.params, newType, this.events, this.constant, this.aggregate);
	}

	/** Joins parts into one fragment: Strings are SQL text, Frags contribute SQL and parameters. */
	static Frag compose(Type type, Object... parts) {
		StringBuilder sql = new StringBuilder();
		List<Object> params = new ArrayList<>();
		Set<String> events = new HashSet<>();
		boolean aggregate = false;
		for (Object part : parts) {
			if (part instanceof Frag frag) {
				sql.append(frag.sql());
				params.addAll(frag.params());
				events.addAll(frag.events());
				aggregate |= frag.aggregate();
			}
			else if (part instanceof Param param) {
				sql.append(param.sql());
				params.add(param.value());
			}
			else {
				sql.append((String) part);
			}
		}
		return new Frag(sql.toString(), params, type, events, null, aggregate);
	}

	/** A bound parameter written as {@code sql} (e.g. "?::uuid[]"). */
	record Param(String sql, Object value) {
	}

	Frag markAggregate() {
		return new Frag(this.sql, this.params, this.type, this.events, this.constant, true);
	}

	Frag withEvents(Set<String> more) {
		Set<String> all = new HashSet<>(this.events);
		all.addAll(more);
		return new Frag(this.sql, this.params, this.type, all, this.constant, this.aggregate);
	}

}
