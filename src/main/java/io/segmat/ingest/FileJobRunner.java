package io.segmat.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import io.segmat.db.AdvisoryLock;
import io.segmat.db.DatabaseBusyException;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/**
 * Runs a file import job so that running it again always converges.
 * <p>
 * A job instance is identified by the file's path, its content hash, the caller's extra
 * parameters and a run counter. Importing a file walks that instance's runs: a completed
 * (or abandoned) run is history, so the import starts the next run and reads the file
 * again; a failed or stopped run is restarted where its last committed chunk left off; a
 * run still marked started belongs to a process that died, and is recovered first so that
 * it can be restarted. A live import holds the file's lock
 * ({@link AdvisoryLock#FILE_IMPORT}) until it ends, and its process's death releases it:
 * a second import of the same file with the same parameters finds the lock taken and is
 * refused, instead of taking the live run for a dead one. A file of the caller's own that
 * no one else can name, such as an API request's temporary file, needs no lock
 * ({@link #runOwnFile}).
 */
@Component
public final class FileJobRunner {

	public static final String FILE = "file";

	public static final String SHA256 = "sha256";

	public static final String RUN = "run";

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final DataSource dataSource;

	FileJobRunner(JobOperator jobOperator, JobRepository jobRepository, DataSource dataSource) {
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.dataSource = dataSource;
	}

	/**
	 * Runs {@code job} over a file that another process may import at the same moment,
	 * such as a file named on the command line.
	 * @throws DatabaseBusyException when a live import of the same file, with the same
	 * parameters, is running
	 */
	public JobExecution run(Job job, Path file, Map<String, String> parameters) {
		String path = path(file);
		String hash = sha256(file);
		// The job instance's identity but for the run counter: what a second import
		// would find and take over.
		String identity = job.getName() + "\n" + path + "\n" + hash + "\n" + new TreeMap<>(parameters);
		return AdvisoryLock.FILE_IMPORT.whileHeld(this.dataSource, identity, () -> launch(job, path, hash, parameters))
			.orElseThrow(() -> new DatabaseBusyException(
					path + " is being imported by another process; try again when it has finished"));
	}

	/**
	 * Runs {@code job} over a file of the caller's own that no other process can name,
	 * such as an API request's temporary file: it needs no lock.
	 */
	public JobExecution runOwnFile(Job job, Path file, Map<String, String> parameters) {
		return launch(job, path(file), sha256(file), parameters);
	}

	private static String path(Path file) {
		return file.toAbsolutePath().normalize().toString();
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
