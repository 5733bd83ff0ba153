package io.segmat.query;

import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.PlainSelect;

/**
 * The checks a SELECT passes at either level, the query's own or a subquery's: only the
 * clauses the language knows, and the one table each level may read.
 */
final class SelectChecks {

	private final SourcePositions positions;

	SelectChecks(SourcePositions positions) {
		this.positions = positions;
	}

	/**
	 * Rebuilds the select from the clauses this compiler understands and compares it with
	 * the parsed one: any clause the parser knows but the language does not (LIMIT, ORDER
	 * BY, DISTINCT, INTO, FOR UPDATE, WINDOW, ...) makes them differ and is refused.
	 */
	void onlyKnownClauses(PlainSelect select, String expected) {
		PlainSelect known = new PlainSelect();
		known.setSelectItems(select.getSelectItems());
		known.setFromItem(select.getFromItem());
		known.setJoins(select.getJoins());
		known.setWhere(select.getWhere());
		known.setGroupByElement(select.getGroupBy());
		known.setHaving(select.getHaving());
		String parsed = select.toString().trim();
		String rebuilt = known.toString().trim();
		if (!parsed.equals(rebuilt)) {
			int at = 0;
			while (at < parsed.length() && at < rebuilt.length() && parsed.charAt(at) == rebuilt.charAt(at)) {
				at++;
			}
			String rest = parsed.substring(Math.min(at, parsed.length())).trim();
			String word = rest.isEmpty() ? "" : rest.split("[\\s(]+", 2)[0];
			Position position = word.isEmpty() ? Position.START : this.positions.clauseWord(select, word);
			throw SourcePositions.error(position,
					"'" + (word.isEmpty() ? "clause" : word) + "' is not allowed; expected " + expected);
		}
	}

	void checkTable(Table table, String expected) {
		String name = table.getFullyQualifiedName();
		if (table.getSchemaName() != null
				|| table.getDatabase() != null && table.getDatabase().getDatabaseName() != null
				|| !Identifiers.unquote(table.getName()).equalsIgnoreCase(expected)) {
			throw SourcePositions.error(this.positions.table(table),
					"unknown table '" + name + "'; expected " + expected);
		}
		if (table.getPivot() != null || table.getUnPivot() != null || table.getSampleClause() != null) {
			throw SourcePositions.error(this.positions.table(table), "expected " + expected + " [AS alias]");
		}
	}

	static String alias(Table table) {
		return table.getAlias() == null ? null : Identifiers.unquote(table.getAlias().getName());
	}

}
