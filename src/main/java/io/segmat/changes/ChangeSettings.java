package io.segmat.changes;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tunables of the change feed, bound from {@code segmat.changes.*} (or SEGMAT_CHANGES_*
 * in the environment).
 *
 * @param enabled whether evaluations record their changes; off only to measure what the
 * feed costs
 * @param retention how long changes are kept; the refresh prunes older ones
 * @param webhookUrl where {@code changeDeliveryJob} posts the changes; none: no push
 * @param webhookSecret the HMAC-SHA256 key of the signature header; none: unsigned
 * @param webhookSegmentIds only these segments' changes are pushed; none: every segment
 * @param webhookBatchSize changes per POST, at most 1,000
 * @param webhookTimeout how long a POST may take (and connecting, at most)
 * @param webhookAttempts tries per batch in one run before the run gives up
 * @param webhookBackoff the wait after the first failed try; it doubles each time
 */
@ConfigurationProperties("segmat.changes")
public record ChangeSettings(Boolean enabled, Duration retention, URI webhookUrl, String webhookSecret,
		List<UUID> webhookSegmentIds, Integer webhookBatchSize, Duration webhookTimeout, Integer webhookAttempts,
		Duration webhookBackoff) {

	/** The most changes one POST carries. */
	public static final int MAX_BATCH = 1000;

	public ChangeSettings {
		enabled = (enabled != null) ? enabled : true;
		retention = (retention != null) ? retention : Duration.ofDays(30);
		webhookSecret = (webhookSecret != null && !webhookSecret.isEmpty()) ? webhookSecret : null;
		webhookSegmentIds = (webhookSegmentIds != null) ? List.copyOf(webhookSegmentIds) : List.of();
		webhookBatchSize = (webhookBatchSize != null) ? Math.max(1, Math.min(MAX_BATCH, webhookBatchSize)) : MAX_BATCH;
		webhookTimeout = (webhookTimeout != null) ? webhookTimeout : Duration.ofSeconds(10);
		webhookAttempts = (webhookAttempts != null) ? Math.max(1, webhookAttempts) : 4;
		webhookBackoff = (webhookBackoff != null) ? webhookBackoff : Duration.ofSeconds(2);
	}

}
