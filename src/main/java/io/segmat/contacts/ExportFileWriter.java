package io.segmat.contacts;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.segmat.contacts.ContactExportStore.Spec;
import io.segmat.contacts.ExportRequest.FileType;
import io.segmat.db.DatabaseFailures;
import io.segmat.ingest.ImportJson;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.QuoteMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * Writes an export's files: {@code <stem>-1.<ext>}, then the next one whenever the
 * following contact would take the current file past the export's size limit. Every CSV
 * file starts with the header, so each opens on its own.
 * <p>
 * It also finishes the export's row when its step ends: ready with the files and the
 * count, or failure, with the files written so far deleted, so that no half export is
 * ever served.
 */
class ExportFileWriter implements ItemStreamWriter<ExportedContact>, StepExecutionListener {

	private static final Logger logger = LoggerFactory.getLogger(ExportFileWriter.class);

	static final CSVFormat CSV = CSVFormat.RFC4180.builder()
		.setRecordSeparator("\r\n")
		.setQuoteMode(QuoteMode.MINIMAL)
		.get();

	private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] LF = { '\n' };

	private final ContactExportStore store;

	private final ContactExport export;

	private final Spec spec;

	private final ContactShape shape;

	private final Clock clock;

	private final Duration expiry;

	private OutputStream out;

	private int parts;

	private long partBytes;

	private long partRecords;

	ExportFileWriter(ContactExportStore store, ContactExport export, Spec spec, ContactShape shape, Clock clock,
			Duration expiry) {
		this.store = store;
		this.export = export;
		this.spec = spec;
		this.shape = shape;
		this.clock = clock;
		this.expiry = expiry;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.store.started(this.export.id(), stepExecution.getJobExecutionId(), this.clock.instant());
	}

	@Override
	public void open(ExecutionContext executionContext) {
		try {
			Files.createDirectories(this.export.directory());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create the export directory " + this.export.directory(), ex);
		}
		// An empty export is one file too: a header alone, or nothing for JSON.
		nextPart();
	}

	@Override
	public void write(Chunk<? extends ExportedContact> chunk) throws IOException {
		for (ExportedContact contact : chunk) {
			byte[] record = encode(contact);
			if (this.partRecords > 0 && this.partBytes + record.length > this.spec.maxFileBytes()) {
				nextPart();
			}
			this.out.write(record);
			this.partBytes += record.length;
			this.partRecords++;
		}
		// What a chunk wrote is on disk when the step records the chunk as written.
		this.out.flush();
	}

	@Override
	public void close() {
		closePart();
	}

	/**
	 * Runs before {@link #close} (Batch closes streams last), so the current file is
	 * closed here.
	 */
	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		Throwable failure = null;
		try {
			closePart();
		}
		catch (UncheckedIOException ex) {
			// the last bytes did not reach the disk: the export is not whole
			failure = ex;
		}
		Instant now = this.clock.instant();
		if (stepExecution.getStatus() == BatchStatus.COMPLETED && failure == null) {
			this.store.ready(this.export.id(), this.parts, stepExecution.getWriteCount(), now, now.plus(this.expiry));
			return null;
		}
		deleteParts();
		List<Throwable> failures = stepExecution.getFailureExceptions();
		if (!failures.isEmpty()) {
			failure = failures.get(0);
		}
		String message = "the export failed: "
				+ ((failure == null) ? "its step ended " + stepExecution.getStatus()
						: DatabaseFailures.describe(failure)
							.orElse(hasIoCause(failure) ? "its file could not be written" : "internal error"))
				+ "; see the server's log";
		if (failure != null) {
			logger.error("contact export {} failed", this.export.id(), failure);
		}
		this.store.failed(this.export.id(), message, now);
		return (stepExecution.getStatus() == BatchStatus.COMPLETED) ? ExitStatus.FAILED : null;
	}

	private byte[] encode(ExportedContact contact) {
		if (this.export.fileType() == FileType.JSON) {
			return concat(ImportJson.MAPPER.writeValueAsBytes(this.shape.json(contact)), LF);
		}
		return csvRecord(this.shape.csvRow(contact, this.spec.escapeFormulas()));
	}

	private static byte[] csvRecord(List<String> cells) {
		return concat(CSV.format(cells.toArray()).getBytes(StandardCharsets.UTF_8), CRLF);
	}

	private void nextPart() {
		closePart();
		Path file = this.export.file(this.parts + 1);
		try {
			this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
			// counted once it is ours: a failure deletes the files counted, and only
			// those
			this.parts++;
			this.partBytes = 0;
			this.partRecords = 0;
			if (this.export.fileType() == FileType.CSV) {
				byte[] header = csvRecord(this.shape.csvHeader());
				this.out.write(header);
				this.partBytes = header.length;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write the export file " + file, ex);
		}
	}

	private void closePart() {
		if (this.out == null) {
			return;
		}
		try {
			this.out.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write the export file " + this.export.file(this.parts), ex);
		}
		finally {
			this.out = null;
		}
	}

	private void deleteParts() {
		for (int part = 1; part <= this.parts; part++) {
			try {
				Files.deleteIfExists(this.export.file(part));
			}
			catch (IOException ex) {
				logger.warn("cannot delete {} of failed export {}", this.export.file(part), this.export.id());
			}
		}
	}

	private static boolean hasIoCause(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof IOException) {
				return true;
			}
		}
		return false;
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] both = new byte[a.length + b.length];
		System.arraycopy(a, 0, both, 0, a.length);
		System.arraycopy(b, 0, both, a.length, b.length);
		return both;
	}

}
