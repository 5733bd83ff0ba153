package io.segmat.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * SendGrid's export status ({@code ContactExport} in tsg_mc_contacts_v3.yaml) and, with
 * {@code export_type}, {@code lists} and {@code segments} set, an item of its export
 * list.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "id", "status", "export_type", "created_at", "updated_at", "completed_at", "expires_at", "urls",
		"message", "contact_count", "lists", "segments", "_metadata" })
record ExportStatus(String id, String status, @JsonProperty("export_type") String exportType,
		@JsonProperty("created_at") String createdAt, @JsonProperty("updated_at") String updatedAt,
		@JsonProperty("completed_at") String completedAt, @JsonProperty("expires_at") String expiresAt,
		List<String> urls, String message, @JsonProperty("contact_count") Long contactCount, List<Named> lists,
		List<Named> segments, @JsonProperty("_metadata") Map<String, String> metadata) {

	/** A list or segment as the export list names it: {@code {"ID","Name"}}. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Named(@JsonProperty("ID") String id, @JsonProperty("Name") String name) {
	}

}
