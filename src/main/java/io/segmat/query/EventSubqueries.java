package io.segmat.query;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;

import io.segmat.query.Frag.Type;

/**
 * A subquery over event_data: {@code contact_id IN (SELECT contact_id FROM event_data
 * ...)} or {@code EXISTS (SELECT ... FROM event_data e WHERE e.contact_id =
 * c.contact_id ...)}. Both become a semi (or anti) join on email_event.
 */
final class EventSubqueries {

	private final ExpressionCompiler expressions;

	private final CompileContext context;

	private final SourcePositions positions;

	private final SelectChecks checks;

	private final ColumnResolver columns;

	EventSubqueries(ExpressionCompiler expressions, CompileContext context, SourcePositions positions,
			SelectChecks checks, ColumnResolver columns) {
		this.expressions = expressions;
		this.context = context;
		this.positions = positions;
		this.checks = checks;
		this.columns = columns;
	}

	Frag exists(ExistsExpression exists, Scope scope) {
		if (!(exists.getRightExpression() instanceof ParenthesedSelect sub)) {
			throw this.positions.error(exists,
					"expected EXISTS (SELECT ... FROM event_data e WHERE e.contact_id = c.contact_id ...)");
		}
		return compile(sub, scope, null, exists.isNot(), true);
	}

	/** {@code outer.contact_id [NOT] IN (sub)}. */
	Frag in(ParenthesedSelect sub, Scope scope, Source outer, boolean not) {
		return compile(sub, scope, outer, not, false);
	}

	private Frag compile(ParenthesedSelect parenthesed, Scope scope, Source outer, boolean not, boolean existsForm) {
		PlainSelect select = plainSelect(parenthesed);
		Table table = (Table) select.getFromItem();
		Source event = new Source("event_data", SelectChecks.alias(table), true, this.context.eventAlias());
		List<Source> sources = new ArrayList<>();
		sources.add(event);
		sources.addAll(scope.sources());
		Scope innerScope = new Scope(sources, false, false);
		selectList(select.getSelectItems(), event, existsForm);
		List<Object> parts = new ArrayList<>();
		parts.add(not ? "NOT EXISTS (SELECT 1 FROM email_event " : "EXISTS (SELECT 1 FROM email_event ");
		parts.add(event.sqlAlias() + " WHERE ");
		// the same conditions without the tie to the contact: the key set, when none of
		// them reads anything but the event
		List<Frag> own = new ArrayList<>();
		boolean keyed = !not && (outer == null || !outer.event());
		boolean correlated = false;
		if (outer != null) {
			parts.add(event.sqlAlias() + ".contact_key = " + outer.sqlAlias() + ".contact_key");
			correlated = true;
		}
		boolean first = outer == null;
		// the conjuncts every event the subquery counts must meet, to filter its clock
		// boundaries with: not the tie, nor one that reads another event
		List<Frag> eventConditions = new ArrayList<>();
		for (Expression conjunct : Conditions.conjuncts(InPrecedence.repair(select.getWhere()))) {
			boolean tie = false;
			if (conjunct instanceof EqualsTo eq
					&& this.columns.isContactId(eq.getLeftExpression(), innerScope.sources())
					&& this.columns.isContactId(eq.getRightExpression(), innerScope.sources())) {
				Source a = this.columns.resolveSource((Column) eq.getLeftExpression(), innerScope.sources());
				Source b = this.columns.resolveSource((Column) eq.getRightExpression(), innerScope.sources());
				correlated |= event.equals(a) != event.equals(b);
				tie = outer == null && (event.equals(a) ? !b.event() : event.equals(b) && !a.event());
			}
			Frag condition = this.expressions.condition(conjunct, innerScope);
			parts.add(first ? "" : " AND ");
			first = false;
			parts.add(condition);
			if (!tie) {
				own.add(condition);
				if (condition.events().stream().allMatch(event.sqlAlias()::equals)) {
					eventConditions.add(condition);
				}
				keyed &= condition.events().equals(Set.of(event.sqlAlias())) || condition.events().isEmpty();
				keyed &= !Translator.readsContact(condition);
			}
		}
		if (!correlated) {
			throw this.positions.error(parenthesed,
					"the EXISTS subquery must be tied to the contact: expected WHERE e.contact_id = c.contact_id AND ...");
		}
		parts.add(")");
		this.context.clock().filterEvents(event.sqlAlias(), eventConditions, own.size() == eventConditions.size());
		Frag f = Frag.compose(Type.BOOLEAN, parts.toArray());
		Set<String> outerEvents = new HashSet<>(f.events());
		outerEvents.remove(event.sqlAlias());
		Frag compiled = new Frag(f.sql(), f.params(), Type.BOOLEAN, outerEvents, null, false, f.clock());
		if (!keyed) {
			return compiled;
		}
		List<Object> keys = new ArrayList<>();
		keys.add("SELECT " + event.sqlAlias() + ".contact_key FROM email_event " + event.sqlAlias());
		for (int i = 0; i < own.size(); i++) {
			keys.add(i == 0 ? " WHERE " : " AND ");
			keys.add(own.get(i));
		}
		return this.context.keyed(compiled, new KeySet(Frag.compose(Type.BOOLEAN, keys.toArray()), false));
	}

	/** The subquery's SELECT, checked to be a plain one over event_data. */
	private PlainSelect plainSelect(ParenthesedSelect parenthesed) {
		Select inner = parenthesed.getSelect();
		if (inner instanceof SetOperationList operations) {
			throw SourcePositions.error(this.positions.setOperator(operations),
					"UNION, INTERSECT and EXCEPT are not allowed; expected one SELECT ... FROM event_data");
		}
		if (parenthesed.getAlias() != null || !(inner instanceof PlainSelect select)) {
			throw this.positions.error(parenthesed, "expected a plain SELECT ... FROM event_data subquery");
		}
		if (select.getWithItemsList() != null && !select.getWithItemsList().isEmpty()) {
			throw SourcePositions.error(this.positions.after(parenthesed, "WITH"), "WITH is not allowed");
		}
		this.checks.onlyKnownClauses(select, "SELECT contact_id FROM event_data [alias] [WHERE ...]");
		if (select.getJoins() != null && !select.getJoins().isEmpty()) {
			throw SourcePositions.error(this.positions.join(select.getJoins().get(0)),
					"a subquery may not join; expected SELECT contact_id FROM event_data [WHERE ...]");
		}
		if (select.getGroupBy() != null || select.getHaving() != null) {
			throw SourcePositions.error(this.positions.clauseWord(select, "GROUP", "HAVING"),
					"GROUP BY and HAVING are not allowed in a subquery");
		}
		if (!(select.getFromItem() instanceof Table table)) {
			throw this.positions.error(parenthesed, "a subquery must read FROM event_data");
		}
		if (Identifiers.unquote(table.getName()).equalsIgnoreCase("contact_data")) {
			throw SourcePositions.error(this.positions.table(table),
					"a subquery over contact_data is not allowed; subqueries read event_data");
		}
		this.checks.checkTable(table, "event_data");
		return select;
	}

	private void selectList(List<SelectItem<?>> items, Source event, boolean existsForm) {
		if (!existsForm) {
			if (items.size() != 1 || !(items.get(0).getExpression() instanceof Column column)
					|| items.get(0).getAlias() != null || !this.columns.isContactId(column, List.of(event))
					|| !event.equals(this.columns.resolveSource(column, List.of(event)))) {
				throw this.positions.error(items.get(0).getExpression(),
						"the subquery must select only contact_id of event_data");
			}
		}
		else if (items.size() != 1 || items.get(0).getAlias() != null
				|| !(items.get(0).getExpression() instanceof AllColumns
						|| items.get(0).getExpression() instanceof LongValue
						|| items.get(0).getExpression() instanceof Column c
								&& this.columns.isContactId(c, List.of(event)))) {
			throw this.positions.error(items.get(0).getExpression(),
					"expected EXISTS (SELECT 1 FROM event_data e WHERE ...)");
		}
	}

}
