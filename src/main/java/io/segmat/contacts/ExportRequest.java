package io.segmat.contacts;

import java.util.List;
import java.util.UUID;

/**
 * What to export: the contacts on any of {@code listIds} or in any of {@code segmentIds}
 * (each once), or, when both are empty, every contact.
 *
 * @param maxFileBytes the largest a file may grow before the export goes on in the next
 * one; a single contact larger than that still gets a file of its own
 * @param escapeFormulas whether CSV cells a spreadsheet would run get a leading {@code '}
 */
public record ExportRequest(List<UUID> listIds, List<UUID> segmentIds, FileType fileType, long maxFileBytes,
		boolean escapeFormulas) {

	/** SendGrid's default {@code max_file_size}, in MB. */
	public static final int DEFAULT_MAX_FILE_SIZE_MB = 5000;

	/** What SendGrid's {@code max_file_size} counts: 1 MB is 1,048,576 bytes here. */
	public static final long BYTES_PER_MB = 1024L * 1024;

	public ExportRequest {
		listIds = List.copyOf(listIds);
		segmentIds = List.copyOf(segmentIds);
		if (maxFileBytes <= 0) {
			throw new IllegalArgumentException("maxFileBytes must be positive");
		}
	}

	/** The formats of an export file. */
	public enum FileType {

		/** RFC 4180 with a header, one contact a record. */
		CSV("csv"),
		/** One JSON object a line (NDJSON). */
		JSON("json");

		private final String name;

		FileType(String name) {
			this.name = name;
		}

		/** As SendGrid's {@code file_type} names it; also the files' extension. */
		public String sendGridName() {
			return this.name;
		}

		static FileType fromStored(String stored) {
			return "json".equals(stored) ? JSON : CSV;
		}

	}

}
