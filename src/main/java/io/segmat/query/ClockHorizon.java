package io.segmat.query;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How far a query's moving clock bounds are from the nearest value they will sweep past:
 * the temporal filter's "next retraction". A bound that never decreases reaches a value
 * ahead of it only when it has moved by the difference, so with nothing else changed the
 * answer stays the same until then. Only an estimate for bounds that move faster than the
 * clock at times (a truncated date jumps); {@link CompiledQuery#crossedSince} at the
 * estimated instant confirms it.
 */
public final class ClockHorizon {

	private ClockHorizon() {
	}

	/**
	 * One row, one column {@code seconds}: the smallest distance from a bound to a value
	 * at or ahead of it, in seconds, or NULL when no value is ahead of any bound. Empty
	 * when the clock reaches the answer other than through recorded bounds.
	 */
	public static Optional<DistanceQuery> nearestValueAhead(CompiledQuery query) {
		return nearestValueAhead(query, null);
	}

	/**
	 * As {@link #nearestValueAhead(CompiledQuery)}, among the values at most
	 * {@code within} ahead of their bound: NULL when there is none that near. It reads
	 * only the values in that interval, where the unbounded form reads every value ahead
	 * that its index does not return in order (events of several types: an engagement
	 * window over opens or clicks read the whole window's opens and clicks).
	 */
	public static Optional<DistanceQuery> nearestValueAhead(CompiledQuery query, Duration within) {
		if (!query.clockBounded()) {
			return Optional.empty();
		}
		List<String> selects = new ArrayList<>();
		List<Object> parameters = new ArrayList<>();
		for (ClockBoundary boundary : query.boundaries()) {
			String value = "(" + boundary.valueSql() + ")";
			String bound = "(" + boundary.boundSql() + ")";
			String distance = "SELECT extract(epoch FROM min(" + value + ")::timestamptz - " + bound
					+ "::timestamptz)::double precision AS seconds";
			parameters.addAll(boundary.valueParameters());
			parameters.addAll(boundary.boundParameters());
			String ahead = (within != null)
					? value + " BETWEEN " + bound + " AND " + bound + " + make_interval(secs => ?::double precision)"
					: value + " >= " + bound;
			List<Object> aheadParameters = new ArrayList<>(boundary.valueParameters());
			aheadParameters.addAll(boundary.boundParameters());
			if (within != null) {
				aheadParameters.addAll(boundary.boundParameters());
				aheadParameters.add(within.toMillis() / 1000.0);
			}
			selects.add(distance + " FROM " + boundary.source() + " WHERE " + ahead + boundary.filterClause());
			parameters.addAll(aheadParameters);
			parameters.addAll(boundary.filterParameters());
		}
		if (selects.isEmpty()) {
			return Optional.of(new DistanceQuery("SELECT NULL::double precision AS seconds", List.of()));
		}
		return Optional.of(new DistanceQuery(
				"SELECT min(seconds) AS seconds FROM (" + String.join("\nUNION ALL ", selects) + ") distances",
				parameters));
	}

	/**
	 * A SELECT of one row with the column {@code seconds}, and its parameters in order.
	 */
	public record DistanceQuery(String sql, List<Object> parameters) {

		public DistanceQuery {
			parameters = List.copyOf(parameters);
		}

	}

}
