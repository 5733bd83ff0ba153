package io.segmat.query;

import java.util.Objects;

/** One custom field definition: its id (like {@code e2_N}), its name and its type. */
public record CatalogField(String id, String name, FieldType type) {

	public CatalogField {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(type, "type");
	}

}
