package io.segmat.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.IntervalExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TimeKeyExpression;

/**
 * Reads the literals of the language: strings, numbers, timestamps, intervals, time units
 * and CURRENT_TIMESTAMP, each checked to be in a range PostgreSQL takes, so that a run
 * never fails on one.
 */
final class Literals {

	static final List<String> UNITS = List.of("second", "minute", "hour", "day", "week", "month", "year");

	static final Instant MIN_TIME = Instant.parse("0001-01-01T00:00:00Z");

	static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59Z");

	private final SourcePositions positions;

	private final ClockBounds clock;

	Literals(SourcePositions positions, ClockBounds clock) {
		this.positions = positions;
		this.clock = clock;
	}

	Frag string(StringValue s) {
		if (s.getPrefix() != null && !s.getPrefix().isEmpty()) {
			throw this.positions.error(s, "string prefix '" + s.getPrefix() + "' is not allowed");
		}
		return Frag.text(RawText.decodeString(s.getValue()));
	}

	Frag timeKey(TimeKeyExpression key) {
		String name = key.getStringValue().replace("()", "").trim().toUpperCase(Locale.ROOT);
		if (name.equals("CURRENT_TIMESTAMP")) {
			return this.clock.now();
		}
		throw SourcePositions.error(this.positions.where(key),
				"'" + key.getStringValue() + "' is not allowed; use CURRENT_TIMESTAMP or NOW()");
	}

	/** TIMESTAMP '...' is a literal; any other cast is refused. */
	Frag cast(CastExpression cast) {
		boolean timestampLiteral = !cast.isUseCastKeyword() && cast.getLeftExpression() instanceof StringValue
				&& cast.getColDataType() != null && cast.getColDataType().getDataType().equalsIgnoreCase("TIMESTAMP")
				&& cast.toString().regionMatches(true, 0, "TIMESTAMP", 0, 9);
		if (timestampLiteral) {
			StringValue value = (StringValue) cast.getLeftExpression();
			return Frag.timestamp(timestamp(RawText.decodeString(value.getValue()), cast));
		}
		throw SourcePositions.error(this.positions.cast(cast),
				"casts are not allowed ('" + Identifiers.shorten(cast.toString()) + "'); values convert automatically");
	}

	Frag timestampLiteral(DateTimeLiteralExpression literal) {
		String value = literal.getValue();
		return Frag.timestamp(timestamp(RawText.decodeString(value.substring(1, value.length() - 1)), literal));
	}

	Frag.Interval interval(IntervalExpression interval) {
		if (interval.getExpression() != null) {
			throw this.positions.error(interval, "expected INTERVAL 10 DAY, INTERVAL '10' DAY or INTERVAL '10 days'");
		}
		Position at = this.positions.where(interval);
		String parameter = interval.getParameter();
		if (parameter == null) {
			throw SourcePositions.error(at, "expected INTERVAL 10 DAY, INTERVAL '10' DAY or INTERVAL '10 days'");
		}
		String text = parameter.trim();
		if (text.startsWith("'") && text.endsWith("'") && text.length() >= 2) {
			text = RawText.decodeString(text.substring(1, text.length() - 1)).trim();
		}
		String unit = interval.getIntervalType();
		if (unit == null) {
			String[] parts = text.split("\\s+", -1);
			if (parts.length != 2) {
				throw SourcePositions.error(at,
						"cannot read interval '" + Identifiers.shorten(text) + "'; expected INTERVAL '10 days'");
			}
			text = parts[0];
			unit = parts[1];
		}
		long amount;
		try {
			amount = Long.parseLong(text);
		}
		catch (NumberFormatException ex) {
			throw SourcePositions.error(at,
					"cannot read interval amount '" + Identifiers.shorten(text) + "'; expected a whole number");
		}
		String normalized = unit(unit, at);
		if (Math.abs(amount) > maxAmount(normalized)) {
			throw SourcePositions.error(at, "interval amount " + amount + " is out of range");
		}
		return new Frag.Interval(amount, normalized);
	}

	/**
	 * About 10,000 years in each unit: far beyond any real query, well inside
	 * PostgreSQL's range.
	 */
	static long maxAmount(String unit) {
		return switch (unit) {
			case "second" -> 315_360_000_000L;
			case "minute" -> 5_256_000_000L;
			case "hour" -> 87_600_000L;
			case "day" -> 3_650_000L;
			case "week" -> 521_429L;
			case "month" -> 120_000L;
			default -> 10_000L;
		};
	}

	/** A time unit, singular or plural, with or without SQL_TSI_, as its singular. */
	String unit(String text, Position at) {
		String u = text.trim().toLowerCase(Locale.ROOT);
		if (u.startsWith("sql_tsi_")) {
			u = u.substring(8);
		}
		if (u.endsWith("s") && UNITS.contains(u.substring(0, u.length() - 1))) {
			u = u.substring(0, u.length() - 1);
		}
		if (!UNITS.contains(u)) {
			throw SourcePositions.error(at, "unknown time unit '" + Identifiers.shorten(text) + "'; expected one of "
					+ String.join(", ", UNITS));
		}
		return u;
	}

	/**
	 * Reads an ISO-8601 timestamp; a date alone is midnight UTC, no offset means UTC.
	 * Null if unreadable.
	 */
	static Instant parseTimestamp(String text) {
		String s = text.trim();
		try {
			if (s.length() == 10) {
				return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
			}
			String t = s.replace(' ', 'T');
			if (t.matches(".*[+-]\\d\\d$")) {
				t = t + ":00";
			}
			if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
				return OffsetDateTime.parse(t).toInstant();
			}
			return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/** The timestamp {@code text} (from the literal {@code where}) stands for. */
	Instant timestamp(String text, Expression where) {
		Instant instant = parseTimestamp(text);
		if (instant == null || instant.isBefore(MIN_TIME) || instant.isAfter(MAX_TIME)) {
			throw SourcePositions.error(this.positions.string(text, where),
					"invalid timestamp '" + Identifiers.shorten(text)
							+ "'; expected ISO-8601 like '2024-06-19T00:00:00Z' or a date like '2024-06-19'");
		}
		return instant;
	}

	BigDecimal number(String text, Expression where) {
		BigDecimal value;
		try {
			value = new BigDecimal(text);
		}
		catch (NumberFormatException ex) {
			throw this.positions.error(where, "cannot read number '" + Identifiers.shorten(text) + "'");
		}
		return inRange(value, where);
	}

	/**
	 * Keeps numbers well inside PostgreSQL's numeric range, so a run never fails on one.
	 */
	BigDecimal inRange(BigDecimal value, Expression where) {
		if (value.signum() != 0 && (value.precision() - value.scale() > 100 || value.scale() > 100)) {
			throw this.positions.error(where, "number '" + Identifiers.shorten(value.toString()) + "' is out of range");
		}
		return value;
	}

}
