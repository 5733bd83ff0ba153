package io.segmat.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import net.sf.jsqlparser.expression.ArrayConstructor;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.IntervalExpression;
import net.sf.jsqlparser.expression.JsonExpression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TimeKeyExpression;
import net.sf.jsqlparser.expression.TrimFunction;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;

import io.segmat.query.Frag.Type;

/**
 * Compiles one expression by dispatching on its node type, one line per type the language
 * knows. Anything else is refused, never passed through: an explicit dispatch rather than
 * JSqlParser's visitor adapter, whose defaults would compile {@code NOT x} as {@code x}
 * if a case were missing.
 *
 * <p>
 * The units it dispatches to call back here for their operands; each receives this
 * compiler while it is being built and keeps it for that.
 */
final class ExpressionCompiler {

	private final SourcePositions positions;

	private final ColumnResolver columns;

	private final Literals literals;

	private final Conditions conditions;

	private final EventSubqueries subqueries;

	private final Arithmetic arithmetic;

	private final Functions functions;

	ExpressionCompiler(CompileContext context, SourcePositions positions, SelectChecks checks) {
		this.positions = positions;
		this.columns = new ColumnResolver(context, positions, this);
		this.literals = new Literals(positions, context.clock());
		Coercions coercions = new Coercions(positions, this.literals);
		EventSubqueries subqueries = new EventSubqueries(this, context, positions, checks, this.columns);
		this.subqueries = subqueries;
		this.conditions = new Conditions(this, context, positions, this.columns, coercions, subqueries);
		this.arithmetic = new Arithmetic(this, positions, coercions);
		this.functions = new Functions(this, context, positions, coercions, this.literals, this.arithmetic);
	}

	ColumnResolver columns() {
		return this.columns;
	}

	/** An expression that must be a condition (boolean or NULL). */
	Frag condition(Expression e, Scope scope) {
		Frag f = expr(e, scope);
		if (f.type() != Type.BOOLEAN && f.type() != Type.NULL) {
			throw this.positions.error(e,
					"expected a condition, found " + f.type().label + " '" + Identifiers.shorten(e.toString()) + "'");
		}
		return f;
	}

	Frag expr(Expression e, Scope scope) {
		Expression group = InPrecedence.group(e);
		if (group != null) {
			return expr(group, scope);
		}
		if (e instanceof AndExpression || e instanceof OrExpression) {
			return this.conditions.chain((BinaryExpression) e, scope);
		}
		if (e instanceof NotExpression not) {
			return this.conditions.not(not, scope);
		}
		if (e instanceof EqualsTo || e instanceof NotEqualsTo || e instanceof GreaterThan
				|| e instanceof GreaterThanEquals || e instanceof MinorThan || e instanceof MinorThanEquals) {
			return this.conditions.comparison((BinaryExpression) e, scope);
		}
		if (e instanceof InExpression in) {
			return this.conditions.in(in, scope);
		}
		if (e instanceof ExistsExpression exists) {
			return this.subqueries.exists(exists, scope);
		}
		if (e instanceof IsNullExpression isNull) {
			return this.conditions.isNull(isNull, scope);
		}
		if (e instanceof LikeExpression like) {
			return this.conditions.like(like, scope);
		}
		if (e instanceof Between between) {
			return this.conditions.between(between, scope);
		}
		if (e instanceof Addition || e instanceof Subtraction || e instanceof Multiplication || e instanceof Division
				|| e instanceof Modulo) {
			return this.arithmetic.binary((BinaryExpression) e, scope);
		}
		if (e instanceof SignedExpression signed) {
			return this.arithmetic.signed(signed, scope);
		}
		if (e instanceof Column column) {
			return this.columns.column(column, scope);
		}
		if (e instanceof JsonExpression json) {
			return this.columns.jsonPath(json, scope);
		}
		if (e instanceof Function function) {
			return this.functions.call(function, scope);
		}
		if (e instanceof TrimFunction trim) {
			return this.functions.trim(trim, scope);
		}
		if (e instanceof StringValue s) {
			return this.literals.string(s);
		}
		if (e instanceof LongValue l) {
			return Frag.number(this.literals.number(l.getStringValue(), e));
		}
		if (e instanceof DoubleValue d) {
			return Frag.number(this.literals.number(d.toString(), e));
		}
		if (e instanceof NullValue) {
			return Frag.nullValue();
		}
		if (e instanceof BooleanValue b) {
			return Frag.bool(b.getValue());
		}
		if (e instanceof TimeKeyExpression key) {
			return this.literals.timeKey(key);
		}
		if (e instanceof CastExpression cast) {
			return this.literals.cast(cast);
		}
		if (e instanceof DateTimeLiteralExpression literal
				&& literal.getType() == DateTimeLiteralExpression.DateTime.TIMESTAMP) {
			return this.literals.timestampLiteral(literal);
		}
		if (e instanceof IntervalExpression interval) {
			return Frag.interval(this.literals.interval(interval));
		}
		if (e instanceof ArrayConstructor array) {
			return arrayLiteral(array, scope);
		}
		if (e instanceof ParenthesedSelect) {
			throw this.positions.error(e,
					"a subquery is allowed only as contact_id [NOT] IN (SELECT contact_id FROM event_data ...) or [NOT] EXISTS (SELECT ... FROM event_data e WHERE e.contact_id = c.contact_id ...)");
		}
		throw this.positions.error(e, "'" + Identifiers.shorten(e.toString()) + "' is not allowed here");
	}

	/** ['a', 'b'] or ARRAY['a', 'b']: a constant list of strings. */
	private Frag arrayLiteral(ArrayConstructor array, Scope scope) {
		List<Frag> items = new ArrayList<>();
		if (array.getExpressions() != null) {
			for (Object o : array.getExpressions()) {
				Frag f = expr((Expression) o, scope);
				if (!f.isStringLiteral()) {
					throw this.positions.error((Expression) o,
							"an array literal may hold only strings, like ['a', 'b']");
				}
				items.add(f);
			}
		}
		if (items.isEmpty()) {
			throw this.positions.error(array, "an array literal needs at least one value");
		}
		return new Frag("", List.of(), Type.LIST, Set.of(), new Frag.Values(items), false, Frag.Clock.NONE);
	}

}
