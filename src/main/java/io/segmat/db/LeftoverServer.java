package io.segmat.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * An embedded PostgreSQL still running over a home whose segmat process is gone, as after
 * a SIGKILL: the server is detached from the JVM, so it outlives it and keeps the data
 * directory locked. The next command stops it (a fast shutdown, as {@code pg_ctl stop -m
 * fast} does) before starting its own, rather than waiting for a server that can never
 * start.
 * <p>
 * Only a server proven to be this home's is touched: the process named by
 * {@code postmaster.pid} must be a {@code postgres} whose {@code -D} is this data
 * directory, and the segmat process recorded as its owner must be dead.
 */
final class LeftoverServer {

	private final long pid;

	private final Path dataDirectory;

	private LeftoverServer(long pid, Path dataDirectory) {
		this.pid = pid;
		this.dataDirectory = dataDirectory;
	}

	/**
	 * Stops the server left running over {@code dataDirectory} by a dead segmat process,
	 * if there is one. The caller holds the home's lock, so no other command starts one
	 * meanwhile.
	 */
	static void stopIfOrphaned(Path home, Path dataDirectory, Duration stopWait, Consumer<String> notice)
			throws IOException {
		Optional<LeftoverServer> running = find(dataDirectory);
		if (running.isEmpty()) {
			return;
		}
		LeftoverServer server = running.get();
		Optional<EmbeddedServerOwner> owner = EmbeddedServerOwner.read(home);
		if (owner.isEmpty()) {
			throw new DatabaseUnavailableException("a PostgreSQL server that segmat did not start (process "
					+ server.pid + ") is running on " + dataDirectory + "; stop it, then try again");
		}
		if (owner.get().alive()) {
			throw new DatabaseBusyException("the embedded database under " + home + " is still used by process "
					+ owner.get().pid() + "; try again when it has finished");
		}
		notice.accept("stopping the embedded PostgreSQL left running under " + home + " by segmat process "
				+ owner.get().pid() + ", which ended without stopping it");
		server.stop(stopWait);
	}

	/** The postmaster running over {@code dataDirectory}, if any. */
	static Optional<LeftoverServer> find(Path dataDirectory) throws IOException {
		List<String> lines;
		try {
			lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.UTF_8);
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
		long pid;
		try {
			pid = Long.parseLong(lines.get(0).strip());
		}
		catch (RuntimeException ex) {
			// Half written: PostgreSQL itself rejects or replaces it on start.
			return Optional.empty();
		}
		if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()
				|| !isPostmasterOf(commandLine(pid), dataDirectory)) {
			// A stale file, or its process id now names another process: PostgreSQL
			// removes such a file itself.
			return Optional.empty();
		}
		return Optional.of(new LeftoverServer(pid, dataDirectory));
	}

	long pid() {
		return this.pid;
	}

	static boolean isPostmasterOf(List<String> commandLine, Path dataDirectory) {
		if (commandLine.isEmpty() || !Path.of(commandLine.get(0)).getFileName().toString().equals("postgres")) {
			return false;
		}
		int d = commandLine.indexOf("-D");
		return d >= 0 && d + 1 < commandLine.size() && sameDirectory(Path.of(commandLine.get(d + 1)), dataDirectory);
	}

	private static boolean sameDirectory(Path a, Path b) {
		if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
			return true;
		}
		try {
			return Files.isSameFile(a, b);
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static List<String> commandLine(long pid) {
		try {
			String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
					StandardCharsets.UTF_8);
			return List.of(raw.split("\0"));
		}
		catch (IOException ex) {
			// No /proc (not Linux) or the process just ended: nothing proves it ours.
			return List.of();
		}
	}

	/**
	 * A fast shutdown (SIGINT) rolls back what the dead process left open and
	 * checkpoints; if the server is still there after {@code wait}, an immediate one
	 * (SIGQUIT), which the next start recovers from its WAL.
	 */
	private void stop(Duration wait) {
		ProcessHandle handle = ProcessHandle.of(this.pid).orElse(null);
		if (handle == null) {
			return;
		}
		if (!Signals.send("INT", this.pid)) {
			// No kill(1) to run: a smart shutdown, which the dead command's idle sessions
			// do not hold up.
			handle.destroy();
		}
		if (awaitExit(handle, wait)) {
			return;
		}
		Signals.send("QUIT", this.pid);
		if (awaitExit(handle, wait)) {
			return;
		}
		throw new DatabaseUnavailableException("cannot stop the embedded PostgreSQL (process " + this.pid
				+ ") left running on " + this.dataDirectory + "; stop it, then try again");
	}

	private static boolean awaitExit(ProcessHandle handle, Duration wait) {
		try {
			handle.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (ExecutionException ex) {
			return !handle.isAlive();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return !handle.isAlive();
		}
	}

}
