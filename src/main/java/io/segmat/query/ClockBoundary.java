package io.segmat.query;

import java.util.List;

/**
 * One comparison of a clock-free value with a bound that moves with the clock, such as
 * {@code e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)}.
 *
 * @param valueSql the value compared, over {@code contact c} or, when {@code eventAlias}
 * is set, over {@code email_event} under that alias (and possibly {@code contact c} too)
 * @param valueParameters the value's parameters
 * @param eventAlias the event alias the value reads, or null for a contact's own value
 * @param boundSql the bound as evaluated at the compile's instant
 * @param boundParameters the bound's parameters
 * @param filterSql clock-free conditions every event under {@code eventAlias} must meet
 * to count at all (the other conditions of the same join), or null: only such an event
 * crossing the bound can change the answer
 * @param filterParameters the filter's parameters
 */
record ClockBoundary(String valueSql, List<Object> valueParameters, String eventAlias, String boundSql,
		List<Object> boundParameters, String filterSql, List<Object> filterParameters) {

	ClockBoundary {
		valueParameters = List.copyOf(valueParameters);
		boundParameters = List.copyOf(boundParameters);
		filterParameters = List.copyOf(filterParameters);
	}

	ClockBoundary(String valueSql, List<Object> valueParameters, String eventAlias, String boundSql,
			List<Object> boundParameters) {
		this(valueSql, valueParameters, eventAlias, boundSql, boundParameters, null, List.of());
	}

	ClockBoundary filtered(String sql, List<Object> parameters) {
		return new ClockBoundary(this.valueSql, this.valueParameters, this.eventAlias, this.boundSql,
				this.boundParameters, sql, parameters);
	}

}
