package io.segmat.db;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The database's monotonic change sequence, and the lock that makes its watermark safe.
 * <p>
 * Sequence numbers are handed out in one order and committed in another, so "the highest
 * number I can see" is not a safe watermark by itself: a transaction holding a lower
 * number may still commit. Writers therefore allocate numbers under a shared
 * transaction-scoped advisory lock, and {@link #committedWatermark()} takes it
 * exclusively for an instant: once it holds the lock, every number handed out so far
 * belongs to a committed transaction.
 */
@Component
public final class ChangeSequence {

	private final JdbcClient jdbc;

	private final TransactionTemplate tx;

	ChangeSequence(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.tx = new TransactionTemplate(transactionManager);
		// Its own short transaction: inside a caller's, the exclusive lock would block
		// writers until that one ends.
		this.tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/**
	 * Marks the current transaction as a writer of tracked data. Call it inside the
	 * writing transaction, before taking numbers from {@code change_seq}.
	 */
	public void joinWrite() {
		AdvisoryLock.CHANGES.lockSharedForTransaction(this.jdbc);
	}

	/**
	 * The highest change number whose transaction has committed, and all below it too.
	 */
	public long committedWatermark() {
		return this.tx.execute((status) -> {
			AdvisoryLock.CHANGES.lockForTransaction(this.jdbc);
			return this.jdbc.sql("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM change_seq")
				.query(Long.class)
				.single();
		});
	}

}
