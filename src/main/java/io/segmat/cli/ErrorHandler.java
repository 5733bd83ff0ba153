package io.segmat.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.function.Supplier;

import io.segmat.InvalidInputException;
import io.segmat.LimitExceededException;
import io.segmat.NotFoundException;
import io.segmat.db.DatabaseBusyException;
import io.segmat.db.DatabaseFailures;
import io.segmat.db.DatabaseSettings;
import io.segmat.db.Unreachable;
import io.segmat.query.QueryException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure into a message on stderr and an exit code. A user never sees a stack
 * trace unless SEGMAT_DEBUG is set. A database that cannot be reached exits 75, as a busy
 * one does: a scheduler's next attempt may well succeed.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

	private final boolean debug;

	ErrorHandler(boolean debug) {
		this.debug = debug;
	}

	@Override
	public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
		return report(ex, commandLine.getErr(), () -> where(commandLine));
	}

	/**
	 * Says on {@code err} what went wrong and returns the exit code.
	 * @param where the database's address, for a failure to reach it
	 */
	int report(Exception ex, PrintWriter err, Supplier<String> where) {
		Throwable cause = meaningful(ex);
		// Only a failure of no kind of segmat's own: those say what went wrong better
		boolean unreachable = exitCode(cause) == ExitCodes.JOB_FAILED && Unreachable.database(ex);
		if (unreachable) {
			err.println("error: cannot reach the database" + where.get() + "; try again later");
		}
		else if (cause instanceof QueryException query) {
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
		return unreachable ? ExitCodes.LOCKED : exitCode(cause);
	}

	/** The database's address as the command was given it, not as the driver says it. */
	static String where(CommandLine commandLine) {
		if (commandLine.getCommandSpec().root().userObject() instanceof SegmatCommand root) {
			DatabaseSettings settings = root.databaseSettings();
			return settings.embedded() ? " under " + settings.home() : " at " + Unreachable.address(settings.url());
		}
		return "";
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
		Optional<String> database = DatabaseFailures.describe(cause);
		if (database.isPresent()) {
			return database.get();
		}
		String message = cause.getMessage();
		return (message != null && !message.isBlank()) ? message : cause.getClass().getSimpleName();
	}

}
