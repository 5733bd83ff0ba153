package io.segmat.fields;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.segmat.query.ContactColumn;

/** A reserved contact field: its name cannot be a custom field's. */
public record ReservedField(String name, @JsonProperty("field_type") String fieldType,
		@JsonProperty("read_only") boolean readOnly) {

	/**
	 * Every contact column, then the names SendGrid reserves for data segmat keeps no
	 * column of (its own segment membership and engagement summaries).
	 */
	public static final List<ReservedField> ALL;

	static {
		List<ReservedField> all = new ArrayList<>();
		for (ContactColumn column : ContactColumn.values()) {
			all.add(new ReservedField(column.fieldName(), column.sendGridType(), !column.writable()));
		}
		all.add(new ReservedField("segment_ids", "Set", true));
		all.add(new ReservedField("last_clicked", "Date", true));
		all.add(new ReservedField("last_opened", "Date", true));
		all.add(new ReservedField("last_emailed", "Date", true));
		ALL = List.copyOf(all);
	}

	public static boolean isReserved(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		return ALL.stream().anyMatch((field) -> field.name().equals(lower));
	}

}
