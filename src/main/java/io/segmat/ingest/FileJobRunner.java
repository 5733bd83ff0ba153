package io.segmat.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.segmat.db.DatabaseFailures;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.stereotype.Component;

/**
 * Runs a file import job so that running it again always converges.
 * <p>
 * A job instance is identified by the file's path, its content hash, the caller's extra
 * parameters and a run counter. Importing a file walks that instance's runs: a completed
 * (or abandoned) run is history, so the import starts the next run and reads the file
 * again; a failed or stopped run is restarted where its last committed chunk left off; a
 * run still marked started belongs to a process that died (segmat runs imports in the
 * foreground, so a live one would still hold its command), and is recovered first so that
 * it can be restarted.
 * <p>
 * Batch creates a run's rows under SERIALIZABLE, so two imports launched at the same
 * instant can have one refused with a serialization failure, its transaction rolled back
 * whole. The refused one looks again and launches again, after a short random pause.
 */
@Component
public final class FileJobRunner {

	public static final String FILE = "file";

	public static final String SHA256 = "sha256";

	public static final String RUN = "run";

	/** Launches tried before a serialization failure is passed on. */
	private static final int LAUNCH_ATTEMPTS = 8;

	/**
	 * serialization_failure and deadlock_detected: the transaction can simply be tried
	 * again.
	 */
	private static final Set<String> RETRYABLE = Set.of("40001", "40P01");

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	FileJobRunner(JobOperator jobOperator, JobRepository jobRepository) {
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
	}

	public JobExecution run(Job job, Path file, Map<String, String> parameters) {
		String path = file.toAbsolutePath().normalize().toString();
		String hash = sha256(file);
		for (int attempt = 1;; attempt++) {
			try {
				return launch(job, path, hash, parameters);
			}
			catch (ConcurrencyFailureException ex) {
				// Thrown only while the run's rows are created: once it runs, the job
				// records its own failures in its status.
				if (attempt == LAUNCH_ATTEMPTS || !retryable(ex)) {
					throw ex;
				}
				pause(attempt);
			}
		}
	}

	private JobExecution launch(Job job, String path, String hash, Map<String, String> parameters) {
		try {
			for (long run = 1;; run++) {
				JobParametersBuilder builder = new JobParametersBuilder().addString(FILE, path, true)
					.addString(SHA256, hash, true);
				parameters.forEach((name, value) -> builder.addString(name, value, true));
				JobParameters jobParameters = builder.addLong(RUN, run, true).toJobParameters();
				JobInstance instance = this.jobRepository.getJobInstance(job.getName(), jobParameters);
				if (instance == null) {
					return this.jobOperator.start(job, jobParameters);
				}
				JobExecution last = this.jobRepository.getLastJobExecution(instance);
				if (last == null) {
					return this.jobOperator.start(job, jobParameters);
				}
				switch (last.getStatus()) {
					case COMPLETED, ABANDONED, UNKNOWN -> {
						// history: this file is imported again as the next run
					}
					case FAILED, STOPPED -> {
						return this.jobOperator.restart(last);
					}
					default -> {
						return this.jobOperator.restart(this.jobOperator.recover(last));
					}
				}
			}
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IllegalStateException("cannot run " + job.getName() + " for " + path + ": " + ex.getMessage(),
					ex);
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
			throw new IllegalStateException("interrupted while waiting to launch an import again", ex);
		}
	}

	private static String sha256(Path file) {
		try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
			byte[] buffer = new byte[1 << 16];
			while (in.read(buffer) != -1) {
				// digesting
			}
			return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + file, ex);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
