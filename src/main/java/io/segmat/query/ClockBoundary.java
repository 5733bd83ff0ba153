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
 * @param latestDecides whether only a contact's latest event of each type can change the
 * answer by crossing the bound (V13's contact_last_event): the value is the event's
 * timestamp, the events count when they lie above the bound, the other conditions name
 * the event's type alone, and one event is enough
 */
record ClockBoundary(String valueSql, List<Object> valueParameters, String eventAlias, String boundSql,
		List<Object> boundParameters, String filterSql, List<Object> filterParameters, boolean latestDecides) {

	ClockBoundary {
		valueParameters = List.copyOf(valueParameters);
		boundParameters = List.copyOf(boundParameters);
		filterParameters = List.copyOf(filterParameters);
	}

	ClockBoundary(String valueSql, List<Object> valueParameters, String eventAlias, String boundSql,
			List<Object> boundParameters) {
		this(valueSql, valueParameters, eventAlias, boundSql, boundParameters, null, List.of(), false);
	}

	/**
	 * The FROM item whose rows hold the values that can cross the bound: the contacts for
	 * a contact's own value; otherwise, under {@code eventAlias}, each contact's latest
	 * event of each type when that is all that decides (contact_last_event has the
	 * columns of email_event such a boundary reads: its value, the type its filter names,
	 * the contact), every event when not, joined to the contact when the value or the
	 * filter reads it.
	 */
	String source() {
		if (this.eventAlias == null) {
			return "contact c";
		}
		String table = this.latestDecides ? "contact_last_event " : "email_event ";
		String contact = Translator.readsContact(this.valueSql + filterClause())
				? " JOIN contact c ON c.contact_key = " + this.eventAlias + ".contact_key" : "";
		return table + this.eventAlias + contact;
	}

	/** The filter as a further conjunct of a WHERE over {@link #source}, or nothing. */
	String filterClause() {
		return (this.filterSql == null) ? "" : " AND " + this.filterSql;
	}

	/** Who the rows of {@link #source} are: the alias whose contact_key names them. */
	String keyAlias() {
		return (this.eventAlias == null) ? "c" : this.eventAlias;
	}

	ClockBoundary filtered(String sql, List<Object> parameters, boolean latest) {
		return new ClockBoundary(this.valueSql, this.valueParameters, this.eventAlias, this.boundSql,
				this.boundParameters, sql, parameters, latest);
	}

}
