package io.segmat.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The account's custom fields, which the query language exposes as columns of
 * {@code contact_data}.
 */
public final class FieldCatalog {

	private final Map<String, CatalogField> byLowerName;

	/** The fields as checking sees them, in order: what two catalogues compare by. */
	private final List<CatalogField> content;

	private final int contentHash;

	public FieldCatalog(Collection<CatalogField> fields) {
		Map<String, CatalogField> map = new LinkedHashMap<>();
		for (CatalogField field : fields) {
			map.put(field.name().toLowerCase(Locale.ROOT), field);
		}
		this.byLowerName = Collections.unmodifiableMap(map);
		this.content = List.copyOf(map.values());
		this.contentHash = this.content.hashCode();
	}

	public static FieldCatalog load(JdbcClient jdbc) {
		List<CatalogField> fields = jdbc.sql("SELECT id, name, field_type FROM custom_field ORDER BY id")
			.query((rs, n) -> field(rs.getString(1), rs.getString(2), rs.getString(3)))
			.list();
		return new FieldCatalog(fields);
	}

	/**
	 * The catalogue from custom_field's columns read as parallel arrays, in
	 * {@link #load}'s order (by id), for a statement that reads the fields beside other
	 * things.
	 */
	public static FieldCatalog of(String[] ids, String[] names, String[] storedTypes) {
		List<CatalogField> fields = new ArrayList<>(ids.length);
		for (int i = 0; i < ids.length; i++) {
			fields.add(field(ids[i], names[i], storedTypes[i]));
		}
		return new FieldCatalog(fields);
	}

	private static CatalogField field(String id, String name, String storedType) {
		return new CatalogField(id, name, FieldType.fromStored(storedType));
	}

	/** The field with this name, compared case-insensitively. */
	public Optional<CatalogField> find(String name) {
		return Optional.ofNullable(this.byLowerName.get(name.toLowerCase(Locale.ROOT)));
	}

	/** Whether a field with this id exists. */
	public boolean containsId(String id) {
		return this.byLowerName.values().stream().anyMatch((field) -> field.id().equals(id));
	}

	Collection<CatalogField> fields() {
		return this.byLowerName.values();
	}

	/**
	 * Whether both hold the same fields in the same order: a query checks the same
	 * against either.
	 */
	boolean sameContent(FieldCatalog other) {
		return this == other || (this.contentHash == other.contentHash && this.content.equals(other.content));
	}

	int contentHash() {
		return this.contentHash;
	}

}
