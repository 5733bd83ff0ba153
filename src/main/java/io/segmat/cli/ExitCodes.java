package io.segmat.cli;

/** Exit codes, for cron and Kubernetes (README, Exit codes). */
public final class ExitCodes {

	public static final int OK = 0;

	public static final int JOB_FAILED = 1;

	/** {@code segmat status} found the refresh unhealthy: 1, as a failed job. */
	public static final int UNHEALTHY = JOB_FAILED;

	public static final int USAGE = 2;

	public static final int SEGMENTS_FAILED = 3;

	/**
	 * An import completed without some of its rows (each named on stdout): 3, as a
	 * refresh that completed without some of its segments.
	 */
	public static final int ROWS_SKIPPED = SEGMENTS_FAILED;

	public static final int LIMIT = 4;

	/**
	 * Try later (EX_TEMPFAIL): another run holds the lock, another process is importing
	 * the same file, the embedded database is busy, or the database cannot be reached.
	 */
	public static final int LOCKED = 75;

	private ExitCodes() {
	}

}
