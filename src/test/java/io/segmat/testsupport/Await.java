package io.segmat.testsupport;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Waits, polling, for a condition that another process or session brings about. A wait
 * past its patience fails the test, saying what it waited for and what it saw.
 */
public final class Await {

	private static final Duration POLL = Duration.ofMillis(50);

	private Await() {
	}

	/**
	 * Polls {@code condition} until it holds.
	 * @throws AssertionError when {@code patience} passes first
	 */
	public static void until(String what, Duration patience, Callable<Boolean> condition) throws Exception {
		until(what, patience, condition, () -> "");
	}

	/**
	 * Polls {@code condition} until it holds.
	 * @param seen what the failure reports beside its wait (a child's log, the runs),
	 * read only when the patience has run out
	 * @throws AssertionError when {@code patience} passes first
	 */
	public static void until(String what, Duration patience, Callable<Boolean> condition, Callable<String> seen)
			throws Exception {
		long deadline = System.nanoTime() + patience.toNanos();
		while (!condition.call()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("timed out waiting for " + what + "; " + seen.call());
			}
			Thread.sleep(POLL.toMillis());
		}
	}

}
