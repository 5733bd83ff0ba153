package io.segmat.fields;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A reserved contact field: its name cannot be a custom field's. */
public record ReservedField(String name, @JsonProperty("field_type") String fieldType,
		@JsonProperty("read_only") boolean readOnly) {

	public static final List<ReservedField> ALL = List.of(text("first_name"), text("last_name"), text("email"),
			new ReservedField("alternate_emails", "Text", false), text("address_line_1"), text("address_line_2"),
			text("city"), text("state_province_region"), text("postal_code"), text("country"), text("phone_number"),
			text("whatsapp"), text("line"), text("facebook"), text("unique_name"), text("phone_number_id"),
			text("external_id"), text("anonymous_id"), readOnly("contact_id", "Text"), readOnly("list_ids", "Set"),
			readOnly("email_domains", "Set"), readOnly("created_at", "Date"), readOnly("updated_at", "Date"),
			readOnly("segment_ids", "Set"), readOnly("last_clicked", "Date"), readOnly("last_opened", "Date"),
			readOnly("last_emailed", "Date"));

	public static boolean isReserved(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		return ALL.stream().anyMatch((field) -> field.name().equals(lower));
	}

	private static ReservedField text(String name) {
		return new ReservedField(name, "Text", false);
	}

	private static ReservedField readOnly(String name, String type) {
		return new ReservedField(name, type, true);
	}

}
