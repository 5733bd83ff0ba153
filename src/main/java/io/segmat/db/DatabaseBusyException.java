package io.segmat.db;

/** The embedded database is held by another command (exit 75, try later). */
public final class DatabaseBusyException extends RuntimeException {

	public DatabaseBusyException(String message) {
		super(message);
	}

}
