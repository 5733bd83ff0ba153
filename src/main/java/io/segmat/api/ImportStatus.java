package io.segmat.api;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * SendGrid's import status ({@code ContactImport} in tsg_mc_contacts_v3.yaml) of a
 * contacts upsert or deletion job. As on SendGrid, an upsert with errored contacts has an
 * {@code errors_url}: segmat's serves the first of them ({@link ImportErrors}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ImportStatus(String id, String status, @JsonProperty("job_type") String jobType, Results results,
		@JsonProperty("started_at") String startedAt, @JsonProperty("finished_at") String finishedAt) {

	static final String PENDING = "pending";

	static final String COMPLETED = "completed";

	static final String ERRORED = "errored";

	static final String FAILED = "failed";

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Results(@JsonProperty("requested_count") Long requestedCount,
			@JsonProperty("created_count") Long createdCount, @JsonProperty("updated_count") Long updatedCount,
			@JsonProperty("deleted_count") Long deletedCount, @JsonProperty("errored_count") Long erroredCount,
			@JsonProperty("errors_url") String errorsUrl) {
	}

	/**
	 * Batch keeps its times as local date-times of the server's zone; the API speaks UTC
	 * to the second.
	 */
	static String timestamp(LocalDateTime time) {
		return (time != null)
				? time.atZone(ZoneId.systemDefault()).toInstant().truncatedTo(ChronoUnit.SECONDS).toString() : null;
	}

}
