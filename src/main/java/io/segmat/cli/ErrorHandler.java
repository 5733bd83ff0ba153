package io.segmat.cli;

import java.sql.SQLException;

import io.segmat.InvalidInputException;
import io.segmat.LimitExceededException;
import io.segmat.NotFoundException;
import io.segmat.db.DatabaseBusyException;
import io.segmat.query.QueryException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure into a message on stderr and an exit code. A user never sees a stack
 * trace unless SEGMAT_DEBUG is set.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

	private final boolean debug;

	ErrorHandler(boolean debug) {
		this.debug = debug;
	}

	@Override
	public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
		var err = commandLine.getErr();
		Throwable cause = meaningful(ex);
		if (cause instanceof QueryException query) {
			query.errors().forEach((e) -> err.println("error: query_dsl: " + Printable.lines(e.message())));
		}
		else if (cause instanceof InvalidInputException invalid) {
			invalid.errors()
				.forEach((e) -> err.println("error: " + Printable.of(e.field() != null ? e.field() + ": " : "")
						+ Printable.lines(e.message())));
		}
		else {
			err.println("error: " + Printable.lines(describe(cause)));
		}
		if (this.debug) {
			ex.printStackTrace(err);
		}
		err.flush();
		return exitCode(cause);
	}

	static int exitCode(Throwable cause) {
		if (cause instanceof InvalidInputException || cause instanceof NotFoundException
				|| cause instanceof QueryException || cause instanceof IllegalArgumentException) {
			return ExitCodes.USAGE;
		}
		if (cause instanceof LimitExceededException) {
			return ExitCodes.LIMIT;
		}
		if (cause instanceof DatabaseBusyException) {
			return ExitCodes.LOCKED;
		}
		if (cause instanceof ExitException exit) {
			return exit.exitCode();
		}
		return ExitCodes.JOB_FAILED;
	}

	/**
	 * Spring wraps startup failures several times; the innermost segmat or SQL error says
	 * what happened.
	 */
	private static Throwable meaningful(Throwable ex) {
		Throwable current = ex;
		while (current.getCause() != null && current.getCause() != current
				&& !(current instanceof InvalidInputException) && !(current instanceof NotFoundException)
				&& !(current instanceof DatabaseBusyException) && !(current instanceof ExitException)
				&& !(current instanceof LimitExceededException) && !(current instanceof QueryException)) {
			current = current.getCause();
		}
		return current;
	}

	private static String describe(Throwable cause) {
		String message = cause.getMessage();
		if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
			return "cannot connect to the database: " + message;
		}
		return (message != null && !message.isBlank()) ? message : cause.getClass().getSimpleName();
	}

}
