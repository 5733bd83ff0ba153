package io.segmat.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

import javax.sql.DataSource;

import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

class AdvisoryLockTests {

	private static final TestDatabase database = TestDatabase.create();

	private static final DataSource dataSource = database.dataSource();

	@Test
	void everyLockHasItsOwnKey() {
		assertThat(Arrays.stream(AdvisoryLock.values()).map(AdvisoryLock::key)).doesNotHaveDuplicates();
	}

	@Test
	void aSessionLockKeepsOtherSessionsOutUntilReleased() throws Exception {
		try (Connection holder = dataSource.getConnection(); Connection other = dataSource.getConnection()) {
			// given
			assertThat(AdvisoryLock.REFRESH.tryLock(holder)).isTrue();

			// when, then
			assertThat(AdvisoryLock.REFRESH.tryLock(other)).isFalse();
			AdvisoryLock.MANUAL_REFRESH.lock(other);
			assertThat(AdvisoryLock.MANUAL_REFRESH.tryLock(holder)).isFalse();
			AdvisoryLock.REFRESH.unlock(holder);
			assertThat(AdvisoryLock.REFRESH.tryLock(other)).isTrue();
			AdvisoryLock.REFRESH.unlock(other);
			AdvisoryLock.MANUAL_REFRESH.unlock(other);
		}
	}

	@Test
	void aLockIsPerSchemaSoOneAccountNeverWaitsForAnother() throws Exception {
		createSchemas("lock_a", "lock_b");
		try (Connection a = inSchema("lock_a").getConnection();
				Connection alsoA = inSchema("lock_a").getConnection();
				Connection b = inSchema("lock_b").getConnection()) {
			// given
			assertThat(AdvisoryLock.REFRESH.tryLock(a)).isTrue();

			// when, then
			assertThat(AdvisoryLock.REFRESH.tryLock(b)).isTrue();
			assertThat(AdvisoryLock.REFRESH.tryLock(alsoA)).isFalse();
			AdvisoryLock.REFRESH.unlock(a);
			AdvisoryLock.REFRESH.unlock(b);
		}
	}

	@Test
	void isHeldSeesAnotherSessionsLockInTheSameSchemaOnly() throws Exception {
		createSchemas("held_a", "held_b");
		JdbcClient inA = JdbcClient.create(inSchema("held_a"));
		JdbcClient inB = JdbcClient.create(inSchema("held_b"));
		try (Connection holder = inSchema("held_a").getConnection()) {
			// given
			assertThat(AdvisoryLock.REFRESH.isHeld(inA)).isFalse();
			AdvisoryLock.REFRESH.lock(holder);

			// when, then
			assertThat(AdvisoryLock.REFRESH.isHeld(inA)).isTrue();
			assertThat(AdvisoryLock.REFRESH.isHeld(inB)).isFalse();
			assertThat(AdvisoryLock.MANUAL_REFRESH.isHeld(inA)).isFalse();
			AdvisoryLock.REFRESH.unlock(holder);
			assertThat(AdvisoryLock.REFRESH.isHeld(inA)).isFalse();
		}
	}

	private static PGSimpleDataSource inSchema(String schema) {
		PGSimpleDataSource ds = new PGSimpleDataSource();
		ds.setUrl(database.jdbcUrl());
		ds.setUser(TestDatabase.user());
		ds.setCurrentSchema(schema);
		return ds;
	}

	private static void createSchemas(String... names) throws SQLException {
		try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
			for (String name : names) {
				s.execute("CREATE SCHEMA IF NOT EXISTS " + name);
			}
		}
	}

}
