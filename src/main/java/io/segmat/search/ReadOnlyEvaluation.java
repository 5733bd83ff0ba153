package io.segmat.search;

import java.time.Duration;
import java.util.function.Supplier;

import io.segmat.db.DatabaseFailures;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs reads in one read-only transaction with one snapshot (REPEATABLE READ) under a
 * statement timeout. {@code SET TRANSACTION READ ONLY} comes first, so that PostgreSQL
 * itself refuses any write, whatever the statements after it are.
 */
final class ReadOnlyEvaluation {

	/**
	 * PostgreSQL's query_canceled: what a statement past statement_timeout fails with.
	 */
	private static final String CANCELED = "57014";

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	ReadOnlyEvaluation(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactionManager);
		this.transaction.setReadOnly(true);
		this.transaction.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
	}

	/**
	 * {@code work} in a read-only transaction whose statements may each run for
	 * {@code timeout}; past it, an EvaluationTimeoutException that says {@code what} took
	 * too long.
	 */
	<T> T run(Duration timeout, String what, Supplier<T> work) {
		try {
			return this.transaction.execute((status) -> {
				this.jdbc.sql("SET TRANSACTION READ ONLY").update();
				this.jdbc.sql("SELECT set_config('statement_timeout', ?, true)")
					.param(timeout.toMillis() + "ms")
					.query()
					.singleRow();
				return work.get();
			});
		}
		catch (DataAccessException ex) {
			if (DatabaseFailures.sqlException(ex).map((sql) -> CANCELED.equals(sql.getSQLState())).orElse(false)) {
				throw new EvaluationTimeoutException(what + " ran past its statement timeout of " + shown(timeout));
			}
			throw ex;
		}
	}

	private static String shown(Duration timeout) {
		return (timeout.toMillis() % 1000 == 0) ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
	}

}
