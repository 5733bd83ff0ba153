package io.segmat.api;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import io.segmat.InvalidInputException;
import io.segmat.events.EventImportReport;
import io.segmat.events.EventImporter;
import io.segmat.ingest.ImportJson;
import io.segmat.ingest.TempFiles;
import tools.jackson.databind.JsonNode;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Takes an Event Webhook batch (the JSON array SendGrid posts to a webhook) and loads it
 * through the eventImportJob, like {@code segmat events import}. Answers once the job has
 * ended, with its counts and each invalid event by its index, so a sender knows which
 * events were stored. A job that failed (the database gone, not a bad event) is a 500:
 * the sender retries the batch, and what was stored is not stored twice.
 */
@RestController
class EventsController {

	private final EventImporter importer;

	EventsController(EventImporter importer) {
		this.importer = importer;
	}

	@PostMapping("/v3/user/webhooks/event/ingest")
	EventIngestAnswer ingest(@RequestBody JsonNode body) {
		if (body == null || !body.isArray()) {
			throw new InvalidInputException(null, "the request body must be a JSON array of Event Webhook events");
		}
		for (int i = 0; i < body.size(); i++) {
			if (!body.get(i).isObject()) {
				throw new InvalidInputException("[" + i + "]", "[" + i + "] must be an event object");
			}
		}
		// One event a line: the import reports a bad event by its line, which is then its
		// 1-based position in the batch.
		EventImportReport report = TempFiles.withTempFile("segmat-events-", (file) -> {
			try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
				for (JsonNode event : body) {
					out.write(ImportJson.ASCII_LINE.writeValueAsString(event));
					out.newLine();
				}
			}
			return this.importer.importRequest(file);
		});
		if (!report.completed()) {
			// The failure's own text stays in the log and the job repository.
			throw new IllegalStateException("event import job " + report.jobExecutionId() + " ended " + report.status()
					+ ": " + report.failure());
		}
		return EventIngestAnswer.of(report);
	}

}
