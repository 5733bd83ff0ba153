package io.segmat.contacts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.segmat.InvalidInputException;
import io.segmat.NotFoundException;
import io.segmat.db.DatabaseFailures;
import io.segmat.lists.ContactLists;
import io.segmat.segments.Segments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Exports contacts through the {@code contactExportJob}. The API's exports run in the
 * background, one at a time, and their files stay in the export directory
 * ({@code SEGMAT_EXPORT_DIR}) until they expire; the command line's run in the foreground
 * and write where the user says.
 * <p>
 * Expired files are deleted lazily: by the next export, or by the download that finds
 * them expired. No scheduler is needed, and nothing serves an expired file in between.
 */
@Service
public class ContactExporter implements DisposableBean {

	public static final String JOB_NAME = ContactExportJobConfiguration.JOB_NAME;

	/** The API lists at most this many exports, newest first. */
	static final int LIST_LIMIT = 100;

	private static final Logger logger = LoggerFactory.getLogger(ContactExporter.class);

	private final Job job;

	private final JobOperator jobOperator;

	private final ContactExportStore store;

	private final ContactLists lists;

	private final Segments segments;

	private final Clock clock;

	private final Path directory;

	private final Duration expiry;

	// Exports share two cores with the API and the refresh: one at a time, the rest
	// queued, still pending.
	private final ExecutorService background = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "segmat-export");
		thread.setDaemon(true);
		return thread;
	});

	ContactExporter(@Qualifier(ContactExportJobConfiguration.JOB_NAME) Job job, JobOperator jobOperator,
			ContactExportStore store, ContactLists lists, Segments segments, Clock clock,
			@Value("${segmat.export.dir:${segmat.home:.segmat}/exports}") String directory,
			@Value("${segmat.export.expiry:72h}") Duration expiry) {
		this.job = job;
		this.jobOperator = jobOperator;
		this.store = store;
		this.lists = lists;
		this.segments = segments;
		this.clock = clock;
		this.directory = Path.of(directory).toAbsolutePath();
		this.expiry = expiry;
	}

	/**
	 * Records the export as pending and runs it in the background; its status tells when
	 * its files are ready.
	 * @throws InvalidInputException when a list or segment does not exist
	 */
	public ContactExport start(ExportRequest request) {
		check(request);
		deleteExpired();
		UUID id = UUID.randomUUID();
		Instant now = this.clock.instant();
		this.store.insert(id, request, true, this.directory, id.toString(), now, now.plus(this.expiry));
		this.background.execute(new Export(id));
		return this.store.find(id).orElseThrow();
	}

	/**
	 * Exports to {@code output} and returns once the job has ended. A single file is
	 * {@code output} itself; several are {@code output}'s name without its extension,
	 * {@code -1}, {@code -2}, ... and the format's extension, beside it. A failed job is
	 * reported in the answer, not thrown.
	 * @throws InvalidInputException when a list or segment does not exist or
	 * {@code output}'s folder does not
	 */
	public ContactExport exportTo(ExportRequest request, Path output) {
		check(request);
		Path target = output.toAbsolutePath().normalize();
		Path folder = target.getParent();
		if (folder == null || !Files.isDirectory(folder)) {
			throw new InvalidInputException("output", "cannot write " + output + ": its folder does not exist");
		}
		if (Files.isDirectory(target)) {
			throw new InvalidInputException("output", "cannot write " + output + ": it is a folder");
		}
		String name = target.getFileName().toString();
		int dot = name.lastIndexOf('.');
		String stem = (dot > 0) ? name.substring(0, dot) : name;
		UUID id = UUID.randomUUID();
		Instant now = this.clock.instant();
		this.store.insert(id, request, false, folder, stem, now, now.plus(this.expiry));
		new Export(id).run();
		ContactExport done = this.store.find(id).orElseThrow();
		if (done.ready() && done.fileCount() == 1) {
			try {
				Files.move(done.file(1), target, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot move the export to " + target, ex);
			}
		}
		return done;
	}

	/** An export the API started. */
	public Optional<ContactExport> find(UUID id) {
		return this.store.findServed(id);
	}

	/** The API's exports, newest first, at most {@value #LIST_LIMIT}. */
	public List<ContactExport> list() {
		return this.store.listServed(LIST_LIMIT);
	}

	/**
	 * File {@code part} (from 1) of a ready export, to stream.
	 * @throws NotFoundException when there is no such export or file
	 * @throws ExportExpiredException when the export has expired; its files are deleted
	 * now if they were not yet
	 */
	public Path file(UUID id, int part) {
		ContactExport export = find(id).orElseThrow(() -> new NotFoundException("no export with id " + id));
		if (export.expired(this.clock.instant())) {
			deleteFiles(export);
			throw new ExportExpiredException(id, export.expiresAt());
		}
		if (!export.ready() || part < 1 || part > export.fileCount()) {
			throw new NotFoundException("export " + id + " has no file " + part
					+ (export.ready() ? "; it has " + export.fileCount() : "; it is " + export.status()));
		}
		Path file = export.file(part);
		if (!Files.isReadable(file)) {
			throw new NotFoundException("export " + id + " has no file " + part + " any more");
		}
		return file;
	}

	/**
	 * Deletes the files of every expired export; returns how many exports lost theirs.
	 */
	public int deleteExpired() {
		List<ContactExport> expired = this.store.expiredWithFiles(this.clock.instant());
		expired.forEach(this::deleteFiles);
		return expired.size();
	}

	@Override
	public void destroy() {
		for (Runnable queued : this.background.shutdownNow()) {
			if (queued instanceof Export export) {
				this.store.failed(export.id(), "the export failed: the server stopped before it started; export again",
						this.clock.instant());
			}
		}
	}

	private void deleteFiles(ContactExport export) {
		for (int part = 1; part <= export.fileCount(); part++) {
			try {
				Files.deleteIfExists(export.file(part));
			}
			catch (IOException ex) {
				logger.warn("cannot delete expired export file {}: {}", export.file(part), ex.toString());
				return;
			}
		}
		this.store.filesDeleted(export.id(), this.clock.instant());
	}

	private void check(ExportRequest request) {
		for (UUID listId : request.listIds()) {
			if (!this.lists.exists(listId)) {
				throw new InvalidInputException("list_ids", "list " + listId + " does not exist");
			}
		}
		for (UUID segmentId : request.segmentIds()) {
			if (this.segments.find(segmentId).isEmpty()) {
				throw new InvalidInputException("segment_ids", "segment " + segmentId + " does not exist");
			}
		}
	}

	/**
	 * One run of the job for one export row; a job that cannot start fails the export.
	 */
	private final class Export implements Runnable {

		private final UUID id;

		Export(UUID id) {
			this.id = id;
		}

		UUID id() {
			return this.id;
		}

		@Override
		public void run() {
			try {
				ContactExporter.this.jobOperator.start(ContactExporter.this.job,
						new JobParametersBuilder()
							.addString(ContactExportJobConfiguration.EXPORT_ID, this.id.toString())
							.toJobParameters());
			}
			catch (Exception ex) {
				logger.error("contact export {} could not start", this.id, ex);
				ContactExporter.this.store.failed(this.id, "the export failed: "
						+ DatabaseFailures.describe(ex).orElse("its job could not start") + "; see the server's log",
						ContactExporter.this.clock.instant());
			}
		}

	}

}
