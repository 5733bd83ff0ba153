package io.segmat.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.segmat.db.DatabaseSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code segmat} command and its subcommands. */
@Command(name = "segmat", mixinStandardHelpOptions = true, version = "segmat 0.1.0",
		description = "Keeps SendGrid-style contact segments materialized in PostgreSQL.",
		subcommands = { MigrateCommand.class, FieldsCommand.class, ListsCommand.class, ContactsCommand.class,
				EventsCommand.class, SegmentsCommand.class, QueryCommand.class, RefreshCommand.class, RunCommand.class,
				RunsCommand.class, StatusCommand.class, ExecutionCommands.Recover.class,
				ExecutionCommands.Restart.class, ExecutionCommands.Stop.class, ExecutionCommands.Abandon.class,
				ServeCommand.class, DemoCommand.class, ChangesCommand.class },
		exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:success (also: the slot already completed)",
				"1:the job failed (status: the refresh is unhealthy)", "2:bad usage or invalid input",
				"3:the job completed but some segments failed", "4:a limit was hit (manual refresh quota)",
				"75:try later: another run holds the lock, or the database is busy or unreachable" },
		footerHeading = "%nEnvironment:%n",
		footer = { "  SEGMAT_DB_URL, SEGMAT_DB_USER, SEGMAT_DB_PASSWORD  an existing PostgreSQL 14+",
				"  SEGMAT_DB_SCHEMA  the PostgreSQL schema of this account (default public)",
				"  SEGMAT_HOME  where the embedded PostgreSQL keeps its data (default ./.segmat)" })
public final class SegmatCommand implements Runnable {

	@Mixin
	DatabaseOptions database;

	private final Map<String, String> env;

	private PrintWriter out;

	private PrintWriter err;

	private SegmatCommand(Map<String, String> env) {
		this.env = env;
	}

	/** Runs the command line and returns its exit code; never throws. */
	public static int execute(String[] args, Map<String, String> env) {
		// UTF-8 whatever the platform default: Java 17 under a POSIX locale would
		// print each non-ASCII character of an email or a segment name as '?'.
		return execute(args, env, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
				new PrintWriter(System.err, true, StandardCharsets.UTF_8));
	}

	public static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
		SegmatCommand root = new SegmatCommand(env);
		root.out = out;
		root.err = err;
		CommandLine commandLine = new CommandLine(root);
		commandLine.setOut(out);
		commandLine.setErr(err);
		commandLine.setCaseInsensitiveEnumValuesAllowed(true);
		commandLine.setExecutionExceptionHandler(new ErrorHandler(env.containsKey("SEGMAT_DEBUG")));
		return commandLine.execute(args);
	}

	@Spec
	CommandSpec spec;

	@Override
	public void run() {
		this.spec.commandLine().usage(this.err);
		throw new ExitException(ExitCodes.USAGE, "a command is required");
	}

	DatabaseSettings databaseSettings() {
		return this.database.settings(this.env);
	}

	Map<String, String> env() {
		return this.env;
	}

	PrintWriter out() {
		return this.out;
	}

	PrintWriter err() {
		return this.err;
	}

}
