package io.segmat;

import io.segmat.cli.SegmatCommand;

/** The executable jar's entry point. */
public final class Segmat {

	private Segmat() {
	}

	/** The system property logback.xml reads for the exception part of a log line. */
	static final String LOG_EXCEPTIONS = "segmat.log.exceptions";

	public static void main(String[] args) {
		// before anything logs, so logback reads it when it configures itself
		if (System.getenv("SEGMAT_DEBUG") != null) {
			System.setProperty(LOG_EXCEPTIONS, "%ex");
		}
		System.exit(SegmatCommand.execute(args, System.getenv()));
	}

}
