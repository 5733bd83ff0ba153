package io.segmat.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import io.segmat.query.Frag.Type;

/**
 * What CURRENT_TIMESTAMP is, whether the query reads it, and the comparisons with a bound
 * that moves with it, which let a refresh re-evaluate only the contacts the bound swept
 * past.
 */
final class ClockBounds {

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
	 */
	void filterEvents(String alias, List<Frag> conditions) {
		Set<Object> bounds = Collections.newSetFromMap(new IdentityHashMap<>());
		this.boundaries.forEach((boundary) -> bounds.addAll(boundary.boundParameters()));
		List<Object> parts = new ArrayList<>();
		for (Frag condition : conditions) {
			if (condition.clock() == Frag.Clock.NONE && !condition.aggregate()
					&& condition.params().stream().noneMatch(bounds::contains)) {
				parts.add(parts.isEmpty() ? "" : " AND ");
				parts.add(condition);
			}
		}
		if (parts.isEmpty()) {
			return;
		}
		Frag filter = Frag.compose(Type.BOOLEAN, parts.toArray());
		this.boundaries.replaceAll((boundary) -> alias.equals(boundary.eventAlias())
				? boundary.filtered(filter.sql(), filter.params()) : boundary);
	}

}
