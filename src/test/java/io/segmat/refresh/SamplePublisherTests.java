package io.segmat.refresh;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

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
		EvaluationResult result = inTransaction(() -> this.publisher.republish(id(this.uk), T0.plusSeconds(1800)));

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
				() -> this.publisher.republish(id(this.uk), T0.plus(Duration.ofHours(1))));

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
