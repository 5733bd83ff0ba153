package io.segmat.testsupport;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.segmat.cli.SegmatCommand;

/**
 * Runs segmat's command line in-process against a test database and captures what it
 * printed.
 */
public final class Cli {

	private final TestDatabase database;

	public Cli(TestDatabase database) {
		this.database = database;
	}

	public Result run(String... args) {
		return runWith(Map.of(), args);
	}

	/** Runs the command with {@code env} as its environment variables. */
	public Result runWith(Map<String, String> env, String... args) {
		List<String> all = new ArrayList<>(Arrays.asList(this.database.cliArguments()));
		all.addAll(Arrays.asList(args));
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int exit = SegmatCommand.execute(all.toArray(String[]::new), env, new PrintWriter(out, true),
				new PrintWriter(err, true));
		return new Result(exit, out.toString(), err.toString());
	}

	public record Result(int exitCode, String out, String err) {
	}

}
