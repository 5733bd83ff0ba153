package io.segmat.changes;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Delivers one batch of changes per call, in the step's transaction: finds the first
 * segment with changes after the destination's cursor, reads up to a batch of them, POSTs
 * them (signed, with retries and a doubling backoff) and, on a 2xx only, moves the
 * destination's cursor past them, which commits with the step's own bookkeeping. A
 * receiver that keeps failing fails the run and moves nothing: the changes wait. A
 * process killed between the 2xx and the commit delivers that batch again next time, from
 * the same cursor, with the same X-Segmat-Delivery id.
 */
@Component
class ChangeDelivery implements Tasklet {

	static final String SIGNATURE_HEADER = "X-Segmat-Signature";

	static final String DELIVERY_HEADER = "X-Segmat-Delivery";

	private static final Logger logger = LoggerFactory.getLogger(ChangeDelivery.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	// The first segment, in key order, whose feed goes past the destination's cursor
	// (or which is inside an 'initial' row's expansion).
	private static final String PENDING = """
			SELECT s.id, s.segment_key, d.seq, d.contact_key
			FROM segment s
			LEFT JOIN change_delivery d ON d.destination = ? AND d.segment_key = s.segment_key
			WHERE (cardinality(CAST(? AS uuid[])) = 0 OR s.id = ANY (CAST(? AS uuid[])))
			  AND (d.contact_key IS NOT NULL
			       OR EXISTS (SELECT 1 FROM segment_change c
			                  WHERE c.segment_key = s.segment_key AND c.seq > coalesce(d.seq, 0)))
			ORDER BY s.segment_key
			LIMIT 1
			""";

	private static final String ADVANCE = """
			INSERT INTO change_delivery (destination, segment_key, seq, contact_key, delivered_at)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (destination, segment_key) DO UPDATE
			    SET seq = excluded.seq, contact_key = excluded.contact_key, delivered_at = excluded.delivered_at
			""";

	private final JdbcClient jdbc;

	private final ChangeFeed feed;

	private final ChangeSettings settings;

	private final Clock clock;

	private final HttpClient http;

	ChangeDelivery(JdbcClient jdbc, ChangeFeed feed, ChangeSettings settings, Clock clock) {
		this.jdbc = jdbc;
		this.feed = feed;
		this.settings = settings;
		this.clock = clock;
		this.http = HttpClient.newBuilder()
			.connectTimeout(settings.webhookTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		URI url = this.settings.webhookUrl();
		if (url == null) {
			throw new ChangeDeliveryException("SEGMAT_CHANGES_WEBHOOK_URL is not set: there is nowhere to deliver");
		}
		String destination = url.toString();
		UUID[] only = this.settings.webhookSegmentIds().toArray(UUID[]::new);
		Optional<Pending> pending = this.jdbc.sql(PENDING)
			.params(destination, only, only)
			.query((rs, n) -> new Pending(rs.getObject("id", UUID.class), rs.getInt("segment_key"),
					(Long) rs.getObject("seq"), (Long) rs.getObject("contact_key")))
			.optional();
		if (pending.isEmpty()) {
			return RepeatStatus.FINISHED;
		}
		Pending segment = pending.get();
		FeedPosition from = segment.position();
		ChangeFeed.Read read;
		try {
			read = this.feed.read(segment.key(), from, this.settings.webhookBatchSize());
		}
		catch (CursorExpiredException ex) {
			throw new ChangeDeliveryException("segment " + segment.id() + ": changes not yet delivered to "
					+ destination
					+ " have expired (SEGMAT_CHANGES_WEBHOOK_URL was down longer than SEGMAT_CHANGES_RETENTION);"
					+ " delete its row in change_delivery to deliver from the oldest retained change");
		}
		if (!read.changes().isEmpty()) {
			post(url, segment.id(), read);
			contribution.incrementWriteCount(read.changes().size());
		}
		FeedPosition next = read.next();
		this.jdbc.sql(ADVANCE)
			.params(destination, segment.key(), next.seq(), next.whole() ? null : next.contactKey(),
					Timestamp.from(this.clock.instant()))
			.update();
		return RepeatStatus.CONTINUABLE;
	}

	private void post(URI url, UUID segmentId, ChangeFeed.Read read) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("segment_id", segmentId.toString());
		body.put("cursor", read.start().cursor());
		body.put("next_cursor", read.next().cursor());
		body.put("changes", read.changes());
		byte[] bytes = JSON.writeValueAsBytes(body);
		HttpRequest.Builder request = HttpRequest.newBuilder(url)
			.timeout(this.settings.webhookTimeout())
			.header("Content-Type", "application/json")
			.header(DELIVERY_HEADER, segmentId + ":" + read.start().cursor())
			.POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
		if (this.settings.webhookSecret() != null) {
			request.header(SIGNATURE_HEADER, "sha256=" + sign(this.settings.webhookSecret(), bytes));
		}
		String failure = null;
		Duration backoff = this.settings.webhookBackoff();
		for (int attempt = 1; attempt <= this.settings.webhookAttempts(); attempt++) {
			if (attempt > 1) {
				pause(backoff);
				backoff = backoff.multipliedBy(2);
			}
			try {
				HttpResponse<Void> response = this.http.send(request.build(), HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() / 100 == 2) {
					return;
				}
				failure = "answered " + response.statusCode();
			}
			catch (IOException ex) {
				failure = (ex instanceof java.net.http.HttpTimeoutException)
						? "did not answer within " + this.settings.webhookTimeout().toMillis() + " ms"
						: "could not be reached (" + ex + ")";
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new ChangeDeliveryException("delivery interrupted");
			}
			logger.warn("change delivery to {}: attempt {} of {} {}", url, attempt, this.settings.webhookAttempts(),
					failure);
		}
		throw new ChangeDeliveryException("the receiver at " + url + " " + failure + " ("
				+ this.settings.webhookAttempts() + " attempts); its changes wait for the next run");
	}

	private static void pause(Duration backoff) {
		try {
			Thread.sleep(backoff.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ChangeDeliveryException("delivery interrupted");
		}
	}

	/** Lower-case hex HMAC-SHA256 of the body, keyed by the secret's UTF-8 bytes. */
	static String sign(String secret, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal(body));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	private record Pending(UUID id, int key, Long seq, Long contactKey) {

		FeedPosition position() {
			if (this.seq == null) {
				return null;
			}
			return new FeedPosition(this.key, this.seq,
					(this.contactKey != null) ? this.contactKey : FeedPosition.WHOLE);
		}

	}

	/** Fails the delivery run with a message for the operator. */
	static final class ChangeDeliveryException extends RuntimeException {

		ChangeDeliveryException(String message) {
			super(message);
		}

	}

}
