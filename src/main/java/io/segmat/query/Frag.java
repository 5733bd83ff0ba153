package io.segmat.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A compiled piece of SQL with its parameters in order, its type, the event aliases it
 * reads, and, for a literal, its value so that it can still be converted for the other
 * side of a comparison or folded at compile time.
 */
record Frag(String sql, List<Object> params, Type type, Set<String> events, Object constant, boolean aggregate,
		Clock clock) {

	/**
	 * How a value depends on CURRENT_TIMESTAMP. A refresh may re-evaluate only the
	 * contacts whose values a MONOTONE bound swept past since the last run; anything else
	 * that reads the clock (OPAQUE) forces a full evaluation.
	 */
	enum Clock {

		/** Does not read the clock. */
		NONE,
		/** Reads the clock only through functions that never decrease as time passes. */
		MONOTONE,
		/**
		 * Reads the clock in a way whose change over time is not bounded by an interval.
		 */
		OPAQUE;

		Clock join(Clock other) {
			return (this == NONE && other == NONE) ? NONE : OPAQUE;
		}

	}

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
		return new Frag(sql, List.of(), type, Set.of(), null, false, Clock.NONE);
	}

	static Frag text(String value) {
		return new Frag("?::text", List.of(value), Type.TEXT, Set.of(), value, false, Clock.NONE);
	}

	static Frag number(BigDecimal value) {
		return new Frag("?::numeric", List.of(value), Type.NUMBER, Set.of(), value, false, Clock.NONE);
	}

	static Frag timestamp(Instant value) {
		return new Frag("?::timestamptz", List.of(java.time.OffsetDateTime.ofInstant(value, java.time.ZoneOffset.UTC)),
				Type.TIMESTAMP, Set.of(), value, false, Clock.NONE);
	}

	static Frag bool(boolean value) {
		return new Frag("?::boolean", List.of(value), Type.BOOLEAN, Set.of(), value, false, Clock.NONE);
	}

	static Frag interval(Interval value) {
		return new Frag("?::interval", List.of(value.text()), Type.INTERVAL, Set.of(), value, false, Clock.NONE);
	}

	static Frag nullValue() {
		return new Frag("NULL", List.of(), Type.NULL, Set.of(), NULL_CONSTANT, false, Clock.NONE);
	}

	boolean isConstant() {
		return this.constant != null;
	}

	boolean isStringLiteral() {
		return this.constant instanceof String;
	}

	/**
	 * Joins parts into one fragment: Strings are SQL text, Frags contribute SQL and
	 * parameters.
	 */
	static Frag compose(Type type, Object... parts) {
		StringBuilder sql = new StringBuilder();
		List<Object> params = new ArrayList<>();
		Set<String> events = new HashSet<>();
		boolean aggregate = false;
		Clock clock = Clock.NONE;
		for (Object part : parts) {
			if (part instanceof Frag frag) {
				sql.append(frag.sql());
				params.addAll(frag.params());
				events.addAll(frag.events());
				aggregate |= frag.aggregate();
				clock = clock.join(frag.clock());
			}
			else if (part instanceof Param param) {
				sql.append(param.sql());
				params.add(param.value());
			}
			else {
				sql.append((String) part);
			}
		}
		return new Frag(sql.toString(), params, type, events, null, aggregate, clock);
	}

	/** A bound parameter written as {@code sql} (e.g. "?::uuid[]"). */
	record Param(String sql, Object value) {
	}

	Frag markAggregate() {
		return new Frag(this.sql, this.params, this.type, this.events, this.constant, true, this.clock);
	}

	Frag withEvents(Set<String> more) {
		Set<String> all = new HashSet<>(this.events);
		all.addAll(more);
		return new Frag(this.sql, this.params, this.type, all, this.constant, this.aggregate, this.clock);
	}

	Frag withClock(Clock value) {
		return new Frag(this.sql, this.params, this.type, this.events, this.constant, this.aggregate, value);
	}

}
