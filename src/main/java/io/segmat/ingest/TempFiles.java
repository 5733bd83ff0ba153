package io.segmat.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A request body on its way into a file job: jobs read files, so that a restart reads the
 * same rows again, and the file only has to outlive the job.
 */
public final class TempFiles {

	private TempFiles() {
	}

	/**
	 * Runs {@code work} on a new temporary file and deletes the file afterwards, whatever
	 * happened.
	 */
	public static <T> T withTempFile(String prefix, FileWork<T> work) {
		Path file = null;
		try {
			file = Files.createTempFile(prefix, ".ndjson");
			return work.apply(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write the request to a temporary file", ex);
		}
		finally {
			if (file != null) {
				try {
					Files.deleteIfExists(file);
				}
				catch (IOException ex) {
					// a leftover temporary file is harmless; the job already read it
				}
			}
		}
	}

	/** What to do with the file while it exists. */
	@FunctionalInterface
	public interface FileWork<T> {

		T apply(Path file) throws IOException;

	}

}
