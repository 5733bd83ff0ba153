package io.segmat.fields;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.segmat.query.CompiledQuery;
import io.segmat.query.ContactSelection;
import io.segmat.query.FieldCatalog;
import io.segmat.query.QueryCompiler;
import io.segmat.testsupport.SpringTestSupport;
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
		QueryCompiler compiler = new QueryCompiler();
		FieldCatalog fields = FieldCatalog.load(this.jdbc);
		CompiledQuery before = compiler.compile(query, fields, null, NOW);
		CompiledQuery after = compiler.compile(query, fields, null, NOW.plus(Duration.ofHours(1)));
		ContactSelection crossed = after.crossedSince(before).orElseThrow();

		// when the lookup of crossed contacts is planned
		List<String> plan = this.transaction.execute((status) -> {
			// an empty table is cheapest to scan; the question is whether the index can
			// serve at all
			this.jdbc.sql("SET LOCAL enable_seqscan = off").update();
			return this.jdbc.sql("EXPLAIN " + crossed.sql()).params(crossed.parameters()).query(String.class).list();
		});

		// then it reads the field's index
		assertThat(String.join("\n", plan)).contains("contact_date_" + renewal.id());
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
