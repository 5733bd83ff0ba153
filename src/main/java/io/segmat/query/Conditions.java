package io.segmat.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;

import io.segmat.query.Frag.Type;

/**
 * Compiles conditions: AND, OR, NOT, comparisons, IN, IS NULL, LIKE and BETWEEN, and
 * records the comparisons whose bound moves with the clock.
 */
final class Conditions {

	private final ExpressionCompiler expressions;

	private final CompileContext context;

	private final SourcePositions positions;

	private final ColumnResolver columns;

	private final Coercions coercions;

	private final EventSubqueries subqueries;

	Conditions(ExpressionCompiler expressions, CompileContext context, SourcePositions positions,
			ColumnResolver columns, Coercions coercions, EventSubqueries subqueries) {
		this.expressions = expressions;
		this.context = context;
		this.positions = positions;
		this.columns = columns;
		this.coercions = coercions;
		this.subqueries = subqueries;
	}

	/** The operands of a top-level AND chain, in order; none for no condition. */
	static List<Expression> conjuncts(Expression where) {
		return where == null ? new ArrayList<>() : operands(where, true);
	}

	/**
	 * The operands of a chain of one operator, in order, found without recursion, so that
	 * a long chain of ANDs does not cost stack.
	 */
	private static List<Expression> operands(Expression e, boolean and) {
		List<Expression> out = new ArrayList<>();
		List<Expression> stack = new ArrayList<>();
		stack.add(e);
		while (!stack.isEmpty()) {
			Expression next = stack.remove(stack.size() - 1);
			if (and && next instanceof AndExpression a) {
				stack.add(a.getRightExpression());
				stack.add(a.getLeftExpression());
			}
			else if (!and && next instanceof OrExpression o) {
				stack.add(o.getRightExpression());
				stack.add(o.getLeftExpression());
			}
			else {
				out.add(next);
			}
		}
		return out;
	}

	/**
	 * A chain of AND or OR: one flat list per chain, so that long chains cost linear
	 * time, not quadratic copying.
	 */
	Frag chain(BinaryExpression e, Scope scope) {
		boolean and = e instanceof AndExpression;
		List<Object> parts = new ArrayList<>();
		parts.add("(");
		List<Expression> operands = operands(e, and);
		for (int i = 0; i < operands.size(); i++) {
			parts.add(i == 0 ? "" : and ? " AND " : " OR ");
			parts.add(this.expressions.condition(operands.get(i), scope));
		}
		parts.add(")");
		return Frag.compose(Type.BOOLEAN, parts.toArray());
	}

	Frag not(NotExpression not, Scope scope) {
		return Frag.compose(Type.BOOLEAN, "(NOT ", this.expressions.condition(not.getExpression(), scope), ")");
	}

	Frag isNull(IsNullExpression isNull, Scope scope) {
		Frag value = this.expressions.expr(isNull.getLeftExpression(), scope);
		if (value.type() == Type.LIST_IDS) {
			throw this.positions.error(isNull, "list_ids can be used only in array_contains(list_ids, ...)");
		}
		return Frag.compose(Type.BOOLEAN, "(", value, isNull.isNot() ? " IS NOT NULL)" : " IS NULL)");
	}

	Frag comparison(BinaryExpression e, Scope scope) {
		String op = e.getStringExpression();
		if (e instanceof EqualsTo && this.columns.isContactId(e.getLeftExpression(), scope.sources())
				&& this.columns.isContactId(e.getRightExpression(), scope.sources())) {
			return sameContact(e, scope);
		}
		Frag byId = contactIdEquality(e, scope);
		if (byId != null) {
			return byId;
		}
		Frag left = this.expressions.expr(e.getLeftExpression(), scope);
		Frag right = this.expressions.expr(e.getRightExpression(), scope);
		Frag[] unified = this.coercions.unify(left, right, e);
		String sqlOp = switch (op) {
			case "=", "==" -> "=";
			case "!=", "<>" -> "<>";
			case ">", ">=", "<", "<=" -> op;
			default -> throw this.positions.error(e, "operator '" + op + "' is not allowed");
		};
		if (unified[0].type() == Type.BOOLEAN && !sqlOp.equals("=") && !sqlOp.equals("<>")) {
			throw this.positions.error(e, "cannot order booleans with '" + op + "'");
		}
		Frag compared = Frag.compose(Type.BOOLEAN, "(", unified[0], " " + sqlOp + " ", unified[1], ")");
		ClockBounds clock = this.context.clock();
		boolean bounded = clock.bound(unified[0], unified[1]) || clock.bound(unified[1], unified[0]);
		return bounded ? compared.withClock(Frag.Clock.NONE) : compared;
	}

	/** x.contact_id = y.contact_id: the same contact on both sides. */
	private Frag sameContact(BinaryExpression e, Scope scope) {
		Source left = this.columns.resolveSource((Column) e.getLeftExpression(), scope.sources());
		Source right = this.columns.resolveSource((Column) e.getRightExpression(), scope.sources());
		Frag f = Frag.compose(Type.BOOLEAN,
				"(" + left.sqlAlias() + ".contact_key = " + right.sqlAlias() + ".contact_key)");
		Set<String> aliases = new HashSet<>();
		for (Source s : List.of(left, right)) {
			if (s.event()) {
				aliases.add(s.sqlAlias());
			}
		}
		return f.withEvents(aliases);
	}

	/**
	 * contact_id = 'uuid' as a comparison on the uuid column, so that its unique index
	 * serves it.
	 */
	private Frag contactIdEquality(BinaryExpression e, Scope scope) {
		if (!(e instanceof EqualsTo || e instanceof NotEqualsTo)) {
			return null;
		}
		Expression column = e.getLeftExpression() instanceof Column ? e.getLeftExpression() : e.getRightExpression();
		Expression literal = column == e.getLeftExpression() ? e.getRightExpression() : e.getLeftExpression();
		if (!this.columns.isContactId(column, scope.sources()) || !(literal instanceof StringValue value)
				|| this.columns.resolveSource((Column) column, scope.sources()).event()) {
			return null;
		}
		String text = RawText.decodeString(value.getValue()).trim();
		UUID id;
		try {
			id = UUID.fromString(text);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		if (!id.toString().equalsIgnoreCase(text)) {
			return null;
		}
		this.context.readsColumn("contact_id");
		return Frag.compose(Type.BOOLEAN, e instanceof EqualsTo ? "(c.id = " : "(c.id <> ",
				new Frag.Param("?::uuid", id.toString()), ")");
	}

	Frag in(InExpression in, Scope scope) {
		Expression right = in.getRightExpression();
		if (right instanceof ParenthesedSelect sub) {
			if (!this.columns.isContactId(in.getLeftExpression(), scope.sources())) {
				throw this.positions.error(in.getLeftExpression(),
						"only contact_id may be tested with IN (SELECT contact_id FROM event_data ...)");
			}
			Source outer = this.columns.resolveSource((Column) in.getLeftExpression(), scope.sources());
			// contact_id is never NULL on either side, so NOT IN has exactly NOT EXISTS's
			// meaning
			return this.subqueries.in(sub, scope, outer, in.isNot());
		}
		if (!(right instanceof ExpressionList<?> list)
				|| InPrecedence.group(right) != null && !(right instanceof ExpressionList<?>)) {
			throw this.positions.error(right, "expected IN (value, ...) or IN (SELECT contact_id FROM event_data ...)");
		}
		Frag left = this.expressions.expr(in.getLeftExpression(), scope);
		if (left.type() == Type.LIST_IDS || left.type() == Type.TEXT_ARRAY) {
			throw this.positions.error(in.getLeftExpression(),
					"cannot use IN with " + left.type().label + "; use array_contains(...)");
		}
		List<Frag> values = new ArrayList<>();
		boolean allConstant = true;
		boolean hasNull = false;
		for (Object o : list) {
			Frag v = this.expressions.expr((Expression) o, scope);
			if (v.constant() == Frag.NULL_CONSTANT) {
				hasNull = true;
				continue;
			}
			Frag[] unified = this.coercions.unify(left, v, (Expression) o);
			left = unified[0];
			values.add(unified[1]);
			allConstant &= unified[1].isConstant();
		}
		if (values.isEmpty()) {
			return Frag.compose(Type.BOOLEAN, "(", left, " = NULL)");
		}
		Frag test = (allConstant && left.type() != Type.BOOLEAN) ? anyOf(left, values, in.isNot())
				: inList(left, values, in.isNot());
		Frag.Clock clock = left.clock();
		for (Frag v : values) {
			clock = clock.join(v.clock());
		}
		test = test.withClock(clock);
		if (hasNull) {
			// SQL's meaning: a NULL in the list makes a miss unknown rather than false
			return Frag.compose(Type.BOOLEAN, "(", test, in.isNot() ? " AND NULL)" : " OR NULL)");
		}
		return test;
	}

	/** Constant values as one bound array: {@code = ANY(?)} or {@code <> ALL(?)}. */
	private static Frag anyOf(Frag left, List<Frag> values, boolean not) {
		String[] array = new String[values.size()];
		for (int i = 0; i < array.length; i++) {
			Object c = values.get(i).constant();
			array[i] = c instanceof BigDecimal n ? n.toPlainString()
					: c instanceof Instant t ? t.toString() : c.toString();
		}
		String cast = switch (left.type()) {
			case NUMBER -> "numeric[]";
			case TIMESTAMP -> "timestamptz[]";
			default -> "text[]";
		};
		return Frag.compose(Type.BOOLEAN, "(", left, not ? " <> ALL(" : " = ANY(", new Frag.Param("?::" + cast, array),
				"))");
	}

	private static Frag inList(Frag left, List<Frag> values, boolean not) {
		List<Object> parts = new ArrayList<>();
		parts.add("(");
		parts.add(left);
		parts.add((not ? " NOT" : "") + " IN (");
		for (int i = 0; i < values.size(); i++) {
			parts.add(i == 0 ? "" : ", ");
			parts.add(values.get(i));
		}
		parts.add("))");
		return Frag.compose(Type.BOOLEAN, parts.toArray());
	}

	Frag like(LikeExpression like, Scope scope) {
		if (like.getEscape() != null) {
			throw SourcePositions.error(this.positions.after(like, "ESCAPE"),
					"ESCAPE is not allowed; a backslash escapes % and _");
		}
		String keyword = switch (like.getLikeKeyWord()) {
			case LIKE -> "LIKE";
			case ILIKE -> "ILIKE";
			default ->
				throw this.positions.error(like, "'" + like.getLikeKeyWord() + "' is not allowed; use LIKE or ILIKE");
		};
		if (like.isUseBinary()) {
			throw SourcePositions.error(this.positions.after(like, "BINARY"), "BINARY is not allowed");
		}
		Frag left = this.coercions.textual(this.expressions.expr(like.getLeftExpression(), scope),
				like.getLeftExpression());
		Frag right = this.coercions.textual(this.expressions.expr(like.getRightExpression(), scope),
				like.getRightExpression());
		if (right.constant() instanceof String pattern && endsWithLoneBackslash(pattern)) {
			// PostgreSQL refuses such a pattern at run time
			throw SourcePositions.error(this.positions.string(pattern, like.getRightExpression()),
					"a LIKE pattern must not end with a lone backslash; write \\\\ for a backslash");
		}
		return Frag.compose(Type.BOOLEAN, "(", left, like.isNot() ? " NOT " : " ", keyword + " ", right, ")");
	}

	private static boolean endsWithLoneBackslash(String pattern) {
		int count = 0;
		for (int i = pattern.length() - 1; i >= 0 && pattern.charAt(i) == '\\'; i--) {
			count++;
		}
		return count % 2 == 1;
	}

	Frag between(Between between, Scope scope) {
		Frag value = this.expressions.expr(between.getLeftExpression(), scope);
		Frag low = this.expressions.expr(between.getBetweenExpressionStart(), scope);
		Frag high = this.expressions.expr(between.getBetweenExpressionEnd(), scope);
		Frag[] a = this.coercions.unify(value, low, between);
		Frag[] b = this.coercions.unify(a[0], high, between);
		Frag compared = Frag.compose(Type.BOOLEAN, "(", b[0], between.isNot() ? " NOT BETWEEN " : " BETWEEN ", a[1],
				" AND ", b[1], ")");
		if (compared.clock() == Frag.Clock.NONE || b[0].clock() != Frag.Clock.NONE) {
			return compared;
		}
		boolean bounded = true;
		for (Frag limit : List.of(a[1], b[1])) {
			if (limit.clock() != Frag.Clock.NONE) {
				bounded &= this.context.clock().bound(b[0], limit);
			}
		}
		return bounded ? compared.withClock(Frag.Clock.NONE) : compared;
	}

}
