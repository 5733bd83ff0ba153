package io.segmat.testsupport;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.segmat.cli.ExitCodes;
import io.segmat.cli.SegmatCommand;

/**
 * Runs segmat's command line in-process against a test database and captures what it
 * printed; or in a process of its own, as cron starts it, to be killed.
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

	/**
	 * Runs the command again while it exits 75, at most 50 times: a killed process's
	 * session may hold its advisory lock for a moment after the process died.
	 */
	public Result runUntilUnlocked(String... args) throws InterruptedException {
		Result result = run(args);
		for (int attempt = 1; attempt < 50 && result.exitCode() == ExitCodes.LOCKED; attempt++) {
			Thread.sleep(200);
			result = run(args);
		}
		return result;
	}

	/**
	 * Starts the command in a JVM of its own on the test classpath, its output and errors
	 * in {@code log}.
	 */
	public Process start(Path log, String... args) throws IOException {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						System.getProperty("java.class.path"), "io.segmat.Segmat"));
		command.addAll(Arrays.asList(this.database.cliArguments()));
		command.addAll(Arrays.asList(args));
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	/** What a command {@link #start started} has written to its log so far. */
	public static String log(Path log) throws IOException {
		return Files.exists(log) ? Files.readString(log) : "";
	}

	public record Result(int exitCode, String out, String err) {
	}

}
