package io.segmat.api;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.segmat.InvalidInputException;
import io.segmat.NotFoundException;
import io.segmat.contacts.ContactExport;
import io.segmat.contacts.ContactExporter;
import io.segmat.contacts.ExportExpiredException;
import io.segmat.contacts.ExportRequest;
import io.segmat.contacts.ExportRequest.FileType;
import io.segmat.lists.ContactList;
import io.segmat.lists.ContactLists;
import io.segmat.segments.Segment;
import io.segmat.segments.Segments;
import tools.jackson.databind.JsonNode;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * SendGrid's contact export: start one (202, it runs in the background), its status, the
 * list of them, and, a segmat path, its files, which the status's {@code urls} name. The
 * files sit behind the same API key as everything else and stream from disk.
 */
@RestController
@RequestMapping("/v3/marketing/contacts/exports")
class ContactExportsController {

	private static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

	private static final MediaType NDJSON = new MediaType("application", "x-ndjson", StandardCharsets.UTF_8);

	private final ContactExporter exporter;

	private final ContactLists lists;

	private final Segments segments;

	private final Clock clock;

	ContactExportsController(ContactExporter exporter, ContactLists lists, Segments segments, Clock clock) {
		this.exporter = exporter;
		this.lists = lists;
		this.segments = segments;
		this.clock = clock;
	}

	/**
	 * {@code list_ids} and {@code segment_ids} (neither: every contact),
	 * {@code file_type} csv (default) or json, {@code max_file_size} in MB (default
	 * 5000). segmat sends no email, so {@code notifications.email: true} is refused
	 * rather than ignored.
	 */
	@PostMapping
	ResponseEntity<Map<String, Object>> start(@RequestBody JsonNode body) {
		JsonBody json = JsonBody.of(body);
		List<UUID> listIds = ids(json, "list_ids");
		List<UUID> segmentIds = ids(json, "segment_ids");
		String fileType = json.string("file_type");
		FileType type;
		if (fileType == null || fileType.equals("csv")) {
			type = FileType.CSV;
		}
		else if (fileType.equals("json")) {
			type = FileType.JSON;
		}
		else {
			throw new InvalidInputException("file_type",
					"file_type must be \"csv\" or \"json\", not \"" + fileType + "\"");
		}
		long maxFileSize = ExportRequest.DEFAULT_MAX_FILE_SIZE_MB;
		if (json.has("max_file_size")) {
			JsonNode size = json.node().get("max_file_size");
			if (!size.isIntegralNumber() || !size.canConvertToInt() || size.intValue() < 1) {
				throw new InvalidInputException("max_file_size",
						"max_file_size must be a whole number of MB, at least 1, not " + size);
			}
			maxFileSize = size.intValue();
		}
		JsonNode notifications = json.node().get("notifications");
		if (notifications != null && !notifications.isNull()) {
			JsonNode email = notifications.get("email");
			if (!notifications.isObject() || (email != null && !email.isNull() && !email.isBoolean())) {
				throw new InvalidInputException("notifications.email", "notifications.email must be true or false");
			}
			if (email != null && email.asBoolean()) {
				throw new InvalidInputException("notifications.email",
						"segmat sends no email: leave notifications.email false and download the status's urls");
			}
		}
		ContactExport export = this.exporter
			.start(new ExportRequest(listIds, segmentIds, type, maxFileSize * ExportRequest.BYTES_PER_MB, true));
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("id", export.id().toString());
		answer.put("_metadata", Map.of("self", self(export.id())));
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(answer);
	}

	@GetMapping
	Map<String, Object> list() {
		List<ExportStatus> result = new ArrayList<>();
		Instant now = this.clock.instant();
		for (ContactExport export : this.exporter.list()) {
			result.add(status(export, now, true));
		}
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("result", result);
		answer.put("_metadata",
				Map.of("self",
						ServletUriComponentsBuilder.fromCurrentContextPath()
							.path("/v3/marketing/contacts/exports")
							.toUriString()));
		return answer;
	}

	@GetMapping("/{id}")
	ExportStatus get(@PathVariable String id) {
		return status(find(id), this.clock.instant(), false);
	}

	/** One file of a ready export, streamed from disk. */
	@GetMapping("/{id}/files/{part}")
	ResponseEntity<Resource> file(@PathVariable String id, @PathVariable String part) {
		UUID exportId = uuid(id);
		if (!part.matches("[0-9]{1,6}")) {
			throw new NotFoundException("export " + id + " has no file " + part);
		}
		Path file = this.exporter.file(exportId, Integer.parseInt(part));
		boolean csv = file.getFileName().toString().endsWith(".csv");
		return ResponseEntity.ok()
			.contentType(csv ? CSV : NDJSON)
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment()
						.filename("contacts-" + exportId + "-" + part + (csv ? ".csv" : ".json"))
						.build()
						.toString())
			.body(new FileSystemResource(file));
	}

	@ExceptionHandler(ExportExpiredException.class)
	ResponseEntity<ApiError> expired(ExportExpiredException ex) {
		return ResponseEntity.status(HttpStatus.GONE).body(ApiError.of(null, ex.getMessage()));
	}

	private ContactExport find(String id) {
		UUID exportId = uuid(id);
		return this.exporter.find(exportId).orElseThrow(() -> new NotFoundException("no export with id " + id));
	}

	/**
	 * The list's items have what the list schema has: export_type and the lists and
	 * segments by id and name, but no updated_at or contact_count, which only the status
	 * has.
	 */
	private ExportStatus status(ContactExport export, Instant now, boolean listed) {
		List<String> urls = null;
		if (export.ready()) {
			urls = new ArrayList<>();
			if (!export.expired(now)) {
				for (int part = 1; part <= export.fileCount(); part++) {
					urls.add(ServletUriComponentsBuilder.fromCurrentContextPath()
						.path("/v3/marketing/contacts/exports/{id}/files/{part}")
						.buildAndExpand(export.id(), part)
						.toUriString());
				}
			}
		}
		if (!listed) {
			return new ExportStatus(export.id().toString(), export.status(), null, timestamp(export.createdAt()),
					timestamp(export.updatedAt()), timestamp(export.completedAt()), timestamp(export.expiresAt()), urls,
					export.message(), export.ready() ? export.contactCount() : null, null, null,
					Map.of("self", self(export.id())));
		}
		List<ExportStatus.Named> listNames = export.listIds()
			.stream()
			.map((listId) -> new ExportStatus.Named(listId.toString(),
					this.lists.find(listId).map(ContactList::name).orElse(null)))
			.toList();
		List<ExportStatus.Named> segmentNames = export.segmentIds()
			.stream()
			.map((segmentId) -> new ExportStatus.Named(segmentId.toString(),
					this.segments.find(segmentId).map(Segment::name).orElse(null)))
			.toList();
		return new ExportStatus(export.id().toString(), export.status(), export.exportType(),
				timestamp(export.createdAt()), null, timestamp(export.completedAt()), timestamp(export.expiresAt()),
				urls, export.message(), null, listNames, segmentNames, Map.of("self", self(export.id())));
	}

	private static String self(UUID id) {
		return ServletUriComponentsBuilder.fromCurrentContextPath()
			.path("/v3/marketing/contacts/exports/{id}")
			.buildAndExpand(id)
			.toUriString();
	}

	private static UUID uuid(String id) {
		try {
			return UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw new NotFoundException("no export with id " + id);
		}
	}

	private static List<UUID> ids(JsonBody json, String field) {
		List<String> values = json.strings(field);
		if (values == null) {
			return List.of();
		}
		List<UUID> ids = new ArrayList<>();
		for (String value : values) {
			try {
				ids.add(UUID.fromString(value.trim()));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidInputException(field, "'" + value + "' is not a valid id");
			}
		}
		return ids;
	}

	private static String timestamp(Instant instant) {
		return (instant != null) ? instant.truncatedTo(ChronoUnit.SECONDS).toString() : null;
	}

}
