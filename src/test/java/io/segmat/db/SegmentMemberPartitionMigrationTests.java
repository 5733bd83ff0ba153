package io.segmat.db;

import java.util.List;

import javax.sql.DataSource;

import io.segmat.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V9 on a database that holds memberships from V8: segment_member becomes partitioned by
 * segment, every segment (an empty one too) gets its partition, rows keep their values.
 */
class SegmentMemberPartitionMigrationTests {

	private static final String SCHEMA = "v8_account";

	@Test
	void v9MovesEveryMembershipIntoAPartitionOfItsSegment() {
		// given an account's schema at V8 with three segments, two with members and one
		// without, and a stray row of a key no segment has
		SingleConnectionDataSource dataSource = new SingleConnectionDataSource(TestDatabase.create().jdbcUrl(),
				TestDatabase.user(), "", true);
		try {
			flyway(dataSource).target("8").load().migrate();
			JdbcClient jdbc = JdbcClient.create(dataSource);
			jdbc.sql("SET search_path TO " + SCHEMA).update();
			for (String name : List.of("uk", "us", "empty")) {
				jdbc.sql("""
						INSERT INTO segment (id, name, query_dsl, created_at, updated_at)
						VALUES (gen_random_uuid(), ?, 'SELECT contact_id, updated_at FROM contact_data', now(), now())
						""").param(name).update();
			}
			jdbc.sql("""
					INSERT INTO segment_member (segment_key, contact_key)
					SELECT s.segment_key, c FROM segment s, generate_series(1, 5) c WHERE s.name = 'uk'
					UNION ALL SELECT s.segment_key, 7 FROM segment s WHERE s.name = 'us'
					UNION ALL SELECT 999, 1
					""").update();
			List<String> before = members(jdbc);

			// when V9 runs
			flyway(dataSource).load().migrate();

			// then segment_member is partitioned, one partition per segment with its
			// key's
			// rows, and the stray row is gone
			jdbc.sql("SET search_path TO " + SCHEMA).update();
			assertThat(jdbc.sql("SELECT relkind::text FROM pg_class WHERE oid = 'segment_member'::regclass")
				.query(String.class)
				.single()).isEqualTo("p");
			assertThat(jdbc.sql("""
					SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'segment_member'::regclass
					ORDER BY 1
					""").query(String.class).list())
				.isEqualTo(jdbc.sql("SELECT 'segment_member_' || segment_key FROM segment ORDER BY 1")
					.query(String.class)
					.list());
			assertThat(members(jdbc)).isEqualTo(before.stream().filter((row) -> !row.startsWith("999:")).toList());
			assertThat(jdbc.sql("SELECT to_regclass('segment_member_v8') IS NULL").query(Boolean.class).single())
				.isTrue();
			// and each partition keeps to its key and has its share of the primary key
			assertThat(jdbc.sql("""
					SELECT count(*) FROM pg_index i JOIN pg_inherits h ON h.inhrelid = i.indrelid
					WHERE h.inhparent = 'segment_member'::regclass AND i.indisprimary
					""").query(Long.class).single()).isEqualTo(3);
		}
		finally {
			dataSource.destroy();
		}
	}

	private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(DataSource dataSource) {
		return Flyway.configure().dataSource(dataSource).schemas(SCHEMA).locations("classpath:db/migration");
	}

	private static List<String> members(JdbcClient jdbc) {
		return jdbc
			.sql("SELECT segment_key || ':' || contact_key FROM segment_member ORDER BY segment_key, contact_key")
			.query(String.class)
			.list();
	}

}
