package io.segmat.changes;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.segmat.SegmatApplication;
import io.segmat.refresh.RefreshLauncher;
import io.segmat.refresh.RefreshRun;
import io.segmat.segments.Segment;
import io.segmat.segments.Segments;
import io.segmat.testsupport.TestData;
import io.segmat.testsupport.TestDatabase;
import io.segmat.testsupport.TestScopeExecutions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code changeDeliveryJob} against a real HTTP receiver on this machine, which fails,
 * hangs past the timeout and recovers as each test scripts it. Its own context: the
 * webhook's address, timeout and backoff are settings.
 */
@SpringBootTest(classes = SegmatApplication.class,
		properties = { "segmat.changes.webhook-secret=s3cret", "segmat.changes.webhook-batch-size=3",
				"segmat.changes.webhook-timeout=400ms", "segmat.changes.webhook-attempts=3",
				"segmat.changes.webhook-backoff=20ms" })
@SpringBatchTest
class ChangeDeliveryTests implements TestScopeExecutions {

	private static final TestDatabase database = TestDatabase.create();

	private static final Receiver receiver = Receiver.start();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Instant T0 = Instant.parse("2026-08-01T00:00:00Z");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		database.register(registry);
		registry.add("segmat.changes.webhook-url", receiver::url);
	}

	@AfterAll
	static void stopReceiver() {
		receiver.server.stop(0);
	}

	@Autowired
	private ChangeDeliveryLauncher delivery;

	@Autowired
	private ChangeFeed feed;

	@Autowired
	private RefreshLauncher launcher;

	@Autowired
	private Segments segments;

	@Autowired
	private JdbcClient jdbc;

	private TestData data;

	private Segment uk;

	private Segment everyone;

	@BeforeEach
	void twoSegmentsMaterializedThenChanged() {
		database.truncateAll();
		receiver.reset();
		this.data = new TestData(this.jdbc);
		for (int i = 0; i < 7; i++) {
			this.data.contact("c" + i + "@example.com", "C" + i, (i % 2 == 0) ? "UK" : "US");
		}
		this.uk = this.segments.create("uk", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'",
				null);
		this.everyone = this.segments.create("everyone", "SELECT contact_id, updated_at FROM contact_data", null);
		refresh(T0);
		this.data.update("c1@example.com", "country", "UK");
		this.data.update("c0@example.com", "country", "FR");
		refresh(T0.plus(Duration.ofHours(1)));
	}

	@Test
	void everyChangeIsDeliveredOnceInSignedBatches() {
		// when the changes are delivered, twice
		DeliveryRun run = this.delivery.deliver();
		DeliveryRun again = this.delivery.deliver();

		// then each segment's feed arrived once, in order, in batches of at most 3,
		// each signed; the second run had nothing to send
		assertThat(run.outcome()).as(run.message()).isEqualTo(DeliveryRun.Outcome.COMPLETED);
		assertThat(again.outcome()).isEqualTo(DeliveryRun.Outcome.COMPLETED);
		assertThat(again.delivered()).isZero();
		assertThat(receiver.accepted).allSatisfy((batch) -> {
			assertThat(batch.signature())
				.isEqualTo("sha256=" + ChangeDelivery.sign("s3cret", batch.body().getBytes(StandardCharsets.UTF_8)));
			assertThat(json(batch).get("changes").size()).isBetween(1, 3);
		});
		assertThat(received(this.uk)).isEqualTo(feed(this.uk)).hasSize(6);
		assertThat(received(this.everyone)).isEqualTo(feed(this.everyone)).hasSize(7);
		assertThat(run.delivered()).isEqualTo(13);
		assertThat(receiver.accepted.stream().map(Batch::deliveryId).distinct()).hasSize(receiver.accepted.size());
		assertThat(this.jdbc.sql("SELECT count(*) FROM change_delivery WHERE destination = ?")
			.param(receiver.url())
			.query(Long.class)
			.single()).isEqualTo(2);
	}

	@Test
	void aReceiverThatIsDownDelaysDeliveryAndLosesNothing() {
		// given a receiver that answers 500 to every attempt of the first run
		receiver.script("500", "500", "500");
		DeliveryRun down = this.delivery.deliver();
		List<Object> cursorsWhileDown = cursors();

		// when, in the next run, it answers 500, then hangs past the timeout, then
		// recovers
		receiver.script("500", "hang");
		DeliveryRun recovered = this.delivery.deliver();

		// then the first run failed having moved no cursor, and the second delivered
		// every change once
		assertThat(down.outcome()).isEqualTo(DeliveryRun.Outcome.FAILED);
		assertThat(down.message()).contains("answered 500 (3 attempts)");
		assertThat(down.delivered()).isZero();
		assertThat(cursorsWhileDown).isEmpty();
		assertThat(recovered.outcome()).as(recovered.message()).isEqualTo(DeliveryRun.Outcome.COMPLETED);
		assertThat(receiver.attempts).hasSizeGreaterThanOrEqualTo(3 + 2 + 5);
		assertThat(received(this.uk)).isEqualTo(feed(this.uk));
		assertThat(received(this.everyone)).isEqualTo(feed(this.everyone));
	}

	@Test
	void aReceiverThatHangsFailsTheRunWithinItsTimeoutsAndTheRefreshGoesOn() {
		receiver.script("hang", "hang", "hang");

		DeliveryRun run = this.delivery.deliver();
		this.data.update("c3@example.com", "country", "UK");
		RefreshRun refresh = refresh(T0.plus(Duration.ofHours(2)));

		assertThat(run.outcome()).isEqualTo(DeliveryRun.Outcome.FAILED);
		assertThat(run.message()).contains("did not answer within 400 ms");
		assertThat(refresh.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(receiver.accepted).isEmpty();
	}

	@Test
	void aCrashAfterTheReceiverAcceptedABatchRedeliversItWithTheSameId() {
		// given a run that dies after the receiver accepted its first batch and before
		// the cursor was stored (the database refuses the cursor, as a crash would lose
		// it)
		this.jdbc.sql("ALTER TABLE change_delivery ADD CONSTRAINT crash CHECK (false) NOT VALID").update();
		DeliveryRun crashed = this.delivery.deliver();
		this.jdbc.sql("ALTER TABLE change_delivery DROP CONSTRAINT crash").update();

		// when the next run delivers
		DeliveryRun next = this.delivery.deliver();

		// then the first batch arrived twice, with the same delivery id and changes, and
		// nothing else did
		assertThat(crashed.outcome()).isEqualTo(DeliveryRun.Outcome.FAILED);
		assertThat(next.outcome()).isEqualTo(DeliveryRun.Outcome.COMPLETED);
		Batch first = receiver.accepted.get(0);
		Batch redelivered = receiver.accepted.get(1);
		assertThat(redelivered.deliveryId()).isEqualTo(first.deliveryId());
		assertThat(json(redelivered).get("changes")).isEqualTo(json(first).get("changes"));
		List<String> all = new ArrayList<>(received(this.uk));
		all.addAll(received(this.everyone));
		assertThat(all).hasSize(13 + json(first).get("changes").size());
	}

	private RefreshRun refresh(Instant asOf) {
		return this.launcher.launch(asOf.toString(), asOf.toString(), 1);
	}

	private List<Object> cursors() {
		return this.jdbc.sql("SELECT seq FROM change_delivery").query(Object.class).list();
	}

	/** What the receiver accepted for the segment, in order, as "email change". */
	private List<String> received(Segment segment) {
		List<String> changes = new ArrayList<>();
		for (Batch batch : receiver.accepted) {
			JsonNode body = json(batch);
			if (body.get("segment_id").asString().equals(segment.id())) {
				body.get("changes")
					.forEach((c) -> changes.add(c.get("email").asString() + " " + c.get("change").asString()));
			}
		}
		return changes;
	}

	/** The segment's whole feed, as "email change". */
	private List<String> feed(Segment segment) {
		return this.feed.read(UUID.fromString(segment.id()), null, 1000)
			.changes()
			.stream()
			.map((c) -> c.email() + " " + c.change())
			.toList();
	}

	private static JsonNode json(Batch batch) {
		return JSON.readTree(batch.body());
	}

	/** One POST the receiver accepted. */
	record Batch(String body, String signature, String deliveryId) {
	}

	/**
	 * A webhook receiver on a free local port. Each request takes the next scripted
	 * answer ("500", or "hang": wait past the client's timeout, then answer 200 without
	 * keeping the batch); once the script is used up, it accepts with 200.
	 */
	static final class Receiver {

		final List<Batch> accepted = Collections.synchronizedList(new ArrayList<>());

		final List<String> attempts = Collections.synchronizedList(new ArrayList<>());

		private final ConcurrentLinkedQueue<String> script = new ConcurrentLinkedQueue<>();

		private HttpServer server;

		static Receiver start() {
			Receiver receiver = new Receiver();
			try {
				receiver.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			receiver.server.createContext("/hook", receiver::handle);
			receiver.server.setExecutor(Executors.newFixedThreadPool(4));
			receiver.server.start();
			return receiver;
		}

		String url() {
			return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/hook";
		}

		void reset() {
			this.accepted.clear();
			this.attempts.clear();
			this.script.clear();
		}

		void script(String... answers) {
			this.script.addAll(List.of(answers));
		}

		private void handle(HttpExchange exchange) throws IOException {
			byte[] body;
			try (InputStream in = exchange.getRequestBody()) {
				body = in.readAllBytes();
			}
			String answer = this.script.poll();
			this.attempts.add((answer != null) ? answer : "200");
			int status = 200;
			if ("500".equals(answer)) {
				status = 500;
			}
			else if ("hang".equals(answer)) {
				try {
					Thread.sleep(1200);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			else {
				this.accepted.add(new Batch(new String(body, StandardCharsets.UTF_8),
						exchange.getRequestHeaders().getFirst("X-Segmat-Signature"),
						exchange.getRequestHeaders().getFirst("X-Segmat-Delivery")));
			}
			byte[] reply = "ok".getBytes(StandardCharsets.UTF_8);
			try {
				exchange.sendResponseHeaders(status, reply.length);
				exchange.getResponseBody().write(reply);
			}
			catch (IOException ex) {
				// the client gave up waiting
			}
			finally {
				exchange.close();
			}
		}

	}

}
