package io.segmat;

import io.segmat.cli.SegmatCommand;

/** The executable jar's entry point. */
public final class Segmat {

	private Segmat() {
	}

	public static void main(String[] args) {
		System.exit(SegmatCommand.execute(args, System.getenv()));
	}

}
