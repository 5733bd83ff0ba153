package io.segmat.segments;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * A segment as SendGrid's Segments 2.0 API writes it. Timestamps are ISO-8601 UTC to the
 * second; {@code parent_list_ids} is null when unset. The summary form (lists) leaves out
 * the query and the sample.
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record Segment(String id, String name,
		@JsonProperty("query_dsl") @JsonInclude(JsonInclude.Include.NON_NULL) String queryDsl,
		@JsonProperty("contacts_count") long contactsCount,
		@JsonProperty("contacts_sample") @JsonRawValue @JsonInclude(JsonInclude.Include.NON_NULL) String contactsSample,
		@JsonProperty("created_at") String createdAt, @JsonProperty("updated_at") String updatedAt,
		@JsonProperty("sample_updated_at") @JsonInclude(JsonInclude.Include.ALWAYS) String sampleUpdatedAt,
		@JsonProperty("next_sample_update") @JsonInclude(JsonInclude.Include.ALWAYS) String nextSampleUpdate,
		@JsonProperty("parent_list_ids") @JsonInclude(JsonInclude.Include.ALWAYS) List<String> parentListIds,
		@JsonProperty("query_version") String queryVersion, Status status,
		@JsonProperty("refreshes_used") @JsonInclude(JsonInclude.Include.NON_NULL) Integer refreshesUsed,
		@JsonProperty("max_refreshes") @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxRefreshes,
		@JsonProperty("last_refreshed_at") @JsonInclude(JsonInclude.Include.NON_NULL) String lastRefreshedAt) {

	/** The same segment without query and sample, as list answers show it. */
	public Segment summary() {
		return new Segment(this.id, this.name, null, this.contactsCount, null, this.createdAt, this.updatedAt,
				this.sampleUpdatedAt, this.nextSampleUpdate, this.parentListIds, this.queryVersion, this.status, null,
				null, null);
	}

	/** The same segment without its sample ({@code contacts_sample=false}). */
	public Segment withoutSample() {
		return new Segment(this.id, this.name, this.queryDsl, this.contactsCount, null, this.createdAt, this.updatedAt,
				this.sampleUpdatedAt, this.nextSampleUpdate, this.parentListIds, this.queryVersion, this.status,
				this.refreshesUsed, this.maxRefreshes, this.lastRefreshedAt);
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Status(@JsonProperty("query_validation") String queryValidation,
			@JsonProperty("error_message") String errorMessage) {
	}

}
