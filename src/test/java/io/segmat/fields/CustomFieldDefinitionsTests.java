package io.segmat.fields;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.segmat.testsupport.SpringTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class CustomFieldDefinitionsTests extends SpringTestSupport {

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private TransactionTemplate transaction;

	@Test
	void fieldsCreatedAtOneInstantListInCreationOrderAcrossADigitBoundary() {
		// given a clock that does not move (the bean is transactional; this
		// copy, with its own clock, runs in a transaction of the test's), and
		// field numbers about to gain a digit (the number taken here is never
		// used, so none repeats)
		CustomFieldDefinitions definitions = new CustomFieldDefinitions(this.jdbc,
				Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
		long next = this.jdbc.sql("SELECT nextval('custom_field_number_seq')").query(Long.class).single();
		long boundary = (long) Math.pow(10, String.valueOf(next).length());
		this.jdbc.sql("SELECT setval('custom_field_number_seq', ?)").param(boundary - 2).query().singleRow();

		// when two fields are created, the second one's number a digit longer
		CustomField plan = this.transaction.execute((status) -> definitions.create("plan", "Text"));
		CustomField age = this.transaction.execute((status) -> definitions.create("age", "Number"));

		// then they list as they were created
		assertThat(plan.id()).isEqualTo("e" + (boundary - 1) + "_T");
		assertThat(age.id()).isEqualTo("e" + boundary + "_N");
		assertThat(definitions.list()).extracting(CustomField::name).containsExactly("plan", "age");
	}

}
