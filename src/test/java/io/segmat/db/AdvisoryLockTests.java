package io.segmat.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

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

	@Test
	void whileHeldRunsTheWorkHoldingTheLockAndReleasesItAfterwardsEvenWhenTheWorkFails() throws Exception {
		JdbcClient jdbc = JdbcClient.create(dataSource);
		try (Connection kept = dataSource.getConnection()) {
			// given a data source whose session outlives the work, as a pool's does
			DataSource pool = new SingleConnectionDataSource(kept, true);

			// when work runs under the lock, once returning and once failing
			Optional<Boolean> heldDuring = AdvisoryLock.CHANGE_DELIVERY.whileHeld(pool,
					() -> AdvisoryLock.CHANGE_DELIVERY.isHeld(jdbc));
			Throwable failed = catchThrowable(() -> AdvisoryLock.CHANGE_DELIVERY.whileHeld(pool, () -> {
				throw new IllegalStateException("the work failed");
			}));

			// then the work saw the lock held, its failure came through, and the session
			// no longer holds the lock
			assertThat(heldDuring).contains(true);
			assertThat(failed).isInstanceOf(IllegalStateException.class).hasMessage("the work failed");
			assertThat(AdvisoryLock.CHANGE_DELIVERY.isHeld(jdbc)).isFalse();
		}
	}

	@Test
	void whileHeldReturnsTheWorksResultWhenItsSessionEndedDuringTheWork() throws Exception {
		JdbcClient jdbc = JdbcClient.create(dataSource);
		// given a session that ends while the work runs, as a connection the database
		// dropped does
		Connection lost = dataSource.getConnection();

		// when the work completes
		Optional<String> result = AdvisoryLock.CHANGE_DELIVERY.whileHeld(new SingleConnectionDataSource(lost, false),
				() -> {
					close(lost);
					return "delivered";
				});

		// then its result comes through (the release could not be asked for, and had no
		// need: the lock went with the session)
		assertThat(result).contains("delivered");
		assertThat(AdvisoryLock.CHANGE_DELIVERY.isHeld(jdbc)).isFalse();
	}

	@Test
	void whileHeldRunsNothingWhenAnotherSessionHoldsTheLock() throws Exception {
		try (Connection other = dataSource.getConnection()) {
			// given
			AdvisoryLock.CHANGE_DELIVERY.lock(other);
			AtomicBoolean ran = new AtomicBoolean();

			// when
			Optional<String> result = AdvisoryLock.CHANGE_DELIVERY.whileHeld(dataSource, () -> {
				ran.set(true);
				return "ran";
			});

			// then
			assertThat(result).isEmpty();
			assertThat(ran).isFalse();
			AdvisoryLock.CHANGE_DELIVERY.unlock(other);
		}
	}

	@Test
	void anItemsLockKeepsOutTheSameItemOnlyAndIsFreeAfterTheWork() throws Exception {
		try (Connection kept = dataSource.getConnection(); Connection other = dataSource.getConnection()) {
			// when work runs under one item's lock, on a session that outlives it, then
			// another session asks for that item and for another
			Optional<boolean[]> asked = AdvisoryLock.FILE_IMPORT.whileHeld(new SingleConnectionDataSource(kept, true),
					"a.ndjson",
					() -> new boolean[] { tryThenRelease(other, "a.ndjson"), tryThenRelease(other, "b.ndjson") });

			// then only the same item was refused, and after the work it is free
			assertThat(asked).get().satisfies((both) -> assertThat(both).containsExactly(false, true));
			assertThat(tryThenRelease(other, "a.ndjson")).isTrue();
		}
	}

	@Test
	void whileHeldSaysWhichLockItCouldNotAskForWhenTheDatabaseIsUnreachable() {
		PGSimpleDataSource unreachable = new PGSimpleDataSource();
		unreachable.setUrl("jdbc:postgresql://127.0.0.1:1/segmat");
		unreachable.setConnectTimeout(5);

		Throwable refused = catchThrowable(() -> AdvisoryLock.REFRESH.whileHeld(unreachable, () -> "ran"));

		assertThat(refused).isInstanceOf(DataAccessResourceFailureException.class)
			.hasMessage("cannot take the REFRESH lock")
			.hasCauseInstanceOf(SQLException.class);
	}

	private static void close(Connection session) {
		try {
			session.close();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static boolean tryThenRelease(Connection session, String item) {
		try {
			boolean taken = AdvisoryLock.FILE_IMPORT.tryLock(session, item);
			if (taken) {
				AdvisoryLock.FILE_IMPORT.unlock(session, item);
			}
			return taken;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
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
