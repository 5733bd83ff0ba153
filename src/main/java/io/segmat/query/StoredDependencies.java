package io.segmat.query;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link QueryDependencies} in the JSON form kept beside a segment's query, so that a
 * refresh learns them without parsing the query again. The form carries a version: a
 * stored value this code does not fully understand (an older form, say, once the record
 * grows) reads as absent, and the reader compiles the query and stores it anew rather
 * than trusting a partial answer.
 */
public final class StoredDependencies {

	private static final int FORMAT = 1;

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private StoredDependencies() {
	}

	public static String toJson(QueryDependencies dependencies) {
		ObjectNode json = MAPPER.createObjectNode();
		json.put("format", FORMAT);
		// Sorted, so that equal dependencies are stored as equal text.
		dependencies.contactColumns().stream().sorted().forEach(json.putArray("contact_columns")::add);
		dependencies.listIds().stream().map(UUID::toString).sorted().forEach(json.putArray("list_ids")::add);
		json.put("any_list", dependencies.anyList());
		json.put("events", dependencies.events());
		json.put("clock", dependencies.clock());
		return MAPPER.writeValueAsString(json);
	}

	/**
	 * The dependencies {@code json} holds; empty when it is null or not in this code's
	 * form.
	 */
	public static Optional<QueryDependencies> fromJson(String json) {
		if (json == null) {
			return Optional.empty();
		}
		JsonNode node;
		try {
			node = MAPPER.readTree(json);
		}
		catch (JacksonException ex) {
			return Optional.empty();
		}
		if (node.path("format").asInt(0) != FORMAT || !node.path("contact_columns").isArray()
				|| !node.path("list_ids").isArray() || !node.path("any_list").isBoolean()
				|| !node.path("events").isBoolean() || !node.path("clock").isBoolean()) {
			return Optional.empty();
		}
		Set<String> columns = new HashSet<>();
		node.get("contact_columns").forEach((column) -> columns.add(column.asString()));
		List<UUID> lists = new ArrayList<>();
		try {
			node.get("list_ids").forEach((id) -> lists.add(UUID.fromString(id.asString())));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
		return Optional.of(new QueryDependencies(columns, Set.copyOf(lists), node.get("any_list").booleanValue(),
				node.get("events").booleanValue(), node.get("clock").booleanValue()));
	}

}
