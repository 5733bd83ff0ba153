package io.segmat;

/**
 * A quota was used up: exit 4 on the command line, 429 in the API. The message says which
 * and when it resets.
 */
public class LimitExceededException extends RuntimeException {

	public LimitExceededException(String message) {
		super(message);
	}

}
