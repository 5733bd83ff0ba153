package io.segmat.query;

import java.util.ArrayList;
import java.util.List;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;

/**
 * Repairs JSqlParser 5.3's precedence bug for IN (JSqlParser issues #2244, #2282): it
 * reads {@code a = 1 AND x IN (1, 2) OR y = 1} as
 * {@code a = 1 AND x IN ((1, 2) OR y = 1)}. The boolean part of the tree is flattened
 * back into its token order (AND, OR, NOT, parentheses and atoms, with each IN taking
 * only its list) and re-read with SQL's precedence.
 */
final class InPrecedence {

	private InPrecedence() {
	}

	static Expression repair(Expression expression) {
		if (expression == null || !hasBrokenIn(expression)) {
			return expression;
		}
		List<Object> items = new ArrayList<>();
		flatten(expression, items);
		Reader reader = new Reader(items);
		Expression repaired = reader.or();
		if (reader.at != items.size()) {
			throw new IllegalStateException("IN repair did not consume the whole condition");
		}
		return repaired;
	}

	private static boolean hasBrokenIn(Expression e) {
		if (e instanceof AndExpression and) {
			return hasBrokenIn(and.getLeftExpression()) || hasBrokenIn(and.getRightExpression());
		}
		if (e instanceof OrExpression or) {
			return hasBrokenIn(or.getLeftExpression()) || hasBrokenIn(or.getRightExpression());
		}
		if (e instanceof NotExpression not) {
			return hasBrokenIn(not.getExpression());
		}
		Expression group = group(e);
		if (group != null) {
			return hasBrokenIn(group);
		}
		return e instanceof InExpression in && isBroken(in);
	}

	private static boolean isBroken(InExpression in) {
		Expression right = in.getRightExpression();
		return right instanceof AndExpression || right instanceof OrExpression;
	}

	/** The content of an explicit pair of parentheses around one expression, or null. */
	static Expression group(Expression e) {
		if (e instanceof Parenthesis parenthesis) {
			return parenthesis.getExpression();
		}
		if (e instanceof ParenthesedExpressionList<?> list && list.size() == 1) {
			return (Expression) list.get(0);
		}
		return null;
	}

	private enum Op {

		AND, OR, NOT, OPEN, CLOSE

	}

	private static void flatten(Expression e, List<Object> items) {
		if (e instanceof AndExpression and) {
			flatten(and.getLeftExpression(), items);
			items.add(Op.AND);
			flatten(and.getRightExpression(), items);
		}
		else if (e instanceof OrExpression or) {
			flatten(or.getLeftExpression(), items);
			items.add(Op.OR);
			flatten(or.getRightExpression(), items);
		}
		else if (e instanceof NotExpression not) {
			items.add(Op.NOT);
			flatten(not.getExpression(), items);
		}
		else if (group(e) != null) {
			items.add(Op.OPEN);
			flatten(group(e), items);
			items.add(Op.CLOSE);
		}
		else if (e instanceof InExpression in && isBroken(in)) {
			int leaf = items.size();
			flattenAfterList(in.getRightExpression(), items);
			InExpression fixed = new InExpression(in.getLeftExpression(), (Expression) items.get(leaf));
			fixed.setNot(in.isNot());
			fixed.setGlobal(in.isGlobal());
			items.set(leaf, fixed);
		}
		else {
			items.add(e);
		}
	}

	/** Like flatten, but the leftmost operand is kept whole: it is the IN's own list. */
	private static void flattenAfterList(Expression e, List<Object> items) {
		if (e instanceof AndExpression and) {
			flattenAfterList(and.getLeftExpression(), items);
			items.add(Op.AND);
			flatten(and.getRightExpression(), items);
		}
		else if (e instanceof OrExpression or) {
			flattenAfterList(or.getLeftExpression(), items);
			items.add(Op.OR);
			flatten(or.getRightExpression(), items);
		}
		else {
			items.add(e);
		}
	}

	private static final class Reader {

		private final List<Object> items;

		private int at;

		Reader(List<Object> items) {
			this.items = items;
		}

		Expression or() {
			Expression left = and();
			while (this.at < this.items.size() && this.items.get(this.at) == Op.OR) {
				this.at++;
				left = new OrExpression(left, and());
			}
			return left;
		}

		Expression and() {
			Expression left = not();
			while (this.at < this.items.size() && this.items.get(this.at) == Op.AND) {
				this.at++;
				left = new AndExpression(left, not());
			}
			return left;
		}

		Expression not() {
			Object item = this.items.get(this.at);
			if (item == Op.NOT) {
				this.at++;
				return new NotExpression(not());
			}
			if (item == Op.OPEN) {
				this.at++;
				Expression inner = or();
				this.at++; // the CLOSE that flatten wrote for this OPEN
				return new ParenthesedExpressionList<>(inner);
			}
			this.at++;
			return (Expression) item;
		}

	}

}
