package io.segmat.query;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;

import io.segmat.query.Frag.Type;

/**
 * Arithmetic on numbers, and timestamps shifted by intervals. Timestamp arithmetic
 * happens in UTC, and on constants at compile time.
 */
final class Arithmetic {

	private final ExpressionCompiler expressions;

	private final SourcePositions positions;

	private final Coercions coercions;

	Arithmetic(ExpressionCompiler expressions, SourcePositions positions, Coercions coercions) {
		this.expressions = expressions;
		this.positions = positions;
		this.coercions = coercions;
	}

	/** {@code +}, {@code -}, {@code *}, {@code /} and {@code %}. */
	Frag binary(BinaryExpression e, Scope scope) {
		Frag left = this.expressions.expr(e.getLeftExpression(), scope);
		Frag right = this.expressions.expr(e.getRightExpression(), scope);
		boolean additive = e instanceof Addition || e instanceof Subtraction;
		boolean minus = e instanceof Subtraction;
		if (additive && (left.type() == Type.TIMESTAMP || left.type() == Type.INTERVAL || right.type() == Type.TIMESTAMP
				|| right.type() == Type.INTERVAL)) {
			if (left.isStringLiteral() && right.type() == Type.INTERVAL) {
				left = this.coercions.convert(left, Type.TIMESTAMP, e.getLeftExpression());
			}
			if (left.type() == Type.TIMESTAMP && right.type() == Type.INTERVAL) {
				return shift(left, right, minus, e);
			}
			if (!minus && left.type() == Type.INTERVAL && right.type() == Type.TIMESTAMP) {
				return shift(right, left, false, e);
			}
			throw this.positions.error(e, "cannot compute '" + Identifiers.shorten(e.toString())
					+ "': a timestamp may only be shifted by an interval");
		}
		if (left.isStringLiteral()) {
			left = this.coercions.convert(left, Type.NUMBER, e.getLeftExpression());
		}
		if (right.isStringLiteral()) {
			right = this.coercions.convert(right, Type.NUMBER, e.getRightExpression());
		}
		if (left.type() == Type.NULL || right.type() == Type.NULL) {
			return Frag.of("NULL::numeric", Type.NUMBER);
		}
		if (left.type() != Type.NUMBER || right.type() != Type.NUMBER) {
			throw this.positions.error(e, "arithmetic needs numbers, found " + left.type().label + " and "
					+ right.type().label + " in '" + Identifiers.shorten(e.toString()) + "'");
		}
		if (e instanceof Division || e instanceof Modulo) {
			// a zero divisor gives NULL (no member) instead of failing the whole
			// evaluation
			return Frag.compose(Type.NUMBER, "(", left, e instanceof Division ? " / NULLIF(" : " % NULLIF(", right,
					", 0))");
		}
		String op = e instanceof Addition ? " + " : e instanceof Subtraction ? " - " : " * ";
		return Frag.compose(Type.NUMBER, "(", left, op, right, ")");
	}

	Frag signed(SignedExpression signed, Scope scope) {
		Frag inner = this.expressions.expr(signed.getExpression(), scope);
		char sign = signed.getSign();
		if (sign != '-' && sign != '+') {
			throw this.positions.error(signed, "operator '" + sign + "' is not allowed");
		}
		if (inner.constant() instanceof BigDecimal n) {
			return Frag.number(sign == '-' ? n.negate() : n);
		}
		if (inner.constant() instanceof Frag.Interval i) {
			return Frag.interval(new Frag.Interval(sign == '-' ? -i.amount() : i.amount(), i.unit()));
		}
		if (inner.type() == Type.NUMBER) {
			return sign == '-' ? Frag.compose(Type.NUMBER, "(- ", inner, ")") : inner;
		}
		throw this.positions.error(signed, "a sign needs a number, found " + inner.type().label);
	}

	/**
	 * Timestamp plus or minus an interval. Constants are folded here, in UTC, so that the
	 * SQL compares a column with one bound timestamp; otherwise the arithmetic happens in
	 * UTC too, so the session's time zone never changes an answer.
	 */
	Frag shift(Frag timestamp, Frag interval, boolean minus, Expression where) {
		// a constant interval added to a clock-derived time never makes it run backwards
		Frag.Clock clock = (interval.clock() == Frag.Clock.NONE) ? timestamp.clock() : Frag.Clock.OPAQUE;
		if (timestamp.constant() instanceof Instant t && interval.constant() instanceof Frag.Interval i) {
			return Frag.timestamp(plus(t, minus ? -i.amount() : i.amount(), i.unit(), where)).withClock(clock);
		}
		return Frag
			.compose(Type.TIMESTAMP, "(((", timestamp, " AT TIME ZONE 'UTC') " + (minus ? "-" : "+") + " ", interval,
					") AT TIME ZONE 'UTC')")
			.withClock(clock);
	}

	/**
	 * {@code t} plus an amount of a unit, in UTC; {@code where} (may be null) for errors.
	 */
	Instant plus(Instant t, long amount, String unit, Expression where) {
		OffsetDateTime utc = t.atOffset(ZoneOffset.UTC);
		try {
			OffsetDateTime result = switch (unit) {
				case "second" -> utc.plusSeconds(amount);
				case "minute" -> utc.plusMinutes(amount);
				case "hour" -> utc.plusHours(amount);
				case "day" -> utc.plusDays(amount);
				case "week" -> utc.plusWeeks(amount);
				case "month" -> utc.plusMonths(amount);
				case "year" -> utc.plusYears(amount);
				default -> throw new IllegalStateException(unit);
			};
			Instant out = result.toInstant();
			if (out.isBefore(Literals.MIN_TIME) || out.isAfter(Literals.MAX_TIME)) {
				throw new DateTimeException("out of range");
			}
			return out;
		}
		catch (DateTimeException | ArithmeticException ex) {
			throw SourcePositions.error(where == null ? Position.START : this.positions.where(where),
					"the timestamp arithmetic goes out of range");
		}
	}

}
