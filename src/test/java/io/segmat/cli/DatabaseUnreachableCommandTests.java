package io.segmat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.segmat.testsupport.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command whose database cannot be reached exits 75 (try later) with one line on stderr
 * that says where it looked: no stack trace, no driver's text. Tested against a port
 * nothing listens on, and against a real server stopped and started again.
 */
@Tag("slow")
class DatabaseUnreachableCommandTests {

	/**
	 * In a process of its own, as cron runs it: what reaches stderr is all of stderr,
	 * Spring's and the pool's logging included.
	 */
	@Test
	void aPortWhereNothingListensExits75WithOneLine(@TempDir Path home) throws Exception {
		int port = freePort();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.segmat.Segmat",
				"--db-url", "jdbc:postgresql://localhost:" + port + "/segmat", "segments", "list")
			.directory(home.toFile())
			.redirectError(home.resolve("stderr").toFile())
			.start();
		process.getOutputStream().close();

		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		int exit = process.waitFor();
		String err = Files.readString(home.resolve("stderr"));

		assertThat(exit).isEqualTo(ExitCodes.LOCKED);
		assertThat(err).isEqualTo(
				"error: cannot reach the database at localhost:" + port + "; try again later" + System.lineSeparator());
		assertThat(out).isEmpty();
	}

	@Test
	void aStoppedServerExits75AndOnceStartedAgainTheCommandSucceeds(@TempDir Path dataDirectory) throws IOException {
		EmbeddedPostgres server = TestDatabase.startServer(dataDirectory, 0);
		int port = server.getPort();
		String url = "jdbc:postgresql://localhost:" + port + "/postgres";
		try {
			assertThat(run(url, "migrate").exitCode()).isZero();
			server.close();

			Result stopped = run(url, "lists", "list");

			assertThat(stopped.exitCode()).isEqualTo(ExitCodes.LOCKED);
			assertThat(stopped.err()).isEqualTo("error: cannot reach the database at localhost:" + port
					+ "; try again later" + System.lineSeparator());

			server = TestDatabase.startServer(dataDirectory, port);
			assertThat(run(url, "lists", "list").exitCode()).isZero();
		}
		finally {
			server.close();
		}
	}

	@Test
	void withSegmatDebugTheTraceFollowsTheLine() {
		Result result = run("jdbc:postgresql://localhost:" + freePort() + "/segmat", Map.of("SEGMAT_DEBUG", "1"),
				"migrate");

		assertThat(result.exitCode()).isEqualTo(ExitCodes.LOCKED);
		assertThat(result.err()).startsWith("error: cannot reach the database at localhost:")
			.contains("Connection refused");
	}

	private static Result run(String url, String... command) {
		return run(url, Map.of(), command);
	}

	private static Result run(String url, Map<String, String> env, String... command) {
		String[] args = new String[command.length + 4];
		args[0] = "--db-url";
		args[1] = url;
		args[2] = "--db-user";
		args[3] = "postgres";
		System.arraycopy(command, 0, args, 4, command.length);
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int exit = SegmatCommand.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
		return new Result(exit, out.toString(), err.toString());
	}

	/** A port that was free a moment ago: nothing listens on it. */
	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private record Result(int exitCode, String out, String err) {
	}

}
