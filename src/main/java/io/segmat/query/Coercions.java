package io.segmat.query;

import java.math.BigDecimal;
import java.util.List;

import net.sf.jsqlparser.expression.Expression;

import io.segmat.query.Frag.Type;

/**
 * Brings values to the type an operation needs. Only literals convert, and only where
 * they convert cleanly: a string to a timestamp or number, a number to text. A column
 * never changes type.
 */
final class Coercions {

	private final SourcePositions positions;

	private final Literals literals;

	Coercions(SourcePositions positions, Literals literals) {
		this.positions = positions;
		this.literals = literals;
	}

	/**
	 * Brings two operands to one comparable type, converting literals where they convert
	 * cleanly.
	 */
	Frag[] unify(Frag left, Frag right, Expression where) {
		Frag l = left;
		Frag r = right;
		for (Frag f : List.of(l, r)) {
			if (f.type() == Type.LIST_IDS || f.type() == Type.TEXT_ARRAY || f.type() == Type.LIST) {
				throw this.positions.error(where, "cannot compare " + f.type().label + " with '"
						+ Identifiers.shorten(where.toString()) + "'; use array_contains(...)");
			}
		}
		if (l.type() == Type.NULL || r.type() == Type.NULL || l.type() == r.type()) {
			return new Frag[] { l, r };
		}
		if (r.isConstant()) {
			r = convert(r, l.type(), where);
		}
		else if (l.isConstant()) {
			l = convert(l, r.type(), where);
		}
		if (l.type() != r.type()) {
			throw this.positions.error(where, "cannot compare " + l.type().label + " with " + r.type().label + " in '"
					+ Identifiers.shorten(where.toString()) + "'");
		}
		return new Frag[] { l, r };
	}

	/** A literal as {@code target}, or an error at {@code where}. */
	Frag convert(Frag literal, Type target, Expression where) {
		Object value = literal.constant();
		if (literal.type() == target || value == Frag.NULL_CONSTANT) {
			return literal;
		}
		if (value instanceof String s) {
			switch (target) {
				case TIMESTAMP:
					return Frag.timestamp(this.literals.timestamp(s, where));
				case NUMBER:
					BigDecimal n;
					try {
						n = new BigDecimal(s.trim());
					}
					catch (NumberFormatException ex) {
						throw SourcePositions.error(this.positions.string(s, where),
								"'" + Identifiers.shorten(s) + "' is not a number");
					}
					return Frag.number(this.literals.inRange(n, where));
				default:
					break;
			}
		}
		if (value instanceof BigDecimal n && target == Type.TEXT) {
			return Frag.text(n.toPlainString());
		}
		throw this.positions.error(where, "cannot compare " + target.label + " with " + literal.type().label + " '"
				+ Identifiers.shorten(String.valueOf(value)) + "'");
	}

	/** A value where text is needed: text, NULL, or a number literal written as text. */
	Frag textual(Frag f, Expression e) {
		if (f.type() == Type.TEXT || f.type() == Type.NULL) {
			return f;
		}
		if (f.isConstant() && f.constant() instanceof BigDecimal n) {
			return Frag.text(n.toPlainString());
		}
		throw this.positions.error(e,
				"expected text, found " + f.type().label + " '" + Identifiers.shorten(e.toString()) + "'");
	}

}
