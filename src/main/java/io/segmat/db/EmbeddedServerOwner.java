package io.segmat.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/**
 * The process that started the embedded server over a home, recorded under the home.
 * PostgreSQL runs detached from it (its parent is init as soon as {@code pg_ctl}
 * returns), so this record is the only way a later command can tell a server whose segmat
 * process died from one still in use. The start instant tells a reused process id from
 * the recorded process.
 */
record EmbeddedServerOwner(long pid, Instant started) {

	static final String FILE_NAME = "embedded-server.owner";

	static EmbeddedServerOwner current() {
		ProcessHandle self = ProcessHandle.current();
		return new EmbeddedServerOwner(self.pid(), self.info().startInstant().orElse(null));
	}

	/** The recorded owner, if the record is there and readable. */
	static Optional<EmbeddedServerOwner> read(Path home) throws IOException {
		String text;
		try {
			text = Files.readString(home.resolve(FILE_NAME), StandardCharsets.US_ASCII).strip();
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
		String[] parts = text.split("\\s+", -1);
		try {
			long pid = Long.parseLong(parts[0]);
			Instant started = (parts.length > 1) ? Instant.parse(parts[1]) : null;
			return Optional.of(new EmbeddedServerOwner(pid, started));
		}
		catch (RuntimeException ex) {
			// A record cut short by a crash while writing names no one.
			return Optional.empty();
		}
	}

	void record(Path home) throws IOException {
		Path file = home.resolve(FILE_NAME);
		Path temp = home.resolve(FILE_NAME + ".new");
		Files.writeString(temp, this.pid + ((this.started != null) ? " " + this.started : "") + "\n",
				StandardCharsets.US_ASCII);
		Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	/**
	 * Whether the recorded process still runs (and is the same process, not a reuse of
	 * its id).
	 */
	boolean alive() {
		Optional<ProcessHandle> handle = ProcessHandle.of(this.pid).filter(ProcessHandle::isAlive);
		if (handle.isEmpty()) {
			return false;
		}
		if (this.started == null) {
			return true;
		}
		return handle.get().info().startInstant().map(this.started::equals).orElse(true);
	}

}
