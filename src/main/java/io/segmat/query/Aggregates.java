package io.segmat.query;

import java.util.List;
import java.util.Locale;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.statement.select.AllColumns;

import io.segmat.query.Frag.Type;

/**
 * MAX, MIN and COUNT over a contact's matching events: only in HAVING, never nested.
 */
final class Aggregates {

	private final ExpressionCompiler expressions;

	private final CompileContext context;

	private final SourcePositions positions;

	Aggregates(ExpressionCompiler expressions, CompileContext context, SourcePositions positions) {
		this.expressions = expressions;
		this.context = context;
		this.positions = positions;
	}

	Frag aggregate(Function f, String name, Scope scope) {
		Position at = this.positions.call(f);
		if (!scope.having()) {
			throw SourcePositions.error(at,
					"aggregate '" + f.getName() + "' is allowed only in HAVING (with GROUP BY contact_id)");
		}
		if (scope.insideAggregate()) {
			throw SourcePositions.error(at, "aggregates cannot be nested");
		}
		Scope inner = scope.aggregateArgument();
		List<Expression> args = Functions.arguments(f);
		if (!Functions.isPlainCall(f)) {
			throw SourcePositions.error(at, "unexpected modifiers in '" + Identifiers.shorten(f.toString()) + "'");
		}
		if (name.equals("count")) {
			if (f.isAllColumns() || args.size() == 1 && args.get(0) instanceof AllColumns) {
				if (f.isDistinct()) {
					throw SourcePositions.error(at, "expected COUNT(*) or COUNT(DISTINCT column)");
				}
				return Frag.of("count(*)", Type.NUMBER).markAggregate();
			}
			arity(f, args);
			Frag value = this.expressions.expr(args.get(0), inner);
			return Frag.compose(Type.NUMBER, f.isDistinct() ? "count(DISTINCT " : "count(", value, ")").markAggregate();
		}
		if (f.isDistinct() || f.isAllColumns()) {
			throw SourcePositions.error(at, "expected " + name.toUpperCase(Locale.ROOT) + "(column)");
		}
		arity(f, args);
		Frag value = this.expressions.expr(args.get(0), inner);
		if (value.type() != Type.TIMESTAMP && value.type() != Type.NUMBER && value.type() != Type.TEXT) {
			throw this.positions.error(args.get(0),
					name.toUpperCase(Locale.ROOT) + " needs a timestamp, number or text");
		}
		Frag aggregated = Frag.compose(value.type(), name + "(", value, ")").markAggregate();
		this.context.clock().aggregated(aggregated, value);
		return aggregated;
	}

	private void arity(Function f, List<Expression> args) {
		if (args.size() != 1) {
			throw SourcePositions.error(this.positions.call(f),
					"function '" + f.getName() + "' takes 1 argument, found " + args.size());
		}
	}

}
