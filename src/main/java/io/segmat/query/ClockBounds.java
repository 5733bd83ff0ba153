package io.segmat.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.segmat.query.Frag.Type;

/**
 * What CURRENT_TIMESTAMP is, whether the query reads it, and the comparisons with a bound
 * that moves with it, which let a refresh re-evaluate only the contacts the bound swept
 * past.
 */
final class ClockBounds {

	// alias.column, as the compiler writes every column it reads
	private static final Pattern QUALIFIED = Pattern.compile("\\b([A-Za-z_][A-Za-z0-9_]*)\\.([A-Za-z_][A-Za-z0-9_]*)");

	private final Instant asOf;

	private final List<ClockBoundary> boundaries = new ArrayList<>();

	/**
	 * MAX/MIN in HAVING, to the per-event value they aggregate: a bound on the aggregate
	 * is crossed only when some event's value is.
	 */
	private final IdentityHashMap<Frag, Frag> aggregateArguments = new IdentityHashMap<>();

	private boolean read;

	ClockBounds(Instant asOf) {
		this.asOf = asOf;
	}

	/** CURRENT_TIMESTAMP or NOW(): the instant the query is compiled for. */
	Frag now() {
		this.read = true;
		return Frag.timestamp(this.asOf).withClock(Frag.Clock.MONOTONE);
	}

	boolean read() {
		return this.read;
	}

	List<ClockBoundary> boundaries() {
		return this.boundaries;
	}

	void aggregated(Frag aggregate, Frag perEvent) {
		this.aggregateArguments.put(aggregate, perEvent);
	}

	/**
	 * Records {@code value OP bound} when the bound moves with the clock and the value
	 * does not: between two instants the comparison can change only for values the bound
	 * swept past, so a refresh need look at those contacts alone. Returns whether it was
	 * recorded.
	 */
	boolean bound(Frag value, Frag bound) {
		if (value.clock() != Frag.Clock.NONE || bound.clock() != Frag.Clock.MONOTONE) {
			return false;
		}
		Frag perRow = value;
		if (value.aggregate()) {
			perRow = this.aggregateArguments.get(value);
			if (perRow == null) {
				return false;
			}
		}
		if (perRow.events().size() > 1 || perRow.aggregate()) {
			return false;
		}
		String alias = perRow.events().isEmpty() ? null : perRow.events().iterator().next();
		this.boundaries.add(new ClockBoundary(perRow.sql(), perRow.params(), alias, bound.sql(), bound.params()));
		return true;
	}

	/**
	 * Gives the boundaries over the events under {@code alias} the clock-free conditions
	 * each of those events must meet to count at all (the other conjuncts of its join or
	 * subquery): an event that fails them counts neither before nor after its value
	 * crosses the bound, so the refresh need not look at its contact, and the nearest
	 * value ahead is the nearest among the events that count. A condition holding a bound
	 * is no filter: it is what the crossing changes.
	 * @param conditions conjuncts over the events under {@code alias} and the contact
	 * @param existential whether one event meeting the conditions is all the query asks
	 * of them (a join without HAVING, [NOT] IN, [NOT] EXISTS), and {@code conditions} are
	 * every condition on those events
	 */
	void filterEvents(String alias, List<Frag> conditions, boolean existential) {
		Set<Object> bounds = Collections.newSetFromMap(new IdentityHashMap<>());
		this.boundaries.forEach((boundary) -> bounds.addAll(boundary.boundParameters()));
		List<Object> parts = new ArrayList<>();
		for (Frag condition : conditions) {
			if (isFilter(condition, bounds)) {
				parts.add(parts.isEmpty() ? "" : " AND ");
				parts.add(condition);
			}
		}
		boolean latest = existential && latestDecides(alias, conditions, bounds);
		if (parts.isEmpty() && !latest) {
			return;
		}
		Frag filter = Frag.compose(Type.BOOLEAN, parts.toArray());
		String filterSql = parts.isEmpty() ? null : filter.sql();
		this.boundaries.replaceAll((boundary) -> alias.equals(boundary.eventAlias())
				? boundary.filtered(filterSql, filter.params(), latest) : boundary);
	}

	private static boolean isFilter(Frag condition, Set<Object> bounds) {
		return condition.clock() == Frag.Clock.NONE && !condition.aggregate()
				&& condition.params().stream().noneMatch(bounds::contains);
	}

	/**
	 * Whether the answer can change only when a contact's latest event of a type crosses
	 * the bound: the alias has one bound, a lower one on its timestamp ({@code >} or
	 * {@code >=}, so a crossing event leaves the events that count), and the other
	 * conditions read the event's type alone. An event that crosses while a later one of
	 * a type that counts stays above the bound changes nothing.
	 */
	private boolean latestDecides(String alias, List<Frag> conditions, Set<Object> bounds) {
		List<ClockBoundary> own = this.boundaries.stream().filter((b) -> alias.equals(b.eventAlias())).toList();
		if (own.size() != 1 || !own.get(0).valueSql().equals(alias + ".occurred_at")
				|| !own.get(0).valueParameters().isEmpty()) {
			return false;
		}
		ClockBoundary boundary = own.get(0);
		String value = boundary.valueSql();
		String bound = boundary.boundSql();
		Set<String> lowerBounds = Set.of("(" + value + " > " + bound + ")", "(" + value + " >= " + bound + ")",
				"(" + bound + " < " + value + ")", "(" + bound + " <= " + value + ")");
		int bounded = 0;
		for (Frag condition : conditions) {
			if (isFilter(condition, bounds)) {
				if (!readsTypeOnly(alias, condition.sql())) {
					return false;
				}
			}
			else if (lowerBounds.contains(condition.sql()) && condition.params().equals(boundary.boundParameters())) {
				bounded++;
			}
			else {
				return false;
			}
		}
		return bounded == 1;
	}

	private static boolean readsTypeOnly(String alias, String sql) {
		if (sql.toUpperCase(Locale.ROOT).contains("SELECT")) {
			return false;
		}
		Matcher reference = QUALIFIED.matcher(sql);
		while (reference.find()) {
			if (!reference.group(1).equals(alias) || !reference.group(2).equals("event_type")) {
				return false;
			}
		}
		return true;
	}

}
