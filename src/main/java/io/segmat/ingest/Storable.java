package io.segmat.ingest;

import java.math.BigDecimal;

/**
 * What PostgreSQL stores, checked before a value is sent: a value it would refuse fails
 * the statement of a whole chunk, and a value it would round is no longer the one given.
 * Each check answers null for a good value, else the end of a sentence that begins with
 * the field's name.
 */
public final class Storable {

	/** 0001-01-01T00:00:00Z: timestamptz goes further back, SendGrid's dates do not. */
	public static final long MIN_EPOCH_SECOND = -62_135_596_800L;

	/** 9999-12-31T23:59:59Z. */
	public static final long MAX_EPOCH_SECOND = 253_402_300_799L;

	/**
	 * Digits a number may have on either side of the point: the query language compares
	 * numbers within the same bounds, and PostgreSQL's numeric holds them exactly.
	 */
	public static final int MAX_DIGITS = 100;

	private Storable() {
	}

	/**
	 * Text PostgreSQL cannot hold: a NUL, which no text value may contain, or a lone
	 * UTF-16 surrogate, which has no UTF-8 form (Java would send a '?').
	 */
	public static String textProblem(CharSequence text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			// One comparison for nearly every character.
			if (c > 0 && c < Character.MIN_SURROGATE) {
				continue;
			}
			if (c == 0) {
				return "contains a NUL character";
			}
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
				continue;
			}
			if (Character.isSurrogate(c)) {
				return "is not valid Unicode (a lone UTF-16 surrogate)";
			}
		}
		return null;
	}

	/** A moment outside the years 1 to 9999. */
	public static String epochSecondProblem(long epochSecond) {
		return (epochSecond < MIN_EPOCH_SECOND || epochSecond > MAX_EPOCH_SECOND) ? "is outside the years 1 to 9999"
				: null;
	}

	/**
	 * A number with more than {@link #MAX_DIGITS} digits before or after the point, such
	 * as 1e400, or 1e-400 (which a double would make 0).
	 */
	public static String numberProblem(BigDecimal number) {
		if (number.signum() == 0) {
			return null;
		}
		BigDecimal stripped = number.stripTrailingZeros();
		return (stripped.precision() - stripped.scale() > MAX_DIGITS || stripped.scale() > MAX_DIGITS)
				? "must have at most " + MAX_DIGITS + " digits before and after the decimal point" : null;
	}

	/**
	 * {@code text} with what {@link #textProblem} refuses, and every other control
	 * character, made U+FFFD: a message that quotes a bad value must itself be storable
	 * and printable.
	 */
	public static String printable(String text) {
		if (text == null) {
			return null;
		}
		StringBuilder out = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
					&& Character.isLowSurrogate(text.charAt(i + 1));
			boolean bad = Character.isISOControl(c) || (Character.isSurrogate(c) && !pair);
			if (bad && out == null) {
				out = new StringBuilder(text.length()).append(text, 0, i);
			}
			if (out != null) {
				out.append(bad ? '\uFFFD' : c);
				if (pair) {
					out.append(text.charAt(i + 1));
				}
			}
			if (pair) {
				i++;
			}
		}
		return (out != null) ? out.toString() : text;
	}

}
