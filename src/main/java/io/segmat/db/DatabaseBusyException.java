package io.segmat.db;

/**
 * What a command needs is held by another: the embedded database, or the file it imports
 * (exit 75, try later).
 */
public final class DatabaseBusyException extends RuntimeException {

	public DatabaseBusyException(String message) {
		super(message);
	}

}
