package io.segmat.refresh;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import io.segmat.query.CompiledQuery;
import io.segmat.query.FieldCatalog;
import io.segmat.query.QueryCompiler;
import io.segmat.segments.Segment;
import io.segmat.segments.Segments;
import io.segmat.testsupport.SpringTestSupport;
import io.segmat.testsupport.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every shortcut of the refresh must equal a full evaluation: random changes (inserts,
 * updates, deletes, list moves, events, time passing), an hourly refresh after each
 * round, and every segment's membership compared with its query evaluated from scratch.
 */
// Slow: rounds of random changes and refreshes, a property test by seed; `make test-fast`
// leaves it out.
@Tag("slow")
class IncrementalRefreshTests extends SpringTestSupport {

	private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

	private static final List<String> COUNTRIES = List.of("UK", "US", "FR", "DE");

	@Autowired
	private RefreshLauncher launcher;

	@Autowired
	private Segments segments;

	@Autowired
	private QueryCompiler compiler;

	@Autowired
	private JdbcClient jdbc;

	@ParameterizedTest
	@ValueSource(longs = { 1L, 2L, 3L })
	void incrementalRefreshEqualsAFullEvaluationAfterRandomChanges(long seed) {
		// given a database with contacts, lists, events and segments of every kind
		database.truncateAll();
		Random random = new Random(seed);
		TestData data = new TestData(this.jdbc);
		String age = data.field("age", "Number");
		String renewal = data.field("renewal", "Date");
		UUID vip = data.list("vip");
		UUID news = data.list("news");
		List<String> emails = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			emails.add(addContact(data, random, "seed" + i + "@example.com", age));
		}
		List<Segment> all = createSegments(vip, news);
		// each seed its own days, so no run finds its slot already completed by another
		// seed's
		Instant asOf = T0.plus(Duration.ofDays(seed * 10));
		for (String email : emails) {
			if (random.nextInt(3) > 0) {
				data.customField(email, renewal, around(random, asOf));
			}
		}
		refresh(asOf);
		assertAllEqualFromScratch(all, asOf);

		for (int round = 0; round < 8; round++) {
			// when random changes happen and an hour passes
			int changes = 1 + random.nextInt(12);
			for (int c = 0; c < changes; c++) {
				applyRandomChange(data, random, emails, age, renewal, vip, news, asOf, round);
			}
			asOf = asOf.plus(Duration.ofHours(1));
			RefreshRun run = refresh(asOf);

			// then every segment equals its query evaluated from scratch
			assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
			assertAllEqualFromScratch(all, asOf);
		}
		assertThat(this.jdbc.sql("SELECT count(*) FROM segment_evaluation WHERE mode = 'incremental'")
			.query(Long.class)
			.single()).as("the incremental path was taken").isPositive();
		assertThat(this.jdbc.sql("""
				SELECT DISTINCT s.name FROM segment_evaluation e JOIN segment s ON s.id = e.segment_id
				WHERE e.mode = 'incremental' AND s.name IN ('renewal-due', 'renewal-window', 'recent-openers',
				    'not-opened-lately', 'last-open-recent', 'created-lately')
				""").query(String.class).list()).as("clock-dependent segments took the incremental path").hasSize(6);
		assertThat(this.jdbc.sql("""
				SELECT DISTINCT e.mode FROM segment_evaluation e JOIN segment s ON s.id = e.segment_id
				WHERE s.name = 'renewal-or-now'
				""").query(String.class).list()).as("a clock read without a bound is evaluated in full")
			.containsExactly("full");
	}

	/** An epoch-seconds Date value within six hours either side of {@code at}. */
	private static long around(Random random, Instant at) {
		return at.getEpochSecond() - 6 * 3600 + random.nextInt(12 * 3600);
	}

	private List<Segment> createSegments(UUID vip, UUID news) {
		String select = "SELECT contact_id, updated_at FROM contact_data WHERE ";
		String join = "SELECT c.contact_id, c.updated_at FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id WHERE ";
		List<Segment> created = new ArrayList<>();
		created.add(this.segments.create("uk", select + "country = 'UK'", null));
		created.add(this.segments.create("older", select + "age >= 40 AND country != 'US'", null));
		created.add(this.segments.create("vip", select + "array_contains(list_ids, '" + vip + "')", null));
		created.add(this.segments.create("not-news", select + "NOT array_contains(list_ids, ['" + news + "'])", null));
		created.add(this.segments.create("news-young", select + "age < 30", List.of(news.toString())));
		created.add(this.segments.create("clicked", join + "e.event_type = 'click'", null));
		created.add(this.segments.create("never-opened",
				select + "contact_id NOT IN (SELECT contact_id FROM event_data WHERE event_type = 'open')", null));
		created.add(this.segments.create("frequent",
				join + "e.event_type = 'open' GROUP BY c.contact_id, c.updated_at " + "HAVING COUNT(*) >= 2", null));
		created.add(this.segments.create("recent-openers",
				join + "e.event_type = 'open' AND e.timestamp > timestampadd(hour, -3, CURRENT_TIMESTAMP)", null));
		created.add(this.segments.create("renewal-due",
				select + "renewal < timestampadd(hour, 2, CURRENT_TIMESTAMP) AND country != 'DE'", null));
		created.add(this.segments.create("renewal-window",
				select + "renewal BETWEEN NOW() - INTERVAL 2 HOUR AND NOW() + INTERVAL 3 HOUR OR age > 60", null));
		created.add(
				this.segments.create("not-opened-lately",
						select + "contact_id NOT IN (SELECT contact_id FROM "
								+ "event_data WHERE event_type = 'open' AND timestamp > NOW() - INTERVAL 4 HOUR)",
						null));
		created.add(this.segments.create("last-open-recent",
				join + "e.event_type = 'open' GROUP BY c.contact_id, "
						+ "c.updated_at HAVING MAX(e.timestamp) > timestampadd(minute, -150, CURRENT_TIMESTAMP)",
				null));
		created.add(this.segments.create("created-lately",
				select + "created_at >= timestampadd(hour, -3, date_trunc('hour', CURRENT_TIMESTAMP))", null));
		created.add(this.segments.create("renewal-or-now",
				select + "coalesce(renewal, CURRENT_TIMESTAMP) < timestampadd(hour, 1, NOW())", null));
		return created;
	}

	private String addContact(TestData data, Random random, String email, String ageField) {
		data.contact(email, "N", COUNTRIES.get(random.nextInt(COUNTRIES.size())));
		if (random.nextInt(5) > 0) {
			data.customField(email, ageField, 18 + random.nextInt(50));
		}
		return email;
	}

	private void applyRandomChange(TestData data, Random random, List<String> emails, String age, String renewal,
			UUID vip, UUID news, Instant asOf, int round) {
		String email = emails.get(random.nextInt(emails.size()));
		switch (random.nextInt(10)) {
			case 0 ->
				emails.add(addContact(data, random, "new" + round + "-" + random.nextInt(1_000_000) + "@x.test", age));
			case 1 -> data.update(email, "country", COUNTRIES.get(random.nextInt(COUNTRIES.size())));
			case 2 -> data.customField(email, age, 18 + random.nextInt(50));
			case 3 -> {
				data.delete(email);
				emails.remove(email);
			}
			case 4 -> data.addToList(email, random.nextBoolean() ? vip : news);
			case 5 -> data.removeFromList(email, random.nextBoolean() ? vip : news);
			case 6 -> data.customField(email, renewal, around(random, asOf));
			case 7 -> data.update(email, "created_at",
					java.sql.Timestamp.from(asOf.minus(Duration.ofMinutes(random.nextInt(600)))));
			default -> data.event(email, random.nextBoolean() ? "open" : "click",
					asOf.minus(Duration.ofMinutes(random.nextInt(240))));
		}
	}

	private RefreshRun refresh(Instant asOf) {
		return this.launcher.launch(asOf.toString(), asOf.toString(), 2);
	}

	private void assertAllEqualFromScratch(List<Segment> all, Instant asOf) {
		FieldCatalog fields = FieldCatalog.load(this.jdbc);
		for (Segment segment : all) {
			Segment current = this.segments.get(UUID.fromString(segment.id()));
			UUID parent = (current.parentListIds() != null) ? UUID.fromString(current.parentListIds().get(0)) : null;
			CompiledQuery query = this.compiler.compile(current.queryDsl(), fields, parent, asOf);
			Set<Long> expected = new HashSet<>(
					this.jdbc.sql(query.sql()).params(query.parameters()).query(Long.class).list());
			Set<Long> actual = new HashSet<>(this.jdbc
				.sql("""
						SELECT m.contact_key FROM segment_member m JOIN segment s ON s.segment_key = m.segment_key WHERE s.id = ?
						""")
				.param(UUID.fromString(segment.id()))
				.query(Long.class)
				.list());
			assertThat(actual).as(current.name() + " at " + asOf).isEqualTo(expected);
			assertThat(current.contactsCount()).as(current.name() + " count").isEqualTo(expected.size());
		}
	}

}
