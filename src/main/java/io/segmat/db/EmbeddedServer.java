package io.segmat.db;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The embedded PostgreSQL of a home, run from the binaries the jar carries
 * ({@link PostgresBinaries}) as a child of this process, without {@code pg_ctl} and
 * without the embedded library's start-up work: its Linux distribution probe (a shell
 * script and {@code lsb_release}), its {@code unshare} probe, its scan of old data
 * directories, and the 100 ms polls of {@code pg_ctl -w} and of its own readiness check.
 * <p>
 * The server runs in a session of its own ({@code setsid}, as {@code pg_ctl} does), so a
 * Ctrl-C at the terminal reaches the command, which winds down its work and then stops
 * the server, and not the server under it. As a child, its exit is seen when it happens,
 * not at the next poll. It still outlives a killed command, as the server {@code pg_ctl}
 * started did: {@link LeftoverServer} stops it on the next start. PostgreSQL refuses to
 * run as root: as root it runs in a user namespace of its own ({@code unshare -U}), as
 * the embedded library runs it.
 * <p>
 * Its log goes to {@code postgresql.log} beside the data directory, the last start's
 * only, and a failed start names it.
 */
final class EmbeddedServer implements AutoCloseable {

	private static final String LOG_FILE_NAME = "postgresql.log";

	/**
	 * The readiness poll: what a start costs above the server's own start is at most
	 * this.
	 */
	private static final Duration POLL = Duration.ofMillis(2);

	/**
	 * A fast shutdown checkpoints what is dirty in shared buffers (128 MB at most): after
	 * a large import that takes seconds on a slow disk.
	 */
	private static final Duration STOP_WAIT = Duration.ofSeconds(60);

	/**
	 * How often the stop signal goes again while the server runs. A postmaster that has
	 * not yet installed its handlers keeps the dispositions it inherited, and a command
	 * started in the background of a non-interactive shell (as CI runners and many
	 * schedulers start it) ignores SIGINT: the first signal can be dropped. Another one
	 * to a server already shutting down changes nothing.
	 */
	private static final Duration RESEND = Duration.ofSeconds(1);

	private final Process postmaster;

	private final int port;

	private final Path dataDirectory;

	private final Path log;

	private final Duration startupWait;

	private volatile boolean ready;

	private EmbeddedServer(Process postmaster, int port, Path dataDirectory, Path log, Duration startupWait) {
		this.postmaster = postmaster;
		this.port = port;
		this.dataDirectory = dataDirectory;
		this.log = log;
		this.startupWait = startupWait;
	}

	/**
	 * Starts the server over {@code dataDirectory} (made with {@code initdb} if it holds
	 * none yet) and returns once it accepts connections.
	 * @param settings {@code -c} settings, after the embedded library's defaults
	 */
	static EmbeddedServer start(Path dataDirectory, Map<String, String> settings, Duration startupWait)
			throws IOException {
		EmbeddedServer server = launch(dataDirectory, settings, startupWait);
		server.awaitReady();
		return server;
	}

	/**
	 * Starts the server and returns while it starts: its URL is known, and
	 * {@link #awaitReady} waits for it to accept connections, so the caller can do other
	 * work meanwhile.
	 */
	static EmbeddedServer launch(Path dataDirectory, Map<String, String> settings, Duration startupWait)
			throws IOException {
		Path bin = PostgresBinaries.directory().resolve("bin");
		Path log = dataDirectory.toAbsolutePath().resolveSibling(LOG_FILE_NAME);
		if (!Files.isRegularFile(dataDirectory.resolve("postgresql.conf"))) {
			initdb(bin, dataDirectory, log, startupWait);
		}
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(bin.resolve("postgres").toString(), "-D",
				dataDirectory.toString(), "-p", Integer.toString(port), "-F"));
		Map<String, String> all = new LinkedHashMap<>();
		// The embedded library's defaults, which the home's data has always run with.
		all.put("timezone", "UTC");
		all.put("synchronous_commit", "off");
		all.put("max_connections", "300");
		all.putAll(settings);
		all.forEach((name, value) -> command.addAll(List.of("-c", name + "=" + value)));
		Process postmaster = launch(command, log, true);
		return new EmbeddedServer(postmaster, port, dataDirectory, log, startupWait);
	}

	String jdbcUrl() {
		return "jdbc:postgresql://localhost:" + this.port + "/postgres?user=postgres";
	}

	/**
	 * A fast shutdown ({@code pg_ctl stop -m fast}): open transactions roll back, a
	 * checkpoint is written, the next start needs no recovery.
	 */
	@Override
	public void close() throws IOException {
		if (!this.postmaster.isAlive()) {
			return;
		}
		if (!Signals.send("INT", this.postmaster.pid())) {
			// Without kill(1), a smart shutdown: the command's connections are closed by
			// now.
			this.postmaster.destroy();
			awaitExit(this.postmaster, null, STOP_WAIT, STOP_WAIT);
			return;
		}
		awaitExit(this.postmaster, "INT", STOP_WAIT, RESEND);
	}

	/**
	 * Waits up to {@code wait} for {@code process} to exit, sending it {@code signal}
	 * again (when not null) every {@code resend} while it runs.
	 * @throws IOException when it still runs after {@code wait}
	 */
	static void awaitExit(Process process, String signal, Duration wait, Duration resend) throws IOException {
		try {
			for (long waited = 0; waited < wait.toMillis(); waited += resend.toMillis()) {
				if (process.waitFor(resend.toMillis(), TimeUnit.MILLISECONDS)) {
					return;
				}
				if (signal != null) {
					Signals.send(signal, process.pid());
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while stopping the server", ex);
		}
		throw new IOException(
				"the server (process " + process.pid() + ") did not stop within " + wait.toSeconds() + " s");
	}

	private static void initdb(Path bin, Path dataDirectory, Path log, Duration wait) throws IOException {
		Files.createDirectories(dataDirectory);
		Process initdb = launch(List.of(bin.resolve("initdb").toString(), "-A", "trust", "-U", "postgres", "-D",
				dataDirectory.toString(), "-E", "UTF-8"), log, false);
		try {
			if (!initdb.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
				initdb.destroyForcibly();
				throw new IOException("initdb did not finish within " + wait.toSeconds() + " s; see " + log);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			initdb.destroyForcibly();
			throw new IOException("interrupted while initdb ran", ex);
		}
		if (initdb.exitValue() != 0) {
			throw new IOException("initdb failed (exit " + initdb.exitValue() + "); see " + log);
		}
	}

	private static Process launch(List<String> program, Path log, boolean ownSession) throws IOException {
		List<String> command = new ArrayList<>();
		if (runsAsRoot()) {
			command.addAll(List.of("unshare", "-U"));
		}
		command.addAll(program);
		if (ownSession) {
			List<String> inSession = new ArrayList<>(command);
			// exec's in place (this process is no group leader): the child is the
			// postmaster
			inSession.add(0, "setsid");
			try {
				return start(inSession, log);
			}
			catch (IOException ex) {
				// No setsid(1) to run (a system without util-linux): the server then
				// shares the command's session, as the only loss.
			}
		}
		return start(command, log);
	}

	private static Process start(List<String> command, Path log) throws IOException {
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
			.start();
	}

	private static boolean runsAsRoot() {
		try {
			return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * Whether {@link #awaitReady} saw the server accept connections, and it still runs.
	 */
	boolean ready() {
		return this.ready && this.postmaster.isAlive();
	}

	/**
	 * Returns once the server accepts connections: when {@code postmaster.pid} names it
	 * and says {@code ready}, the test {@code pg_ctl -w} makes, polled finely. A server
	 * that exits or does not get there in time is stopped and reported with its log.
	 */
	void awaitReady() throws IOException {
		if (this.ready) {
			return;
		}
		try {
			pollReady();
			this.ready = true;
		}
		catch (IOException | RuntimeException ex) {
			close();
			throw ex;
		}
	}

	private void pollReady() throws IOException {
		Path pidFile = this.dataDirectory.resolve("postmaster.pid");
		String pid = Long.toString(this.postmaster.pid());
		long deadline = System.nanoTime() + this.startupWait.toNanos();
		while (true) {
			if (!this.postmaster.isAlive()) {
				throw new IOException("the server exited during its start (exit " + this.postmaster.exitValue()
						+ "); see " + this.log);
			}
			List<String> lines = readLines(pidFile);
			if (lines.size() >= 8 && lines.get(0).strip().equals(pid) && lines.get(7).strip().equals("ready")) {
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new IOException(
						"the server did not start within " + this.startupWait.toSeconds() + " s; see " + this.log);
			}
			try {
				Thread.sleep(POLL.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("interrupted while the server started", ex);
			}
		}
	}

	private static List<String> readLines(Path file) throws IOException {
		try {
			return Files.readAllLines(file, StandardCharsets.UTF_8);
		}
		catch (NoSuchFileException ex) {
			return List.of();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
