package io.segmat.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A query compiled to one PostgreSQL SELECT returning the column {@code contact_key},
 * each member once. {@code parameters} bind the positional {@code ?} in order with
 * {@code PreparedStatement.setObject}.
 *
 * @param sql the query shaped for a scan of the whole base
 * @param probeSql the same query shaped for a few named contacts (an event aggregate
 * correlated to each), with the same parameters
 * @param probeKeyed whether {@code probeSql}'s conditions need nothing of a contact but
 * its key and hold only for contacts with rows of their own in list_member or email_event
 * ({@link #probeSqlOver})
 * @param boundaries the comparisons with a bound that moves with the clock
 * @param clockBounded whether those comparisons are the only way the clock reaches the
 * answer
 */
public record CompiledQuery(String normalizedQuery, String sql, String probeSql, boolean probeKeyed,
		List<Object> parameters, QueryDependencies dependencies, List<ClockBoundary> boundaries, boolean clockBounded) {

	/** How {@code probeSql} begins: its conditions test the contact aliased {@code c}. */
	static final String PROBE_FROM = "SELECT c.contact_key FROM contact c";

	public CompiledQuery {
		parameters = List.copyOf(parameters);
		boundaries = List.copyOf(boundaries);
		if (probeKeyed && !probeSql.startsWith(PROBE_FROM)) {
			throw new IllegalArgumentException("a keyed probe must begin " + PROBE_FROM);
		}
	}

	/**
	 * The query for the contacts that {@code candidates} names, a relation of one column
	 * {@code contact_key}, each contact once (the name of a CTE of the caller's own, put
	 * into the SQL as it is: never user text): with {@link #probeSql}'s parameters. A
	 * keyed probe tests the candidates' keys themselves, one index probe per condition
	 * each; any other reads each candidate's row of contact first. A candidate that is no
	 * contact (one deleted since) is left out either way: it has no memberships or events
	 * left.
	 */
	public String probeSqlOver(String candidates) {
		if (this.probeKeyed) {
			return "SELECT c.contact_key FROM " + candidates + " c" + this.probeSql.substring(PROBE_FROM.length());
		}
		return "SELECT q.contact_key FROM (" + this.probeSql + ") q WHERE q.contact_key IN (SELECT contact_key FROM "
				+ candidates + ")";
	}

	/**
	 * The contacts for which this query, compiled at a later instant, may answer
	 * differently from {@code earlier}, the same query compiled at an earlier one,
	 * because time passed: those with a value that a moving bound swept past in between.
	 * Contacts that changed themselves are not included. Empty when that cannot be
	 * derived soundly; the caller must then evaluate everyone.
	 */
	public Optional<ContactSelection> crossedSince(CompiledQuery earlier) {
		if (!this.clockBounded || !earlier.clockBounded || !this.sql.equals(earlier.sql)
				|| this.parameters.size() != earlier.parameters.size()
				|| this.boundaries.size() != earlier.boundaries.size()) {
			return Optional.empty();
		}
		for (int i = 0; i < this.boundaries.size(); i++) {
			ClockBoundary now = this.boundaries.get(i);
			ClockBoundary then = earlier.boundaries.get(i);
			if (!now.valueSql().equals(then.valueSql()) || !Objects.equals(now.eventAlias(), then.eventAlias())
					|| !now.boundSql().equals(then.boundSql())
					|| !Objects.deepEquals(now.valueParameters().toArray(), then.valueParameters().toArray())
					|| !Objects.equals(now.filterSql(), then.filterSql())
					|| !Objects.deepEquals(now.filterParameters().toArray(), then.filterParameters().toArray())
					|| now.latestDecides() != then.latestDecides()) {
				return Optional.empty();
			}
		}
		if (!onlyBoundsDiffer(earlier)) {
			return Optional.empty();
		}
		List<String> selects = new ArrayList<>();
		List<Object> parameters = new ArrayList<>();
		for (int i = 0; i < this.boundaries.size(); i++) {
			ClockBoundary now = this.boundaries.get(i);
			ClockBoundary then = earlier.boundaries.get(i);
			// a second's margin on each side: the earlier instant comes back from the
			// database rounded to microseconds
			String between = "(" + now.valueSql() + ") BETWEEN LEAST(" + then.boundSql() + ", " + now.boundSql()
					+ ") - interval '1 second' AND GREATEST(" + then.boundSql() + ", " + now.boundSql()
					+ ") + interval '1 second'";
			selects.add("SELECT " + now.keyAlias() + ".contact_key FROM " + now.source() + " WHERE " + between
					+ now.filterClause());
			parameters.addAll(now.valueParameters());
			parameters.addAll(then.boundParameters());
			parameters.addAll(now.boundParameters());
			parameters.addAll(then.boundParameters());
			parameters.addAll(now.boundParameters());
			parameters.addAll(now.filterParameters());
		}
		if (selects.isEmpty()) {
			return Optional.of(new ContactSelection("SELECT NULL::bigint AS contact_key WHERE false", List.of()));
		}
		return Optional.of(new ContactSelection(String.join("\nUNION ", selects), parameters));
	}

	/**
	 * A safety net under the compiler's bookkeeping: every parameter that differs between
	 * the two instants must belong to a recorded bound. A clock reading that escaped the
	 * bookkeeping shows up here as an unexplained difference.
	 */
	private boolean onlyBoundsDiffer(CompiledQuery earlier) {
		Set<Object> explained = Collections.newSetFromMap(new IdentityHashMap<>());
		for (List<ClockBoundary> list : List.of(this.boundaries, earlier.boundaries)) {
			for (ClockBoundary boundary : list) {
				explained.addAll(boundary.boundParameters());
			}
		}
		for (int i = 0; i < this.parameters.size(); i++) {
			Object now = this.parameters.get(i);
			Object then = earlier.parameters.get(i);
			if (!Objects.deepEquals(now, then) && !(explained.contains(now) && explained.contains(then))) {
				return false;
			}
		}
		return true;
	}

}
