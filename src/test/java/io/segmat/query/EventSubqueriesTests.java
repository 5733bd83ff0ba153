package io.segmat.query;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EventSubqueriesTests {

	@Test
	void inASubqueryIsASemiJoinOnTheContact() {
		CompilerUnits units = CompilerUnits
			.where("contact_id IN (SELECT contact_id FROM event_data WHERE event_type = 'open')");

		assertThat(units.compile().sql()).isEqualTo(
				"EXISTS (SELECT 1 FROM email_event e0 WHERE e0.contact_key = c.contact_key AND (e0.event_type = ?::text))");
		assertThat(units.context.dependencies().events()).isTrue();
	}

	@Test
	void notExistsTiedToTheContactIsAnAntiJoin() {
		CompilerUnits units = CompilerUnits
			.where("NOT EXISTS (SELECT 1 FROM event_data x WHERE x.contact_id = c.contact_id)");

		assertThat(units.compile().sql())
			.isEqualTo("(NOT EXISTS (SELECT 1 FROM email_event e0 WHERE (e0.contact_key = c.contact_key)))");
	}

	@Test
	void anExistsNotTiedToTheContactIsRefused() {
		CompilerUnits units = CompilerUnits.where("EXISTS (SELECT 1 FROM event_data x WHERE x.event_type = 'open')");

		assertThatExceptionOfType(QueryException.class).isThrownBy(units::compile)
			.withMessageStartingWith("the EXISTS subquery must be tied to the contact")
			.withMessageEndingWith("at line 1, column 65");
	}

	@Test
	void aSubqueryMustSelectTheEventsContactId() {
		CompilerUnits units = CompilerUnits.where("contact_id IN (SELECT url FROM event_data)");

		assertThatExceptionOfType(QueryException.class).isThrownBy(units::compile)
			.withMessage("the subquery must select only contact_id of event_data at line 1, column 79");
	}

}
