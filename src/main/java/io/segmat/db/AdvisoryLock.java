package io.segmat.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every PostgreSQL advisory lock segmat takes, with its key. Keeping the keys in one
 * place keeps them distinct, and lets an operator read {@code pg_locks.objid} back to a
 * name.
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
	CONTACT_IMPORT(0x5E6A_7C01L);

	private final long key;

	AdvisoryLock(long key) {
		this.key = key;
	}

	/**
	 * The key, as {@code pg_locks} shows it split into {@code classid} and {@code objid}.
	 */
	public long key() {
		return this.key;
	}

	/** Waits for the lock, exclusively, until the current transaction ends. */
	public void lockForTransaction(JdbcClient jdbc) {
		jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(this.key).query().singleRow();
	}

	/** Waits for the lock, shared, until the current transaction ends. */
	public void lockSharedForTransaction(JdbcClient jdbc) {
		jdbc.sql("SELECT pg_advisory_xact_lock_shared(?)").param(this.key).query().singleRow();
	}

	/** Waits for the lock on this connection's session. */
	public void lock(Connection session) throws SQLException {
		// pg_advisory_lock returns void: ask for a boolean that says it returned
		call(session, "SELECT pg_advisory_lock(?) IS NULL");
	}

	/** Takes the lock on this connection's session if it is free. */
	public boolean tryLock(Connection session) throws SQLException {
		return call(session, "SELECT pg_try_advisory_lock(?)");
	}

	/** Releases a lock taken on this connection's session. */
	public void unlock(Connection session) throws SQLException {
		call(session, "SELECT pg_advisory_unlock(?)");
	}

	private boolean call(Connection session, String sql) throws SQLException {
		try (PreparedStatement statement = session.prepareStatement(sql)) {
			statement.setLong(1, this.key);
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getBoolean(1);
			}
		}
	}

}
