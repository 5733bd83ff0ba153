package io.segmat.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import io.segmat.testsupport.TestResources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Validates segmat's answers against SendGrid's OpenAPI files
 * (src/test/resources/sendgrid-oai, MIT-licensed by Twilio) with Atlassian's
 * swagger-request-validator. The files are read as they are; where segmat's documented
 * API (README, HTTP API) or the files' own inconsistency decides otherwise, the
 * difference is applied to the loaded copy as one of the {@link #EXCEPTIONS}, each with
 * its reason, and nothing else is relaxed.
 */
final class SendGridContract {

	private static final Path FOLDER = TestResources.path("sendgrid-oai");

	private static final String JSON = "application~1json";

	private static final String SEGMENTS = "/paths/~1v3~1marketing~1segments~12.0";

	private static final String SEGMENT = SEGMENTS + "~1{segment_id}";

	private static final String REFRESH = SEGMENTS + "~1refresh~1{segment_id}";

	/** A documented difference between segmat's answers and one OpenAPI file. */
	record ContractException(String file, String reason, Patch patch) {
	}

	@FunctionalInterface
	interface Patch {

		void apply(ObjectNode spec);

	}

	static final List<ContractException> EXCEPTIONS = List
		.of(new ContractException("segments", "the list answer is {\"results\":[summaries]}, as real SendGrid answers "
				+ "(README, HTTP API); the file's AllSegments200 describes one summary", (spec) -> {
					ObjectNode schema = object(spec, SEGMENTS + "/get/responses/200/content/" + JSON);
					ObjectNode list = schema.putObject("schema");
					list.put("type", "object").putArray("required").add("results");
					ObjectNode results = list.putObject("properties").putObject("results");
					results.put("type", "array");
					results.putObject("items").put("$ref", "#/components/schemas/AllSegments200");
				}),
				new ContractException("segments",
						"sample_updated_at, next_sample_update and parent_list_ids are null "
								+ "until set: a new segment has no sample and no parent list (README, HTTP API)",
						(spec) -> {
							for (String schema : List.of("AllSegments200", "Segment2xx")) {
								for (String field : List.of("sample_updated_at", "next_sample_update",
										"parent_list_ids")) {
									object(spec, "/components/schemas/" + schema + "/properties/" + field)
										.put("nullable", true);
								}
							}
						}),
				new ContractException("segments",
						"an unknown segment id is a 404 {\"error\":\"Segment does not exist.\"} "
								+ "on get, update and delete too, not only on refresh (README, HTTP API)",
						(spec) -> {
							for (String method : List.of("get", "patch", "delete")) {
								segmentError(object(spec, SEGMENT + "/" + method + "/responses"), "404");
							}
						}),
				new ContractException("segments",
						"a refresh over a limit answers 429 with an errors body that names the "
								+ "limit and when it resets (README, HTTP API); the file gives the 429 no body",
						(spec) -> {
							errors(object(spec, REFRESH + "/post/responses"), "429");
						}),
				new ContractException("segments", "a refresh without a valid user_time_zone is a 400 naming the field "
						+ "(README, HTTP API: wrong input gets the documented error shape); the file lists no 400 for it",
						(spec) -> errors(object(spec, REFRESH + "/post/responses"), "400")),
				new ContractException("all",
						"errors that no single field caused carry \"field\": null, as the 401 body "
								+ "the README fixes does; the files type field as a string",
						(spec) -> {
							for (String schema : List.of("ErrorsSegmentV2", "CustomFieldsError", "Error",
									"ContactsError")) {
								JsonNode found = spec.at("/components/schemas/" + schema);
								if (found.isObject()) {
									ObjectNode field = (ObjectNode) (schema.equals("ErrorsSegmentV2")
											? found.at("/properties/errors/items/properties/field")
											: found.at("/properties/field"));
									field.put("nullable", true);
								}
							}
						}),
				new ContractException("segments",
						"contacts_sample carries postal_code as a string (\"01234\" is a valid "
								+ "postal code, as the contacts file types it); the segments file types it as an integer",
						(spec) -> object(spec, "/components/schemas/ContactResponse/properties/postal_code").put("type",
								"string")),
				new ContractException("segments",
						"contacts_sample writes a reserved text field the contact does not have "
								+ "as \"\": the file requires first_name, last_name and city yet gives them minLength 1 and a "
								+ "letters-only pattern that no unset (or \"Paris 2\") value can meet",
						(spec) -> {
							ObjectNode properties = object(spec, "/components/schemas/ContactResponse/properties");
							((ObjectNode) properties.get("first_name")).remove("minLength");
							((ObjectNode) properties.get("last_name")).remove("minLength");
							((ObjectNode) properties.get("city")).remove("pattern");
						}),
				new ContractException("segments", "a sample contact carries created_at and updated_at, as the contacts "
						+ "file's ContactDetails3 does, and custom_fields keyed by the account's own field names; the "
						+ "file's ContactResponse lists two example names only", (spec) -> {
							ObjectNode properties = object(spec, "/components/schemas/ContactResponse/properties");
							properties.putObject("created_at").put("type", "string");
							properties.putObject("updated_at").put("type", "string");
							((ObjectNode) properties.get("custom_fields")).put("additionalProperties", true);
						}),
				new ContractException("contacts",
						"the deletion's job_id is a string, like every other job_id and the "
								+ "import status path it is used in; the file says object",
						(spec) -> object(spec,
								"/paths/~1v3~1marketing~1contacts/delete/responses/202/content/" + JSON
										+ "/schema/properties/job_id")
							.put("type", "string")),
				new ContractException("lists",
						"an unknown list id is a 404 {\"errors\":[...]} like the same path's "
								+ "delete; the file's get shows a bare array, which no SendGrid client reads",
						(spec) -> {
							ObjectNode schema = object(spec,
									"/paths/~1v3~1marketing~1lists~1{id}/get/responses/404/content/" + JSON);
							schema.putObject("schema").put("$ref", "#/components/schemas/ApiErrors");
						}),
				new ContractException("contacts",
						"an unknown contact id is a 404 with the errors body of the file's other "
								+ "404s (MarketingContacts404); the file gives this one no body",
						(spec) -> errors(object(spec, "/paths/~1v3~1marketing~1contacts~1{id}/get/responses"), "404")),
				new ContractException("contacts",
						"a search past its timeout answers 408 with the errors body that says so "
								+ "(README, HTTP API); the file gives the 408 no body",
						(spec) -> errors(object(spec, "/paths/~1v3~1marketing~1contacts~1search/post/responses"),
								"408")),
				new ContractException("contacts",
						"each address in a lookup by email is checked as the file's patternProperties "
								+ "say (a contact or an error), without the address pattern: the validator reads "
								+ "OpenAPI 3.0, which has no patternProperties",
						(spec) -> object(spec,
								"/paths/~1v3~1marketing~1contacts~1search~1emails/post/responses/200/content/" + JSON
										+ "/schema/properties/result")
							.set("additionalProperties", SendGridContract.SEARCHED_EMAIL)),
				new ContractException("all", "a missing or wrong key is a 401 {\"errors\":[{\"field\":null,"
						+ "\"message\":\"authorization required\"}]} on every path (README, HTTP API); only the contacts "
						+ "file lists it", (spec) -> forEachOperation(spec, (operation) -> errors(operation, "401"))),
				new ContractException("all",
						"a body over 6 MB is a 413 with the errors body (README, HTTP API); " + "no file lists 413",
						(spec) -> forEachOperation(spec, (operation) -> errors(operation, "413"))));

	private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

	/**
	 * One address's entry in a lookup by email, as the file's patternProperties has it.
	 */
	private static final JsonNode SEARCHED_EMAIL = yaml("""
			type: object
			additionalProperties: false
			properties:
			  contact: {$ref: '#/components/schemas/ContactDetails3'}
			  error: {type: string}
			""");

	private final Map<String, OpenApiInteractionValidator> validators = new LinkedHashMap<>();

	SendGridContract() {
		this.validators.put("/v3/marketing/segments/2.0", load("segments", "tsg_mc_segments_2.0_v3.yaml"));
		this.validators.put("/v3/marketing/field_definitions", load("custom_fields", "tsg_mc_custom_fields_v3.yaml"));
		this.validators.put("/v3/marketing/lists", load("lists", "tsg_mc_lists_v3.yaml"));
		this.validators.put("/v3/marketing/contacts", load("contacts", "tsg_mc_contacts_v3.yaml"));
	}

	/**
	 * The validator whose file covers {@code path}, or null for an endpoint no file
	 * documents (the event ingest).
	 */
	OpenApiInteractionValidator validatorFor(String path) {
		return this.validators.entrySet()
			.stream()
			.filter((entry) -> path.startsWith(entry.getKey()))
			.map(Map.Entry::getValue)
			.findFirst()
			.orElse(null);
	}

	/** The validator's report on one answer; empty when it conforms. */
	ValidationReport validate(String method, String path, int status, String contentType, String body) {
		OpenApiInteractionValidator validator = validatorFor(path);
		if (validator == null) {
			throw new IllegalArgumentException("no OpenAPI file documents " + path);
		}
		SimpleResponse.Builder answer = SimpleResponse.Builder.status(status);
		if (contentType != null) {
			answer.withContentType(contentType);
		}
		if (body != null && !body.isEmpty()) {
			answer.withBody(body);
		}
		String pathOnly = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
		return validator.validateResponse(pathOnly, Request.Method.valueOf(method), answer.build());
	}

	/**
	 * The files are OpenAPI 3.1.0 but use 3.0's keywords (nullable) and nothing of 3.1
	 * beyond info.summary and patternProperties (only in /contacts/search/emails, which
	 * one of the {@link #EXCEPTIONS} restates); the validator checks types only when it
	 * reads a file as 3.0, so it gets them so.
	 */
	private static OpenApiInteractionValidator load(String name, String file) {
		try {
			ObjectNode spec = (ObjectNode) YAML.readTree(FOLDER.resolve(file).toFile());
			spec.put("openapi", "3.0.3");
			((ObjectNode) spec.get("info")).remove("summary");
			spec.findParents("patternProperties")
				.forEach((parent) -> ((ObjectNode) parent).remove("patternProperties"));
			// The error body of 401/413, shared by the exceptions that need it.
			ObjectNode components = (ObjectNode) spec.get("components");
			components.with("schemas").set("ApiErrors", YAML.readTree("""
					type: object
					required: [errors]
					properties:
					  errors:
					    type: array
					    items:
					      type: object
					      required: [field, message]
					      properties:
					        field: {type: string, nullable: true}
					        message: {type: string}
					"""));
			components.with("schemas").set("SegmatSegmentError", YAML.readTree("""
					type: object
					required: [error]
					properties:
					  error: {type: string}
					"""));
			for (ContractException exception : EXCEPTIONS) {
				if (exception.file().equals("all") || exception.file().equals(name)) {
					exception.patch().apply(spec);
				}
			}
			return OpenApiInteractionValidator.createForInlineApiSpecification(YAML.writeValueAsString(spec)).build();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + FOLDER.resolve(file).toAbsolutePath(), ex);
		}
	}

	private static JsonNode yaml(String text) {
		try {
			return YAML.readTree(text);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static ObjectNode object(ObjectNode spec, String pointer) {
		JsonNode node = spec.at(pointer);
		if (!node.isObject()) {
			throw new IllegalStateException(
					"the OpenAPI file has no object at " + pointer + ": the exception no longer applies");
		}
		return (ObjectNode) node;
	}

	private static void errors(ObjectNode responses, String status) {
		ObjectNode response = responses.putObject(status);
		response.put("description", "segmat");
		response.putObject("content")
			.putObject("application/json")
			.putObject("schema")
			.put("$ref", "#/components/schemas/ApiErrors");
	}

	private static void segmentError(ObjectNode responses, String status) {
		ObjectNode response = responses.putObject(status);
		response.put("description", "segmat");
		response.putObject("content")
			.putObject("application/json")
			.putObject("schema")
			.put("$ref", "#/components/schemas/SegmatSegmentError");
	}

	private static void forEachOperation(ObjectNode spec, java.util.function.Consumer<ObjectNode> responses) {
		for (JsonNode path : spec.get("paths")) {
			for (String method : List.of("get", "put", "post", "patch", "delete")) {
				JsonNode operation = path.get(method);
				if (operation != null) {
					responses.accept((ObjectNode) operation.get("responses"));
				}
			}
		}
	}

}
