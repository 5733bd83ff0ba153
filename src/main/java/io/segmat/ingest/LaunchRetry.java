package io.segmat.ingest;

import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.segmat.db.DatabaseFailures;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.dao.ConcurrencyFailureException;

/**
 * Launches a job again when Batch's repository refused the launch. It creates a run's
 * rows under SERIALIZABLE, so two launches at the same instant, of any jobs, can have one
 * refused with a serialization failure, its transaction rolled back whole. The refused
 * one launches again after a short random pause.
 */
public final class LaunchRetry {

	/** Launches tried before a refusal is passed on. */
	private static final int ATTEMPTS = 8;

	/**
	 * serialization_failure and deadlock_detected: the transaction can simply be tried
	 * again.
	 */
	private static final Set<String> RETRYABLE = Set.of("40001", "40P01");

	private LaunchRetry() {
	}

	/**
	 * Runs {@code launch}, and again after a pause while the database refuses it with a
	 * failure that a retry cures, at most {@value #ATTEMPTS} times in all.
	 */
	public static <E extends Exception> JobExecution launch(Launch<E> launch) throws E {
		for (int attempt = 1;; attempt++) {
			try {
				return launch.launch();
			}
			catch (ConcurrencyFailureException ex) {
				// Thrown only while the run's rows are created: once it runs, the job
				// records its own failures in its status.
				if (attempt == ATTEMPTS || !retryable(ex)) {
					throw ex;
				}
				pause(attempt);
			}
		}
	}

	/**
	 * Whether a refused launch may simply be tried again: the database says so by its
	 * SQLSTATE.
	 */
	static boolean retryable(Throwable ex) {
		return DatabaseFailures.sqlException(ex).map(SQLException::getSQLState).filter(RETRYABLE::contains).isPresent();
	}

	/**
	 * A random pause that grows with the attempts, so that launches refused together do
	 * not meet again.
	 */
	private static void pause(int attempt) {
		try {
			Thread.sleep(ThreadLocalRandom.current().nextLong(5, 25) * attempt);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting to launch a job again", ex);
		}
	}

	/** One launch of a job. */
	@FunctionalInterface
	public interface Launch<E extends Exception> {

		JobExecution launch() throws E;

	}

}
