package io.segmat.events;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.segmat.ingest.ImportJson;
import io.segmat.ingest.ImportTally;
import io.segmat.ingest.SourceRecord;
import io.segmat.ingest.Storable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Checks one Event Webhook event and builds what is stored: the first-class columns and
 * {@code data = {"payload": event}}, where the payload also carries the marketing ids and
 * the sender's custom args under {@code unique_args}, which is where segment queries look
 * for them ({@code DATA:payload.unique_args.singlesend_id}).
 */
class EventValidator implements ItemProcessor<SourceRecord, EventRow> {

	static final String READ = "read";

	static final String INVALID = "invalid";

	private static final int MAX_ID_LENGTH = 255;

	/**
	 * The fields SendGrid itself puts on webhook events; any other field is a custom arg.
	 */
	private static final Set<String> STANDARD = Set.of("email", "timestamp", "event", "sg_event_id", "sg_message_id",
			"smtp-id", "category", "useragent", "ip", "url", "url_offset", "reason", "status", "response", "attempt",
			"type", "bounce_classification", "tls", "cert_err", "asm_group_id", "sg_machine_open", "sg_content_type",
			"marketing_campaign_id", "marketing_campaign_name", "marketing_campaign_version",
			"marketing_campaign_split_id", "pool", "send_at", "unique_args", "singlesend_name", "sg_template_id",
			"sg_template_name", "template_version_id", "template_name", "mc_auto_id", "mc_auto_name", "mc_auto_step_id",
			"mc_stats", "newsletter", "post_type", "sg_user_id", "ip_pool_name", "ip_pool_id");

	/** Marketing ids that segment queries read under unique_args. */
	private static final Set<String> MARKETING_IDS = Set.of("singlesend_id", "automation_id", "template_id",
			"phase_id");

	private final ImportTally tally;

	EventValidator(ImportTally tally) {
		this.tally = tally;
	}

	@Override
	public EventRow process(SourceRecord record) {
		this.tally.increment(READ);
		if (!record.readable()) {
			this.tally.reject(INVALID, record.line(), record.error());
			return null;
		}
		Problem problem = problem(record.value());
		if (problem != null) {
			this.tally.reject(INVALID, record.line(), problem.field(), problem.message());
			return null;
		}
		ObjectNode event = (ObjectNode) record.value();
		ObjectNode payload = event.deepCopy();
		ObjectNode uniqueArgs = (payload.get("unique_args") instanceof ObjectNode existing) ? existing
				: ImportJson.MAPPER.createObjectNode();
		for (Map.Entry<String, JsonNode> entry : event.properties()) {
			String name = entry.getKey();
			if (MARKETING_IDS.contains(name) || !STANDARD.contains(name)) {
				uniqueArgs.set(name, entry.getValue());
			}
		}
		payload.set("unique_args", uniqueArgs);
		ObjectNode data = ImportJson.MAPPER.createObjectNode();
		data.set("payload", payload);
		return new EventRow(record.line(), event.get("sg_event_id").stringValue(),
				event.get("email").stringValue().trim().toLowerCase(Locale.ROOT), event.get("event").stringValue(),
				event.get("timestamp").longValue(), text(event, "singlesend_id", null),
				text(event, "automation_id", "mc_auto_id"), text(event, "template_id", "sg_template_id"),
				text(event, "url", null), data);
	}

	private static Problem problem(JsonNode value) {
		if (!value.isObject()) {
			return new Problem(null, "an event must be a JSON object");
		}
		Problem missing = requireText(value, "sg_event_id");
		if (missing == null) {
			missing = requireText(value, "event");
		}
		if (missing == null) {
			missing = requireText(value, "email");
		}
		if (missing != null) {
			return missing;
		}
		JsonNode timestamp = value.get("timestamp");
		if (timestamp == null || !timestamp.isIntegralNumber() || !timestamp.canConvertToLong()) {
			return new Problem("timestamp", "timestamp must be a number of epoch seconds");
		}
		String range = Storable.epochSecondProblem(timestamp.longValue());
		if (range != null) {
			return new Problem("timestamp", "timestamp " + range + ", not " + timestamp.longValue());
		}
		if (value.get("sg_event_id").stringValue().length() > MAX_ID_LENGTH) {
			return new Problem("sg_event_id", "sg_event_id is longer than " + MAX_ID_LENGTH + " characters");
		}
		Problem unstorable = unstorable(value, null);
		if (unstorable != null) {
			return unstorable;
		}
		if (value.get("email").stringValue().indexOf('@') < 1) {
			return new Problem("email", "invalid email '" + value.get("email").stringValue() + "'");
		}
		return null;
	}

	private static Problem requireText(JsonNode value, String name) {
		JsonNode field = value.get(name);
		if (field == null || !field.isString() || field.stringValue().isBlank()) {
			return new Problem(name, name + " is required");
		}
		return null;
	}

	/**
	 * The first name or value anywhere in the event that PostgreSQL cannot store: the
	 * whole event is kept as its payload.
	 */
	private static Problem unstorable(JsonNode node, String path) {
		if (node.isObject()) {
			for (Map.Entry<String, JsonNode> entry : node.properties()) {
				String field = (path != null) ? path + "." + entry.getKey() : entry.getKey();
				String problem = Storable.textProblem(entry.getKey());
				if (problem != null) {
					return new Problem(field, "the name of " + field + " " + problem);
				}
				Problem inside = unstorable(entry.getValue(), field);
				if (inside != null) {
					return inside;
				}
			}
			return null;
		}
		if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				Problem inside = unstorable(node.get(i), path + "[" + i + "]");
				if (inside != null) {
					return inside;
				}
			}
			return null;
		}
		String problem = null;
		if (node.isString()) {
			problem = Storable.textProblem(node.stringValue());
		}
		else if (node.isNumber() && !(node.isIntegralNumber() && node.canConvertToLong())) {
			try {
				problem = Storable.numberProblem(node.decimalValue());
			}
			catch (RuntimeException ex) {
				// NaN or an infinity, read as a double
				problem = "must be a finite number";
			}
		}
		return (problem != null) ? new Problem(path, path + " " + problem) : null;
	}

	/** What is wrong with an event, and where (null: the event as a whole). */
	private record Problem(String field, String message) {
	}

	/** A scalar payload field as text; SendGrid sends some ids as numbers. */
	private static String text(JsonNode event, String name, String fallback) {
		JsonNode field = event.get(name);
		if ((field == null || field.isNull()) && fallback != null) {
			field = event.get(fallback);
		}
		if (field == null || field.isNull() || !field.isValueNode()) {
			return null;
		}
		return field.isString() ? field.stringValue() : field.asString();
	}

}
