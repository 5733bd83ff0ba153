package io.segmat.query;

import java.math.BigDecimal;
import java.time.Instant;

import net.sf.jsqlparser.expression.Expression;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CoercionsTests {

	private final CompilerUnits units = CompilerUnits.where("created_at > '2024-06-19'");

	private final Coercions coercions = new Coercions(this.units.positions,
			new Literals(this.units.positions, this.units.context.clock()));

	private final Expression where = this.units.condition();

	@Test
	void aStringLiteralBecomesTheTimestampItIsComparedWith() {
		// when a timestamp column meets a date string
		Frag[] unified = this.coercions.unify(Frag.of("c.created_at", Frag.Type.TIMESTAMP), Frag.text("2024-06-19"),
				this.where);

		// then the string is bound as a timestamp
		assertThat(unified[1].type()).isEqualTo(Frag.Type.TIMESTAMP);
		assertThat(unified[1].constant()).isEqualTo(Instant.parse("2024-06-19T00:00:00Z"));
	}

	@Test
	void twoColumnsOfDifferentTypesAreNotConverted() {
		assertThatExceptionOfType(QueryException.class)
			.isThrownBy(() -> this.coercions.unify(Frag.of("c.created_at", Frag.Type.TIMESTAMP),
					Frag.of("c.email", Frag.Type.TEXT), this.where))
			.withMessageStartingWith("cannot compare timestamp with text in ");
	}

	@Test
	void aNumberLiteralIsTextWhereTextIsNeeded() {
		assertThat(this.coercions.textual(Frag.number(new BigDecimal("1.50")), this.where).constant())
			.isEqualTo("1.50");
	}

	@Test
	void listsAreNeverCompared() {
		assertThatExceptionOfType(QueryException.class)
			.isThrownBy(() -> this.coercions.unify(Frag.of("list_ids", Frag.Type.LIST_IDS), Frag.text("a"), this.where))
			.withMessageContaining("use array_contains(...)");
	}

}
