package io.segmat.db;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Java signals a process only with SIGTERM and SIGKILL; PostgreSQL's fast shutdown is
 * SIGINT, and its immediate one SIGQUIT: they go through kill(1).
 */
final class Signals {

	private Signals() {
	}

	/** Whether kill(1) ran and sent {@code name} (INT, QUIT) to {@code pid}. */
	static boolean send(String name, long pid) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			return kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
