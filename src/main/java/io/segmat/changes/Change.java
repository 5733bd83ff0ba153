package io.segmat.changes;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One contact entering or leaving a segment.
 *
 * @param contactId the contact's id; kept after the contact is deleted
 * @param email its email; null once the contact is deleted
 * @param change {@code entered} or {@code left}
 * @param at the evaluation's instant ({@code asOf}), ISO-8601 UTC to the second
 * @param evaluationId the evaluation that found it, as in segment_evaluation
 */
public record Change(@JsonProperty("contact_id") String contactId, String email, String change, String at,
		@JsonProperty("evaluation_id") long evaluationId) {
}
