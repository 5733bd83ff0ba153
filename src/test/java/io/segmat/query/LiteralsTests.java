package io.segmat.query;

import java.time.Instant;

import net.sf.jsqlparser.expression.IntervalExpression;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LiteralsTests {

	private final Literals literals = new Literals(new SourcePositions(RawText.scan("x", QueryLimits.defaults())),
			new ClockBounds(CompilerUnits.AS_OF));

	@Test
	void aDateAloneIsMidnightUtc() {
		assertThat(Literals.parseTimestamp("2024-06-19")).isEqualTo(Instant.parse("2024-06-19T00:00:00Z"));
	}

	@Test
	void aTimestampWithoutOffsetIsUtcAndAShortOffsetIsRead() {
		assertThat(Literals.parseTimestamp("2024-06-19 10:00:00")).isEqualTo(Instant.parse("2024-06-19T10:00:00Z"));
		assertThat(Literals.parseTimestamp("2024-06-19T10:00:00+02")).isEqualTo(Instant.parse("2024-06-19T08:00:00Z"));
	}

	@Test
	void anUnreadableTimestampIsNull() {
		assertThat(Literals.parseTimestamp("yesterday")).isNull();
	}

	@Test
	void unitsArePluralOrSingularWithOrWithoutSqlTsi() {
		assertThat(this.literals.unit("Days", Position.START)).isEqualTo("day");
		assertThat(this.literals.unit("SQL_TSI_MONTH", Position.START)).isEqualTo("month");
	}

	@Test
	void anUnknownUnitIsRefusedAtTheGivenPosition() {
		assertThatExceptionOfType(QueryException.class)
			.isThrownBy(() -> this.literals.unit("fortnight", new Position(2, 3)))
			.withMessageStartingWith("unknown time unit 'fortnight' at line 2, column 3");
	}

	@Test
	void anIntervalIsReadInAnyOfItsThreeForms() {
		// given the three forms of ten days
		CompilerUnits units = CompilerUnits.where(
				"created_at > INTERVAL 10 DAY AND created_at > INTERVAL '10' DAY AND created_at > INTERVAL '10 days'");

		// then each is ten days
		for (var conjunct : Conditions.conjuncts(units.condition())) {
			IntervalExpression interval = (IntervalExpression) ((GreaterThan) conjunct).getRightExpression();
			assertThat(this.literals.interval(interval)).isEqualTo(new Frag.Interval(10, "day"));
		}
	}

	@Test
	void anIntervalBeyondTenThousandYearsIsRefused() {
		CompilerUnits units = CompilerUnits.where("created_at > INTERVAL 20000 YEAR");
		IntervalExpression interval = (IntervalExpression) ((GreaterThan) units.condition()).getRightExpression();

		assertThatExceptionOfType(QueryException.class)
			.isThrownBy(() -> units.expressions.expr(interval, CompilerUnits.CONTACT_SCOPE))
			.withMessage("interval amount 20000 is out of range at line 1, column 70");
	}

}
