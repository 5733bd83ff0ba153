package io.segmat.search;

/**
 * A search or a dry run ran past its statement timeout: the API answers 408, as SendGrid
 * does for a search over 20 seconds; the command line exits 1.
 */
public class EvaluationTimeoutException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	EvaluationTimeoutException(String message) {
		super(message);
	}

}
