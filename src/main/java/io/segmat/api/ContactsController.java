package io.segmat.api;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.segmat.InvalidInputException;
import io.segmat.NotFoundException;
import io.segmat.contacts.ContactDeleter;
import io.segmat.contacts.ContactImportJobConfiguration;
import io.segmat.contacts.ContactImporter;
import io.segmat.contacts.ImportReport;
import io.segmat.ingest.ImportJson;
import io.segmat.ingest.TempFiles;
import io.segmat.lists.ContactLists;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * SendGrid's contacts endpoints. An upsert or a deletion runs as a Batch job before the
 * answer, so the {@code job_id} it returns already has its final status; SendGrid's
 * clients poll the import status either way.
 */
@RestController
@RequestMapping("/v3/marketing/contacts")
class ContactsController {

	/** SendGrid's cap on one upsert. */
	static final int MAX_CONTACTS = 30_000;

	private final ContactImporter importer;

	private final ContactLists lists;

	private final ContactDeleter deleter;

	private final JobRepository jobRepository;

	private final JdbcClient jdbc;

	ContactsController(ContactImporter importer, ContactLists lists, ContactDeleter deleter,
			JobRepository jobRepository, JdbcClient jdbc) {
		this.importer = importer;
		this.lists = lists;
		this.deleter = deleter;
		this.jobRepository = jobRepository;
		this.jdbc = jdbc;
	}

	/**
	 * Upserts the contacts through the contactImportJob, as NDJSON lines in the import
	 * format (custom fields by id or by name, the request's list_ids on every line).
	 * Wrong types are a 400 naming the field; a contact whose values are wrong (an
	 * invalid email, an unknown custom field, a value PostgreSQL cannot store) is skipped
	 * and counted in the import status, whose errors_url lists it by its index, as
	 * SendGrid does.
	 * <p>
	 * Numbers arrive exact ({@link ApiConfiguration#exactDecimals}), so a value out of
	 * range is refused rather than rounded.
	 */
	@PutMapping
	ResponseEntity<Map<String, String>> upsert(@RequestBody JsonNode body) {
		JsonBody json = JsonBody.of(body);
		List<String> listIds = listIds(json);
		JsonNode contacts = json.node().get("contacts");
		if (contacts == null || contacts.isNull()) {
			throw new InvalidInputException("contacts", "contacts is required");
		}
		if (!contacts.isArray() || contacts.isEmpty()) {
			throw new InvalidInputException("contacts",
					"contacts must be an array of 1 to " + MAX_CONTACTS + " contacts");
		}
		if (contacts.size() > MAX_CONTACTS) {
			throw new InvalidInputException("contacts",
					"contacts may hold at most " + MAX_CONTACTS + " contacts, not " + contacts.size());
		}
		for (int i = 0; i < contacts.size(); i++) {
			checkShape("contacts[" + i + "]", contacts.get(i));
		}
		ImportReport report = TempFiles.withTempFile("segmat-contacts-", (file) -> {
			try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
				for (JsonNode contact : contacts) {
					ObjectNode line = ((ObjectNode) contact).deepCopy();
					if (!listIds.isEmpty()) {
						ArrayNode ids = line.putArray("list_ids");
						listIds.forEach(ids::add);
					}
					out.write(ImportJson.ASCII_LINE.writeValueAsString(line));
					out.newLine();
				}
			}
			return this.importer.importRequest(file);
		});
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.body(Map.of("job_id", String.valueOf(report.jobExecutionId())));
	}

	/**
	 * {@code ids=a,b} (or repeated), or {@code delete_all_contacts=true}: one of the two.
	 */
	@DeleteMapping
	ResponseEntity<Map<String, String>> delete(@RequestParam(name = "ids", required = false) List<String> ids,
			@RequestParam(name = "delete_all_contacts", required = false) String deleteAll) {
		boolean all = "true".equalsIgnoreCase(deleteAll);
		if (deleteAll != null && !all && !"false".equalsIgnoreCase(deleteAll)) {
			throw new InvalidInputException("delete_all_contacts", "delete_all_contacts must be \"true\" or \"false\"");
		}
		List<UUID> contactIds = Ids.parse("ids", ids);
		if (all == (contactIds != null && !contactIds.isEmpty())) {
			throw new InvalidInputException("ids", all ? "give either ids or delete_all_contacts=true, not both"
					: "ids (a comma-separated list of contact ids) or delete_all_contacts=true is required");
		}
		JobExecution execution = all ? this.deleter.deleteAll() : this.deleter.deleteByIds(contactIds);
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("job_id", String.valueOf(execution.getId())));
	}

	@GetMapping("/count")
	Map<String, Long> count() {
		long count = this.jdbc.sql("SELECT count(*) FROM contact").query(Long.class).single();
		// segmat bills nothing: every stored contact counts as billable, as on a plan
		// without a contact allowance.
		return Map.of("contact_count", count, "billable_count", count);
	}

	/** The status of an upsert or a deletion, by the job_id either answered. */
	@GetMapping("/imports/{id}")
	ImportStatus importStatus(@PathVariable String id) {
		JobExecution execution = execution(id);
		String jobName = (execution != null) ? execution.getJobInstance().getJobName() : "";
		String started = ImportStatus.timestamp((execution != null && execution.getStartTime() != null)
				? execution.getStartTime() : (execution != null) ? execution.getCreateTime() : null);
		if (ContactImportJobConfiguration.JOB_NAME.equals(jobName)) {
			ImportReport report = this.importer.report(execution);
			String status = status(execution.getStatus(), report.imported(), report.skipped());
			String errorsUrl = (report.skipped() > 0) ? ServletUriComponentsBuilder.fromCurrentContextPath()
				.path("/v3/marketing/contacts/imports/{id}/errors")
				.buildAndExpand(id)
				.toUriString() : null;
			return new ImportStatus(
					id, status, "upsert", new ImportStatus.Results(report.read(), report.created(), report.updated(),
							null, report.skipped(), errorsUrl),
					started, ImportStatus.timestamp(execution.getEndTime()));
		}
		if (ContactDeleter.JOB_NAME.equals(jobName)) {
			long deleted = ContactDeleter.deleted(execution);
			return new ImportStatus(id, status(execution.getStatus(), deleted, 0), "delete",
					new ImportStatus.Results(null, null, null, deleted, 0L, null), started,
					ImportStatus.timestamp(execution.getEndTime()));
		}
		throw new NotFoundException("no contacts job with id " + id);
	}

	/**
	 * The errored contacts of an upsert, the file an import status's errors_url names; an
	 * upsert without errors has none to list.
	 */
	@GetMapping("/imports/{id}/errors")
	ImportErrors importErrors(@PathVariable String id) {
		JobExecution execution = execution(id);
		if (execution == null
				|| !ContactImportJobConfiguration.JOB_NAME.equals(execution.getJobInstance().getJobName())) {
			throw new NotFoundException("no contacts import with id " + id);
		}
		return ImportErrors.of(this.importer.report(execution).errors(), ContactImporter.fromRequest(execution));
	}

	private JobExecution execution(String id) {
		if (!id.matches("[0-9]{1,18}")) {
			return null;
		}
		try {
			return this.jobRepository.getJobExecution(Long.parseLong(id));
		}
		catch (EmptyResultDataAccessException ex) {
			// Batch 6 answers an unknown id with this rather than null.
			return null;
		}
	}

	/**
	 * SendGrid's job states: pending, completed (no errors), errored (some), failed (all,
	 * or the job itself).
	 */
	private static String status(BatchStatus batch, long done, long errored) {
		return switch (batch) {
			case STARTING, STARTED, STOPPING -> ImportStatus.PENDING;
			case COMPLETED ->
				(errored == 0) ? ImportStatus.COMPLETED : (done == 0) ? ImportStatus.FAILED : ImportStatus.ERRORED;
			default -> ImportStatus.FAILED;
		};
	}

	private List<String> listIds(JsonBody json) {
		List<String> listIds = json.strings("list_ids");
		if (listIds == null) {
			return List.of();
		}
		List<String> checked = new ArrayList<>();
		for (String text : listIds) {
			UUID id;
			try {
				id = UUID.fromString(text.trim());
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidInputException("list_ids", "'" + text + "' is not a list id");
			}
			if (!this.lists.exists(id)) {
				throw new InvalidInputException("list_ids", "list " + id + " does not exist");
			}
			checked.add(id.toString());
		}
		return checked;
	}

	/** Types only; values are the import's to judge, contact by contact. */
	private static void checkShape(String path, JsonNode contact) {
		if (!contact.isObject()) {
			throw new InvalidInputException(path, path + " must be a contact object");
		}
		for (var entry : contact.properties()) {
			String field = path + "." + entry.getKey();
			JsonNode value = entry.getValue();
			if (value.isNull()) {
				continue;
			}
			switch (entry.getKey()) {
				case "custom_fields" -> {
					if (!value.isObject()) {
						throw new InvalidInputException(field,
								field + " must be an object of custom field ids (or names) and values");
					}
					for (var custom : value.properties()) {
						if (!custom.getValue().isValueNode()) {
							throw new InvalidInputException(field + "." + custom.getKey(),
									field + "." + custom.getKey() + " must be a string, a number or null");
						}
					}
				}
				case "alternate_emails", "list_ids" -> {
					if (!value.isArray() || !allStrings(value)) {
						throw new InvalidInputException(field, field + " must be an array of strings");
					}
				}
				// SendGrid documents postal_code as a string, but its clients send US ZIP
				// codes as numbers too.
				case "postal_code" -> {
					if (!value.isString() && !value.isIntegralNumber()) {
						throw new InvalidInputException(field, field + " must be a string");
					}
				}
				default -> {
					if (!value.isString()) {
						throw new InvalidInputException(field, field + " must be a string");
					}
				}
			}
		}
	}

	private static boolean allStrings(JsonNode array) {
		for (JsonNode item : array) {
			if (!item.isString()) {
				return false;
			}
		}
		return true;
	}

}
