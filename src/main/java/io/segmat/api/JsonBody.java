package io.segmat.api;

import java.util.ArrayList;
import java.util.List;

import io.segmat.InvalidInputException;
import tools.jackson.databind.JsonNode;

/** Reads a request body field by field, so a wrong type is a 400 that names the field. */
final class JsonBody {

	private final JsonNode node;

	private JsonBody(JsonNode node) {
		this.node = node;
	}

	static JsonBody of(JsonNode node) {
		if (node == null || !node.isObject()) {
			throw new InvalidInputException(null, "the request body must be a JSON object");
		}
		return new JsonBody(node);
	}

	boolean has(String field) {
		return this.node.has(field) && !this.node.get(field).isNull();
	}

	String string(String field) {
		JsonNode value = this.node.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			throw new InvalidInputException(field, field + " must be a string");
		}
		return value.asString();
	}

	List<String> strings(String field) {
		JsonNode value = this.node.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isArray()) {
			throw new InvalidInputException(field, field + " must be an array of strings");
		}
		List<String> result = new ArrayList<>();
		for (JsonNode item : value) {
			if (!item.isString()) {
				throw new InvalidInputException(field, field + " must be an array of strings");
			}
			result.add(item.asString());
		}
		return result;
	}

	JsonNode node() {
		return this.node;
	}

}
