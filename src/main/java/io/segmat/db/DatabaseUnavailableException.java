package io.segmat.db;

/** The database could not be reached or started. */
public final class DatabaseUnavailableException extends RuntimeException {

	public DatabaseUnavailableException(String message) {
		super(message);
	}

	public DatabaseUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
