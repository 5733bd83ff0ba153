package io.segmat.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every PostgreSQL advisory lock segmat takes, with its key. Keeping the keys in one
 * place keeps them distinct, and lets an operator read {@code pg_locks} back to a name.
 * <p>
 * A lock is per account: it is PostgreSQL's two-key form, the lock's key and a hash of
 * the session's schema ({@code hashtext(current_schema())}, the account every statement
 * runs in), so one account's refresh never waits for another's. {@code pg_locks} shows
 * the key as {@code classid} and the schema's hash as {@code objid}, with
 * {@code objsubid} 2. Two schemas whose names hash alike would share their locks: they
 * would take turns, never run two refreshes of one account at once.
 * <p>
 * A transaction-scoped lock goes with the caller's transaction. A session lock is held on
 * a connection the caller keeps for the purpose, so that the work it guards can use
 * transactions of its own on other connections.
 */
public enum AdvisoryLock {

	/**
	 * Writers of tracked data share it; reading the committed watermark takes it
	 * exclusively for an instant ({@link ChangeSequence}).
	 */
	CHANGES(0x5E6A_7001L),

	/** One materialization run at a time, across machines. */
	REFRESH(0x5E6A_7002L),

	/** Makes a manual refresh's quota check and the refresh one step. */
	MANUAL_REFRESH(0x5E6A_7003L),

	/** One delivery of the change feed to its webhook at a time. */
	CHANGE_DELIVERY(0x5E6A_7004L),

	/** Contact imports take turns chunk by chunk, so new contacts are plain inserts. */
	CONTACT_IMPORT(0x5E6A_7C01L),

	/**
	 * One import of a file at a time, per file and parameters ({@code FileJobRunner}): a
	 * second would take the first's live run for a dead one. Taken per item:
	 * {@code objid} is then the hash of the schema and the item together.
	 */
	FILE_IMPORT(0x5E6A_7C02L);

	private final int key;

	/** A key must fit the first int4 of the two-key form, and no two may be equal. */
	AdvisoryLock(long key) {
		if (key != (int) key) {
			throw new IllegalArgumentException("advisory lock key " + key + " does not fit an int4");
		}
		this.key = (int) key;
	}

	/** The key, as {@code pg_locks} shows it in {@code classid}. */
	public long key() {
		return this.key;
	}

	/** Waits for the lock, exclusively, until the current transaction ends. */
	public void lockForTransaction(JdbcClient jdbc) {
		jdbc.sql("SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))").param(this.key).query().singleRow();
	}

	/** Waits for the lock, shared, until the current transaction ends. */
	public void lockSharedForTransaction(JdbcClient jdbc) {
		jdbc.sql("SELECT pg_advisory_xact_lock_shared(?, hashtext(current_schema()))")
			.param(this.key)
			.query()
			.singleRow();
	}

	/** Waits for the lock on this connection's session. */
	public void lock(Connection session) throws SQLException {
		// pg_advisory_lock returns void: ask for a boolean that says it returned
		call(session, "SELECT pg_advisory_lock(?, hashtext(current_schema())) IS NULL");
	}

	/** Takes the lock on this connection's session if it is free. */
	public boolean tryLock(Connection session) throws SQLException {
		return call(session, "SELECT pg_try_advisory_lock(?, hashtext(current_schema()))");
	}

	/** Releases a lock taken on this connection's session. */
	public void unlock(Connection session) throws SQLException {
		call(session, "SELECT pg_advisory_unlock(?, hashtext(current_schema()))");
	}

	/**
	 * Takes the lock for one {@code item} of the account on this connection's session, if
	 * it is free. Two items whose hashes are equal share a lock: one of them is turned
	 * away for a while, never let in twice.
	 */
	public boolean tryLock(Connection session, String item) throws SQLException {
		return call(session, "SELECT pg_try_advisory_lock(?, hashtext(current_schema() || '/' || ?))", item);
	}

	/** Releases a lock taken for {@code item} on this connection's session. */
	public void unlock(Connection session, String item) throws SQLException {
		call(session, "SELECT pg_advisory_unlock(?, hashtext(current_schema() || '/' || ?))", item);
	}

	/**
	 * Runs {@code work} while holding the lock, taken on a connection of its own that
	 * stays open for the work's length (the work's transactions run on others); empty,
	 * without running it, when another session holds the lock. The lock is released when
	 * the work ends, or by PostgreSQL with the session when the process dies first.
	 * @throws DataAccessResourceFailureException when the lock cannot be asked for
	 */
	public <T> Optional<T> whileHeld(DataSource dataSource, Supplier<T> work) {
		return whileHeld(dataSource, null, work);
	}

	/**
	 * {@link #whileHeld(DataSource, Supplier)} for one {@code item} of the account, as
	 * {@link #tryLock(Connection, String)} takes it.
	 */
	public <T> Optional<T> whileHeld(DataSource dataSource, String item, Supplier<T> work) {
		try (Connection session = dataSource.getConnection()) {
			if (!((item != null) ? tryLock(session, item) : tryLock(session))) {
				return Optional.empty();
			}
			try {
				return Optional.of(work.get());
			}
			finally {
				release(session, item);
			}
		}
		catch (SQLException ex) {
			throw new DataAccessResourceFailureException("cannot take the " + name() + " lock", ex);
		}
	}

	/**
	 * Releases a lock held for {@link #whileHeld}. It fails only with its session, whose
	 * end releases the lock anyway; the work's own outcome then says more than this
	 * failure would.
	 */
	private void release(Connection session, String item) {
		try {
			if (item != null) {
				unlock(session, item);
			}
			else {
				unlock(session);
			}
		}
		catch (SQLException ex) {
			// the session is gone, and its locks with it
		}
	}

	/**
	 * Whether any session holds the lock for the account of this connection's schema,
	 * without taking it: taking it even for an instant could turn away the run it asks
	 * about.
	 */
	public boolean isHeld(JdbcClient jdbc) {
		return jdbc
			.sql("""
					SELECT EXISTS (SELECT FROM pg_locks
					               WHERE locktype = 'advisory' AND granted AND objsubid = 2
					                 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
					                 AND classid::bigint = ? AND objid::bigint = hashtext(current_schema())::bigint & 4294967295)
					""")
			.param(this.key)
			.query(Boolean.class)
			.single();
	}

	private boolean call(Connection session, String sql, String... items) throws SQLException {
		try (PreparedStatement statement = session.prepareStatement(sql)) {
			statement.setInt(1, this.key);
			for (int i = 0; i < items.length; i++) {
				statement.setString(i + 2, items[i]);
			}
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getBoolean(1);
			}
		}
	}

}
