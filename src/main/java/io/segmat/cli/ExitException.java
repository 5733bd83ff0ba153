package io.segmat.cli;

/** A command's own decision to end with a given exit code and message. */
final class ExitException extends RuntimeException {

	private final int exitCode;

	ExitException(int exitCode, String message) {
		super(message);
		this.exitCode = exitCode;
	}

	int exitCode() {
		return this.exitCode;
	}

}
