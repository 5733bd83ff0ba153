package io.segmat.db;

import java.sql.SQLException;
import java.util.Optional;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * What a user is told of a failure the database reported. PostgreSQL's own texts name
 * tables and constraints and can quote other rows' values, so they reach the log only,
 * and only with {@code SEGMAT_DEBUG} set; the user gets the SQLSTATE, which an operator
 * can look up. The one exception is an error raised by a trigger or function of the
 * operator's own ({@code RAISE EXCEPTION}, SQLSTATE P0001): its primary message is the
 * operator's words, written for whoever meets it.
 */
public final class DatabaseFailures {

	private static final String RAISED = "P0001";

	private DatabaseFailures() {
	}

	/** The words for {@code failure}, when the database is what failed. */
	public static Optional<String> describe(Throwable failure) {
		return sqlException(failure).map(DatabaseFailures::describe);
	}

	/**
	 * The database's own report inside {@code failure}: Spring, Batch and segmat wrap the
	 * driver's exception in layers of their own.
	 */
	public static Optional<SQLException> sqlException(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql) {
				return Optional.of(sql);
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return Optional.empty();
	}

	private static String describe(SQLException sql) {
		String state = sql.getSQLState();
		if (RAISED.equals(state) && sql instanceof PSQLException psql) {
			ServerErrorMessage server = psql.getServerErrorMessage();
			if (server != null && server.getMessage() != null) {
				return "the database refused it: " + server.getMessage();
			}
		}
		return "the database refused it (SQLSTATE " + ((state != null) ? state : "unknown") + "); its log says why";
	}

}
