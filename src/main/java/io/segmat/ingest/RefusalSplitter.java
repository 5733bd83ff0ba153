package io.segmat.ingest;

import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

import io.segmat.db.DatabaseFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The safety net under a chunk's checks. A chunk is written inside a savepoint of the
 * step's transaction; when PostgreSQL refuses a value the checks did not foresee (a data
 * exception or a violated constraint, SQLState class 22 or 23), the savepoint is rolled
 * back and the chunk is written again in halves, each in a savepoint of its own, down to
 * single rows: a refused row then costs only itself, and the rest of its chunk lands in
 * the same transaction as the step's tally. A clean chunk pays one savepoint.
 * <p>
 * Any other failure (the database gone, a lock timeout, a trigger's own exception) is not
 * a row's fault: it is rethrown and fails the step, which a rerun resumes.
 */
public final class RefusalSplitter {

	/**
	 * What a refused row is reported with: PostgreSQL's own message may quote other rows
	 * and names its tables, so it goes to no one but the log, by SQLState.
	 */
	public static final String REFUSED = "the database refused this row's values";

	private static final Logger logger = LoggerFactory.getLogger(RefusalSplitter.class);

	private final TransactionTemplate savepoint;

	public RefusalSplitter(PlatformTransactionManager transactionManager) {
		this.savepoint = new TransactionTemplate(transactionManager);
		this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
	}

	/**
	 * Writes {@code rows} with {@code writer}, splitting them around the rows PostgreSQL
	 * refuses, which go to {@code refused}, in their order. The writer counts what it
	 * wrote only once its statements succeeded: a part it wrote is not rolled back after.
	 */
	public <T> void write(List<T> rows, PartWriter<T> writer, Consumer<T> refused) {
		write(rows, writer, refused, false);
	}

	private <T> void write(List<T> rows, PartWriter<T> writer, Consumer<T> refused, boolean again) {
		try {
			this.savepoint.executeWithoutResult((status) -> writer.write(rows, again));
			return;
		}
		catch (DataAccessException ex) {
			String state = refusal(ex);
			if (state == null) {
				throw ex;
			}
			if (rows.size() == 1) {
				logger.warn("the database refused a row (SQLState {}); it is reported and skipped", state);
				refused.accept(rows.get(0));
				return;
			}
		}
		int half = rows.size() / 2;
		write(rows.subList(0, half), writer, refused, true);
		write(rows.subList(half, rows.size()), writer, refused, true);
	}

	/** The SQLState of a refused value, or null when the failure is not a row's. */
	static String refusal(Throwable failure) {
		return DatabaseFailures.sqlException(failure)
			.map(SQLException::getSQLState)
			.filter((state) -> state.startsWith("22") || state.startsWith("23"))
			.orElse(null);
	}

	/** Writes part of a chunk inside a savepoint. */
	@FunctionalInterface
	public interface PartWriter<T> {

		/**
		 * @param again whether an earlier part of the same chunk may have been written in
		 * this transaction, so that what it left behind (a staging table's rows) must be
		 * cleared first
		 */
		void write(List<T> part, boolean again);

	}

}
