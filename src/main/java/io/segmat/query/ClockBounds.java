package io.segmat.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

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

}
