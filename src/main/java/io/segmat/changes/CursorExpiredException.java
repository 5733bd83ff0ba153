package io.segmat.changes;

/**
 * A cursor from before the retained changes: the changes after it are partly pruned, so
 * reading on would leave a gap. The API answers 410, the command line exits 2.
 */
public class CursorExpiredException extends RuntimeException {

	CursorExpiredException(String message) {
		super(message);
	}

}
