package io.segmat.query;

/**
 * A table in scope: the contact (SQL alias c) or an event row (SQL alias e0, e1, ...).
 *
 * @param table contact_data or event_data
 * @param alias the user's alias for it, or null
 * @param event whether it is an event row
 * @param sqlAlias the alias the compiled SQL reads it through
 */
record Source(String table, String alias, boolean event, String sqlAlias) {

	boolean answersTo(String qualifier) {
		return qualifier.equalsIgnoreCase(this.table) || (this.alias != null && qualifier.equalsIgnoreCase(this.alias));
	}

}
