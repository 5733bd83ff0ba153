package io.segmat.db;

import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationTests {

	@Test
	void migrationsFromEmptyCreateSegmatAndBatchTables() {
		// given an empty database migrated by Flyway
		JdbcClient jdbc = JdbcClient.create(TestDatabase.create().dataSource());

		// when we list its tables
		var tables = jdbc.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
			.query(String.class)
			.list();

		// then both Spring Batch's and segmat's tables are there
		assertThat(tables).contains("batch_job_instance", "batch_job_execution", "batch_step_execution", "contact",
				"custom_field", "contact_list", "list_member", "email_event", "segment", "segment_member",
				"segment_evaluation", "contact_deletion", "flyway_schema_history");
	}

}
