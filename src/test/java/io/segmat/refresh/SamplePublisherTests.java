package io.segmat.refresh;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import io.segmat.segments.Segment;
import io.segmat.segments.Segments;
import io.segmat.testsupport.SpringTestSupport;
import io.segmat.testsupport.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class SamplePublisherTests extends SpringTestSupport {

	private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

	@Autowired
	private SamplePublisher publisher;

	@Autowired
	private RefreshLauncher launcher;

	@Autowired
	private Segments segments;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private PlatformTransactionManager transactionManager;

	private TestData data;

	private Segment uk;

	@BeforeEach
	void oneSegmentPublishedAtT0() {
		database.truncateAll();
		this.data = new TestData(this.jdbc);
		this.data.contact("ada@example.com", "Ada", "UK");
		this.data.contact("bob@example.com", "Bob", "US");
		this.data.contact("cy@mail.test", "Cy", "UK");
		this.uk = this.segments.create("uk", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'",
				null);
	}

	@Test
	void aSampledContactShowsItsColumnsAsTheApiDoes() {
		// given a member with a list, a date and a text custom field, and one without
		// any
		String birthday = this.data.field("birthday", "Date");
		String team = this.data.field("team", "Text");
		this.data.customField("ada@example.com", birthday, 1780000000);
		this.data.customField("ada@example.com", team, "\"red\"");
		UUID list = this.data.list("newsletter");
		this.data.addToList("ada@example.com", list);

		// when the run publishes the segment's sample
		refresh(T0);

		// then unset names read as '', unset identifiers are left out, dates are ISO
		// instants
		Map<String, Object> ada = sampled("ada@example.com");
		assertThat(ada).containsEntry("first_name", "Ada")
			.containsEntry("last_name", "")
			.containsEntry("country", "UK")
			.containsEntry("has_phone_number_id", false)
			.containsEntry("has_external_id", false)
			.containsEntry("list_ids", "[\"" + list + "\"]")
			.containsEntry("custom_fields",
					"{\"team\": \"red\", \"birthday\": \"" + Instant.ofEpochSecond(1780000000) + "\"}")
			.containsEntry("created_at", "2026-01-01T00:00:00Z");
		assertThat(sampled("cy@mail.test")).containsEntry("list_ids", "[]").containsEntry("custom_fields", "{}");
	}

	@Test
	void republishingASampleThatIsNoLongerDueLeavesItAsItWas() {
		// given a segment published at T0, next due an hour later
		refresh(T0);

		// when its sample is republished half an hour later
		EvaluationResult result = inTransaction(
				() -> this.publisher.republish(List.of(id(this.uk)), T0.plusSeconds(1800)).get(0));

		// then nothing was published, and the stored count is reported
		assertThat(result.outcome()).isEqualTo(EvaluationResult.Outcome.SAMPLED);
		assertThat(result.contactsCount()).isEqualTo(2);
		Segment after = this.segments.get(id(this.uk));
		assertThat(after.sampleUpdatedAt()).isEqualTo("2026-06-01T00:00:00Z");
		assertThat(after.nextSampleUpdate()).isEqualTo("2026-06-01T01:00:00Z");
	}

	@Test
	void republishingTheSampleOfADeletedSegmentFindsItGone() {
		// given a segment deleted after the plan named it
		refresh(T0);
		this.segments.delete(id(this.uk));

		// when its sample is republished
		EvaluationResult result = inTransaction(
				() -> this.publisher.republish(List.of(id(this.uk)), T0.plus(Duration.ofHours(1))).get(0));

		// then there is nothing to publish
		assertThat(result.outcome()).isEqualTo(EvaluationResult.Outcome.GONE);
	}

	@Test
	void aManualPublicationLeavesTheScheduledCadenceWhereItWas() {
		// given a segment published at T0, next due an hour later
		refresh(T0);
		Instant manual = T0.plusSeconds(1200);

		// when a manual refresh publishes it twenty minutes later, after a change
		inTransaction(() -> {
			LockedSegment segment = LockedSegment.lock(this.jdbc, id(this.uk)).orElseThrow();
			this.publisher.publish(segment, manual, segment.contactsCount(), true, EvaluationTrigger.MANUAL);
			return null;
		});

		// then count and sample are new, and the next scheduled one is still due at T0+1h
		Map<String, Object> row = this.jdbc.sql("""
				SELECT sample_updated_at, last_refreshed_at, next_sample_update, sample_interval_hours
				FROM segment WHERE id = ?""").param(id(this.uk)).query().singleRow();
		assertThat(row).containsEntry("sample_updated_at", Timestamp.from(manual))
			.containsEntry("last_refreshed_at", Timestamp.from(manual))
			.containsEntry("next_sample_update", Timestamp.from(T0.plus(Duration.ofHours(1))))
			.containsEntry("sample_interval_hours", 1);
	}

	@Test
	void aManualPublicationOfASegmentNoRunHasPublishedStartsItsCadence() {
		// given uk, created but never refreshed
		Instant manual = T0.plusSeconds(1200);

		// when a manual refresh publishes it
		inTransaction(() -> {
			LockedSegment segment = LockedSegment.lock(this.jdbc, id(this.uk)).orElseThrow();
			this.publisher.publish(segment, manual, 2, true, EvaluationTrigger.MANUAL);
			return null;
		});

		// then it has a sample, and a next one an hour later
		Map<String, Object> row = this.jdbc.sql("""
				SELECT sample_updated_at, next_sample_update, sample_interval_hours
				FROM segment WHERE id = ?""").param(id(this.uk)).query().singleRow();
		assertThat(row).containsEntry("sample_updated_at", Timestamp.from(manual))
			.containsEntry("next_sample_update", Timestamp.from(manual.plus(Duration.ofHours(1))))
			.containsEntry("sample_interval_hours", 1);
	}

	@Test
	void aSampleIsARunOfMembersFromASeededStartWhichTheSameInstantPicksAgain() {
		// given a segment of 120 members, more than a sample holds
		for (int i = 0; i < 120; i++) {
			this.data.contact("m" + i + "@example.com", "M" + i, "FR");
		}
		Segment fr = this.segments.create("fr", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'FR'",
				null);
		refresh(T0);
		List<Long> members = this.jdbc.sql("""
				SELECT m.contact_key FROM segment_member m JOIN segment s ON s.segment_key = m.segment_key
				WHERE s.id = ? ORDER BY m.contact_key""").param(id(fr)).query(Long.class).list();

		// when its sample is published twice at one instant, and at five later ones
		Instant later = T0.plus(Duration.ofHours(3));
		List<Long> first = publishedSample(fr, later);
		List<Long> again = publishedSample(fr, later);
		List<List<Long>> others = IntStream.rangeClosed(1, 5)
			.mapToObj((hour) -> publishedSample(fr, later.plus(Duration.ofHours(hour))))
			.toList();

		// then each sample is 50 members in a row of the membership, wrapping round its
		// end; the same instant picked the same, the later ones not all that one
		assertThat(members).hasSize(120);
		for (List<Long> sample : List.of(first, again, others.get(0), others.get(4))) {
			Set<Long> sampled = Set.copyOf(sample);
			assertThat(sampled).hasSize(SamplePublisher.SAMPLE_SIZE);
			assertThat(IntStream.range(0, members.size())
				.filter((i) -> sampled.contains(members.get(i))
						&& !sampled.contains(members.get((i + members.size() - 1) % members.size())))
				.count()).as("runs of consecutive members").isOne();
		}
		assertThat(again).isEqualTo(first);
		assertThat(others).anyMatch((sample) -> !sample.equals(first));
	}

	@Test
	void republishingSeveralSegmentsPublishesThoseDueAndFindsTheDeletedGone() {
		// given uk published at T0, due an hour later; us published at T0 and published
		// again at T0+1h, so due at T0+3h; and gone, deleted after the plan named it
		Segment us = this.segments.create("us", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'US'",
				null);
		Segment gone = this.segments.create("gone", "SELECT contact_id, updated_at FROM contact_data", null);
		refresh(T0);
		Instant hourLater = T0.plus(Duration.ofHours(1));
		inTransaction(() -> this.publisher.republish(List.of(id(us)), hourLater));
		this.segments.delete(id(gone));

		// when the three are republished together at T0+1h
		List<EvaluationResult> results = inTransaction(
				() -> this.publisher.republish(List.of(id(this.uk), id(gone), id(us)), hourLater.plusSeconds(60)));

		// then each has its outcome in the order given, and only uk was published again
		assertThat(results).extracting(EvaluationResult::outcome)
			.containsExactly(EvaluationResult.Outcome.SAMPLED, EvaluationResult.Outcome.GONE,
					EvaluationResult.Outcome.SAMPLED);
		assertThat(results).extracting(EvaluationResult::contactsCount).containsExactly(2L, 0L, 1L);
		Segment uk = this.segments.get(id(this.uk));
		assertThat(uk.sampleUpdatedAt()).isEqualTo("2026-06-01T01:01:00Z");
		assertThat(uk.nextSampleUpdate()).isEqualTo("2026-06-01T03:01:00Z");
		assertThat(this.segments.get(id(us)).sampleUpdatedAt()).isEqualTo("2026-06-01T01:00:00Z");
	}

	@Test
	void segmentsRepublishedTogetherEachGetTheirOwnCountAndSample() {
		// given uk (two members) and us (one), both published at T0 and due an hour later
		Segment us = this.segments.create("us", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'US'",
				null);
		refresh(T0);
		Instant hourLater = T0.plus(Duration.ofHours(1));

		// when both are republished in one call
		inTransaction(() -> this.publisher.republish(List.of(id(us), id(this.uk)), hourLater));

		// then each row holds its own count, sample and next publication
		assertThat(publishedEmails(this.uk)).containsExactly("ada@example.com", "cy@mail.test");
		assertThat(publishedEmails(us)).containsExactly("bob@example.com");
		for (Segment segment : List.of(this.uk, us)) {
			Segment published = this.segments.get(id(segment));
			assertThat(published.sampleUpdatedAt()).isEqualTo("2026-06-01T01:00:00Z");
			assertThat(published.nextSampleUpdate()).isEqualTo("2026-06-01T03:00:00Z");
		}
		assertThat(this.segments.get(id(this.uk)).contactsCount()).isEqualTo(2);
		assertThat(this.segments.get(id(us)).contactsCount()).isEqualTo(1);
	}

	/** The emails of the segment's published sample, in the sample's order. */
	private List<String> publishedEmails(Segment segment) {
		return this.jdbc.sql("""
				SELECT e ->> 'email' FROM segment s, jsonb_array_elements(s.contacts_sample) WITH ORDINALITY AS x(e, n)
				WHERE s.id = ? ORDER BY x.n""").param(id(segment)).query(String.class).list();
	}

	/** Publishes the segment's sample at {@code asOf}, and reads its contact keys. */
	private List<Long> publishedSample(Segment segment, Instant asOf) {
		inTransaction(() -> {
			LockedSegment locked = LockedSegment.lock(this.jdbc, id(segment)).orElseThrow();
			this.publisher.publish(locked, asOf, locked.contactsCount(), false, EvaluationTrigger.SCHEDULED);
			return null;
		});
		return this.jdbc.sql("""
				SELECT c.contact_key FROM segment s, jsonb_array_elements(s.contacts_sample) e
				JOIN contact c ON c.email = e ->> 'email'
				WHERE s.id = ? ORDER BY c.contact_key""").param(id(segment)).query(Long.class).list();
	}

	/** The sampled contact's values as the API would serialize them, as text. */
	private Map<String, Object> sampled(String email) {
		return this.jdbc.sql("""
				SELECT e ->> 'first_name' AS first_name, e ->> 'last_name' AS last_name, e ->> 'country' AS country,
				       jsonb_exists(e, 'phone_number_id') AS has_phone_number_id,
				       jsonb_exists(e, 'external_id') AS has_external_id,
				       (e -> 'list_ids')::text AS list_ids, (e -> 'custom_fields')::text AS custom_fields,
				       e ->> 'created_at' AS created_at
				FROM segment s, jsonb_array_elements(s.contacts_sample) e
				WHERE s.id = ? AND e ->> 'email' = ?
				""").params(id(this.uk), email).query().singleRow();
	}

	private <T> T inTransaction(java.util.function.Supplier<T> work) {
		return new TransactionTemplate(this.transactionManager).execute((status) -> work.get());
	}

	private void refresh(Instant asOf) {
		RefreshRun run = this.launcher.launch(asOf.toString(), asOf.toString(), 1);
		assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
	}

	private static UUID id(Segment segment) {
		return UUID.fromString(segment.id());
	}

}
