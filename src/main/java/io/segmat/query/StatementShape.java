package io.segmat.query;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;

/**
 * Checks the statement's shape: one SELECT of contact_id and updated_at FROM
 * contact_data, at most one JOIN with event_data on contact_id, and GROUP BY contact_id
 * only with that join. The conditions are compiled elsewhere.
 */
final class StatementShape {

	/**
	 * The checked statement.
	 *
	 * @param select the top SELECT
	 * @param contact the contact source
	 * @param joined the joined event source, or null
	 * @param grouped whether it has GROUP BY (and so may have HAVING)
	 */
	record Shape(PlainSelect select, Source contact, Source joined, boolean grouped) {

		/** The top level's scope: the joined event first, then the contact. */
		Scope scope() {
			return new Scope(this.joined == null ? List.of(this.contact) : List.of(this.joined, this.contact), false,
					false);
		}

	}

	private final CompileContext context;

	private final SourcePositions positions;

	private final SelectChecks checks;

	private final ColumnResolver columns;

	StatementShape(CompileContext context, SourcePositions positions, SelectChecks checks, ColumnResolver columns) {
		this.context = context;
		this.positions = positions;
		this.checks = checks;
		this.columns = columns;
	}

	Shape check(Statement statement) {
		PlainSelect select = topSelect(statement);
		Source contact = contactSource(select);
		Source joined = join(select, contact);
		selectList(select, contact, joined);
		boolean grouped = groupBy(select, contact, joined);
		return new Shape(select, contact, joined, grouped);
	}

	private PlainSelect topSelect(Statement statement) {
		if (statement instanceof SetOperationList operations) {
			throw SourcePositions.error(this.positions.setOperator(operations),
					"UNION, INTERSECT and EXCEPT are not allowed; expected one SELECT ... FROM contact_data");
		}
		if (!(statement instanceof PlainSelect select)) {
			String kind = this.positions.raw().tokens().isEmpty() ? "?" : this.positions.raw().tokens().get(0).text();
			if (statement instanceof Select) {
				throw SourcePositions.error(Position.START,
						"expected SELECT contact_id, updated_at FROM contact_data ...");
			}
			throw SourcePositions.error(Position.START,
					"'" + kind + "' statements are not allowed; only SELECT ... FROM contact_data is");
		}
		if (select.getWithItemsList() != null && !select.getWithItemsList().isEmpty()) {
			throw SourcePositions.error(this.positions.firstOf("WITH"), "WITH is not allowed");
		}
		this.checks.onlyKnownClauses(select,
				"SELECT contact_id, updated_at FROM contact_data [JOIN event_data ...] [WHERE ...] [GROUP BY ... HAVING ...]");
		return select;
	}

	private Source contactSource(PlainSelect select) {
		if (!(select.getFromItem() instanceof Table table)) {
			throw SourcePositions.error(this.positions.clauseWord(select, "FROM"), "expected FROM contact_data");
		}
		this.checks.checkTable(table, "contact_data");
		return new Source("contact_data", SelectChecks.alias(table), false, "c");
	}

	private Source join(PlainSelect select, Source contact) {
		List<Join> joins = select.getJoins();
		if (joins == null || joins.isEmpty()) {
			return null;
		}
		if (joins.size() > 1) {
			throw SourcePositions.error(this.positions.join(joins.get(1)), "only one JOIN with event_data is allowed");
		}
		Join join = joins.get(0);
		if (join.isLeft() || join.isRight() || join.isFull() || join.isOuter() || join.isCross() || join.isNatural()
				|| join.isSimple() || join.isApply() || join.isSemi() || join.isStraight()
				|| (join.getUsingColumns() != null && !join.getUsingColumns().isEmpty())) {
			throw SourcePositions.error(this.positions.join(join),
					"only [INNER] JOIN event_data ON c.contact_id = e.contact_id is allowed");
		}
		if (!(join.getRightItem() instanceof Table table)) {
			throw SourcePositions.error(this.positions.join(join), "expected JOIN event_data");
		}
		this.checks.checkTable(table, "event_data");
		Source event = new Source("event_data", SelectChecks.alias(table), true, this.context.eventAlias());
		if (join.getOnExpressions() == null || join.getOnExpressions().size() != 1) {
			throw SourcePositions.error(this.positions.join(join), "expected ON c.contact_id = e.contact_id");
		}
		Expression on = join.getOnExpressions().iterator().next();
		while (InPrecedence.group(on) != null) {
			on = InPrecedence.group(on);
		}
		List<Source> both = List.of(event, contact);
		if (!(on instanceof EqualsTo eq) || !this.columns.isContactId(eq.getLeftExpression(), both)
				|| !this.columns.isContactId(eq.getRightExpression(), both)
				|| Objects.equals(this.columns.resolveSource((Column) eq.getLeftExpression(), both),
						this.columns.resolveSource((Column) eq.getRightExpression(), both))) {
			throw this.positions.error(on,
					"a join is allowed only on contact_id: expected ON c.contact_id = e.contact_id");
		}
		return event;
	}

	private void selectList(PlainSelect select, Source contact, Source joined) {
		for (SelectItem<?> item : select.getSelectItems()) {
			Expression e = item.getExpression();
			if (e instanceof AllColumns) {
				throw SourcePositions.error(this.positions.allColumns(item),
						"SELECT * is not allowed; expected SELECT contact_id, updated_at");
			}
			if (e instanceof Column column && item.getAlias() == null) {
				String name = Identifiers.unquote(column.getColumnName()).toLowerCase(Locale.ROOT);
				Source source = this.columns.resolveSource(column, List.of(contact));
				if (contact.equals(source) && (name.equals("contact_id") || name.equals("updated_at"))) {
					continue;
				}
			}
			if (joined != null && e instanceof Function f && item.getAlias() != null
					&& List.of("max", "min").contains(f.getName().toLowerCase(Locale.ROOT))) {
				// checked where it is used: the alias may appear in HAVING
				this.context.selectAlias(Identifiers.unquote(item.getAlias().getName()).toLowerCase(Locale.ROOT), e);
				continue;
			}
			throw this.positions.error(e,
					"'" + Identifiers.shorten(e.toString())
							+ "' is not allowed in the select list; expected contact_id, updated_at"
							+ (joined != null ? " and optionally MAX(e.timestamp) AS alias" : ""));
		}
	}

	private boolean groupBy(PlainSelect select, Source contact, Source joined) {
		GroupByElement group = select.getGroupBy();
		if (group == null) {
			if (select.getHaving() != null) {
				throw SourcePositions.error(this.positions.clauseWord(select, "HAVING"),
						"HAVING needs GROUP BY contact_id");
			}
			return false;
		}
		if (joined == null) {
			throw SourcePositions.error(this.positions.clauseWord(select, "GROUP"),
					"GROUP BY is allowed only with JOIN event_data");
		}
		ExpressionList<?> items = group.getGroupByExpressionList();
		if (items == null || items.isEmpty()
				|| (group.getGroupingSets() != null && !group.getGroupingSets().isEmpty())) {
			throw SourcePositions.error(this.positions.clauseWord(select, "GROUP"),
					"expected GROUP BY contact_id[, updated_at]");
		}
		boolean hasId = false;
		for (Object o : items) {
			Expression e = (Expression) o;
			if (e instanceof Column column && contact.equals(this.columns.resolveSource(column, List.of(contact)))) {
				String name = Identifiers.unquote(column.getColumnName()).toLowerCase(Locale.ROOT);
				if (name.equals("contact_id")) {
					hasId = true;
					continue;
				}
				if (name.equals("updated_at")) {
					continue;
				}
			}
			throw this.positions.error(e, "GROUP BY may list only contact_id and updated_at, not '"
					+ Identifiers.shorten(e.toString()) + "'");
		}
		if (!hasId) {
			throw SourcePositions.error(this.positions.clauseWord(select, "GROUP"),
					"expected GROUP BY contact_id[, updated_at]");
		}
		return true;
	}

}
