package io.segmat.contacts;

import java.nio.file.Path;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.segmat.contacts.ExportRequest.FileType;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code contact_export} rows. A pending export whose job ended without finishing it
 * (a failure before the step, a killed process recovered with {@code segmat recover})
 * reads as a failure: the job's status decides, not a row nobody will finish.
 */
@Component
class ContactExportStore {

	private static final String SELECT = """
			SELECT x.id, CASE WHEN x.status = 'pending' AND e.status IN ('FAILED', 'STOPPED', 'ABANDONED', 'UNKNOWN')
			                  THEN 'failure' ELSE x.status END,
			       x.export_type, x.file_type, x.list_ids, x.segment_ids, x.created_at, x.updated_at, x.completed_at,
			       x.expires_at, x.file_count, x.contact_count,
			       coalesce(x.message, CASE WHEN x.status = 'pending' AND e.status IN ('FAILED', 'STOPPED', 'ABANDONED', 'UNKNOWN')
			                                THEN 'the export job ended ' || e.status END),
			       x.job_execution_id, x.directory, x.file_stem, x.files_deleted_at
			FROM contact_export x LEFT JOIN batch_job_execution e ON e.job_execution_id = x.job_execution_id
			""";

	private final JdbcClient jdbc;

	ContactExportStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(UUID id, ExportRequest request, boolean served, Path directory, String stem, Instant now,
			Instant expiresAt) {
		String type = request.listIds().isEmpty() && request.segmentIds().isEmpty() ? "contacts_export"
				: request.segmentIds().isEmpty() ? "list_export" : "segment_export";
		this.jdbc
			.sql("""
					INSERT INTO contact_export (id, status, export_type, file_type, max_file_bytes, escape_formulas, list_ids,
					    segment_ids, served, directory, file_stem, created_at, updated_at, expires_at)
					VALUES (?, 'pending', ?, ?, ?, ?, CAST(? AS uuid[]), CAST(? AS uuid[]), ?, ?, ?, ?, ?, ?)
					""")
			.params(id, type, request.fileType().sendGridName(), request.maxFileBytes(), request.escapeFormulas(),
					texts(request.listIds()), texts(request.segmentIds()), served, directory.toString(), stem,
					Timestamp.from(now), Timestamp.from(now), Timestamp.from(expiresAt))
			.update();
	}

	Optional<ContactExport> find(UUID id) {
		return this.jdbc.sql(SELECT + " WHERE x.id = ?").param(id).query(ContactExportStore::map).optional();
	}

	/** One of the API's exports. */
	Optional<ContactExport> findServed(UUID id) {
		return this.jdbc.sql(SELECT + " WHERE x.id = ? AND x.served")
			.param(id)
			.query(ContactExportStore::map)
			.optional();
	}

	/** The API's exports, newest first. */
	List<ContactExport> listServed(int limit) {
		return this.jdbc.sql(SELECT + " WHERE x.served ORDER BY x.created_at DESC, x.id LIMIT ?")
			.param(limit)
			.query(ContactExportStore::map)
			.list();
	}

	/** Exports past their expiry whose files are still on disk. */
	List<ContactExport> expiredWithFiles(Instant now) {
		return this.jdbc.sql(SELECT + " WHERE x.files_deleted_at IS NULL AND x.expires_at <= ? AND x.served")
			.param(Timestamp.from(now))
			.query(ContactExportStore::map)
			.list();
	}

	/** What the job needs beyond the public record. */
	Spec spec(UUID id) {
		return this.jdbc.sql("SELECT max_file_bytes, escape_formulas FROM contact_export WHERE id = ?")
			.param(id)
			.query((rs, n) -> new Spec(rs.getLong(1), rs.getBoolean(2)))
			.single();
	}

	void started(UUID id, long jobExecutionId, Instant now) {
		this.jdbc.sql("UPDATE contact_export SET job_execution_id = ?, updated_at = ? WHERE id = ?")
			.params(jobExecutionId, Timestamp.from(now), id)
			.update();
	}

	void ready(UUID id, int fileCount, long contactCount, Instant now, Instant expiresAt) {
		this.jdbc.sql("""
				UPDATE contact_export SET status = 'ready', file_count = ?, contact_count = ?, updated_at = ?,
				    completed_at = ?, expires_at = ?
				WHERE id = ?
				""")
			.params(fileCount, contactCount, Timestamp.from(now), Timestamp.from(now), Timestamp.from(expiresAt), id)
			.update();
	}

	void failed(UUID id, String message, Instant now) {
		this.jdbc
			.sql("""
					UPDATE contact_export SET status = 'failure', file_count = 0, message = ?, updated_at = ?, completed_at = ?
					WHERE id = ?
					""")
			.params(message, Timestamp.from(now), Timestamp.from(now), id)
			.update();
	}

	void filesDeleted(UUID id, Instant now) {
		this.jdbc.sql("UPDATE contact_export SET files_deleted_at = ? WHERE id = ? AND files_deleted_at IS NULL")
			.params(Timestamp.from(now), id)
			.update();
	}

	private static ContactExport map(ResultSet rs, int rowNumber) throws SQLException {
		return new ContactExport(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
				FileType.fromStored(rs.getString(4)), uuids(rs.getArray(5)), uuids(rs.getArray(6)), instant(rs, 7),
				instant(rs, 8), instant(rs, 9), instant(rs, 10), rs.getInt(11), (Long) rs.getObject(12, Long.class),
				rs.getString(13), rs.getObject(14, Long.class), Path.of(rs.getString(15)), rs.getString(16),
				instant(rs, 17));
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	private static List<UUID> uuids(Array array) throws SQLException {
		try {
			return Arrays.stream((Object[]) array.getArray()).map((id) -> (UUID) id).toList();
		}
		finally {
			array.free();
		}
	}

	private static String[] texts(List<UUID> ids) {
		return ids.stream().map(UUID::toString).toArray(String[]::new);
	}

	/** How the files are written. */
	record Spec(long maxFileBytes, boolean escapeFormulas) {
	}

}
