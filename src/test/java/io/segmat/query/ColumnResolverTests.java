package io.segmat.query;

import java.util.List;

import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ColumnResolverTests {

	private static final Source EVENT = new Source("event_data", "e", true, "e0");

	private final CompilerUnits units = CompilerUnits.where("true");

	private final ColumnResolver columns = this.units.expressions.columns();

	@Test
	void aCustomFieldIsReadFromTheJsonWithItsTypeAndRecorded() {
		// when a number field is read
		Frag f = this.columns.column(new Column("lifetime_value"), CompilerUnits.CONTACT_SCOPE);

		// then it is cast and its id is a dependency
		assertThat(f.sql()).isEqualTo("(c.custom_fields->>'e2_N')::numeric");
		assertThat(f.type()).isEqualTo(Frag.Type.NUMBER);
		assertThat(this.units.context.dependencies().contactColumns()).containsExactly("e2_N");
	}

	@Test
	void anUnqualifiedNameGoesToTheFirstSourceThatHasIt() {
		// given an event before the contact, both with contact_id
		List<Source> sources = List.of(EVENT, CompilerUnits.CONTACT);

		// when contact_id and email are resolved / then each to the first that has it
		assertThat(this.columns.resolveSource(new Column("contact_id"), sources)).isSameAs(EVENT);
		assertThat(this.columns.resolveSource(new Column("email"), sources)).isSameAs(CompilerUnits.CONTACT);
	}

	@Test
	void aQualifierPicksItsSourceOrNone() {
		// given the contact qualified by its alias, and an event column under it
		List<Source> sources = List.of(EVENT, CompilerUnits.CONTACT);

		// then the alias decides, and a column the source lacks resolves to nothing
		assertThat(this.columns.resolveSource(new Column(new Table("c"), "contact_id"), sources))
			.isSameAs(CompilerUnits.CONTACT);
		assertThat(this.columns.resolveSource(new Column(new Table("c"), "event_type"), sources)).isNull();
	}

	@Test
	void anEventColumnInHavingOutsideAnAggregateIsRefused() {
		// given the HAVING scope of a join
		Scope having = new Scope(List.of(EVENT, CompilerUnits.CONTACT), true, false);

		// when an event column is read bare / then refused
		assertThatExceptionOfType(QueryException.class)
			.isThrownBy(() -> this.columns.column(new Column(new Table("e"), "timestamp"), having))
			.withMessageStartingWith("in HAVING, event columns must be inside MAX, MIN or COUNT");
	}

	@Test
	void anEventColumnReadsItsAliasAndMarksIt() {
		// when an event's timestamp is read
		Frag f = this.columns.column(new Column(new Table("e"), "timestamp"),
				new Scope(List.of(EVENT, CompilerUnits.CONTACT), false, false));

		// then occurred_at of that alias is read, and the alias recorded
		assertThat(f.sql()).isEqualTo("e0.occurred_at");
		assertThat(f.events()).containsExactly("e0");
	}

}
