package io.segmat.contacts;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.segmat.contacts.ExportRequest.FileType;

/**
 * One export, as its row and its job leave it.
 *
 * @param status {@link #PENDING}, {@link #READY} or {@link #FAILURE}, SendGrid's words
 * @param exportType {@code contacts_export} (every contact), {@code list_export} (lists
 * only) or {@code segment_export}
 * @param fileCount how many files it wrote, once ready
 * @param contactCount how many contacts it wrote, once ready
 * @param message why it failed
 * @param filesDeletedAt when its files were deleted, having expired
 */
public record ContactExport(UUID id, String status, String exportType, FileType fileType, List<UUID> listIds,
		List<UUID> segmentIds, Instant createdAt, Instant updatedAt, Instant completedAt, Instant expiresAt,
		int fileCount, Long contactCount, String message, Long jobExecutionId, Path directory, String fileStem,
		Instant filesDeletedAt) {

	public static final String PENDING = "pending";

	public static final String READY = "ready";

	public static final String FAILURE = "failure";

	public boolean ready() {
		return READY.equals(this.status);
	}

	/** Whether its files are gone, or due to go, at {@code now}. */
	public boolean expired(Instant now) {
		return this.filesDeletedAt != null || !now.isBefore(this.expiresAt);
	}

	/** File {@code part} (from 1) as the job writes it: {@code <stem>-<part>.<ext>}. */
	public Path file(int part) {
		return partFile(this.directory, this.fileStem, this.fileType, part);
	}

	/** Its files, once ready. */
	public List<Path> files() {
		List<Path> files = new ArrayList<>();
		for (int part = 1; part <= this.fileCount; part++) {
			files.add(file(part));
		}
		return files;
	}

	static Path partFile(Path directory, String stem, FileType type, int part) {
		return directory.resolve(stem + "-" + part + "." + type.sendGridName());
	}

}
