package io.segmat.fields;

import java.time.Instant;

import io.segmat.testsupport.SpringTestSupport;
import io.segmat.testsupport.SweptContacts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** A Date field has an index that finds the contacts a moving time bound swept past. */
class DateFieldIndexTests extends SpringTestSupport {

	private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private CustomFieldDefinitions definitions;

	@Autowired
	private TransactionTemplate transaction;

	@Test
	void theCrossedContactsOfADateFieldAreFoundByItsIndex() {
		// given a Date field and a segment comparing it with a moving bound
		CustomField renewal = this.definitions.create("renewal", "Date");
		String query = "SELECT contact_id, updated_at FROM contact_data WHERE renewal < timestampadd(day, 7, NOW())";

		// when the lookup of crossed contacts is planned
		String plan = SweptContacts.plan(this.jdbc, this.transaction, query, NOW);

		// then it reads the field's index
		assertThat(plan).contains("contact_date_" + renewal.id());
	}

	@Test
	void deletingTheFieldDropsItsIndex() {
		// given a Date field
		CustomField expiry = this.definitions.create("expiry", "Date");

		// when it is deleted
		this.definitions.delete(expiry.id());

		// then its index is gone with it
		assertThat(this.jdbc.sql("SELECT count(*) FROM pg_indexes WHERE indexname = ?")
			.param("contact_date_" + expiry.id())
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void otherFieldTypesGetNoIndex() {
		// given a Text field / then no index is made for it
		CustomField plan = this.definitions.create("plan", "Text");
		assertThat(this.jdbc.sql("SELECT count(*) FROM pg_indexes WHERE indexname LIKE ?")
			.param("%" + plan.id() + "%")
			.query(Long.class)
			.single()).isZero();
	}

}
