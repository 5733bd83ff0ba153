package io.segmat.refresh;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import io.segmat.changes.Change;
import io.segmat.changes.ChangeFeed;
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
 * The change feed must equal the membership's history: replayed from the beginning, and
 * followed round by round from a reader's cursor, it gives every segment's membership,
 * also after a run that failed part-way and was run again, and one left STARTED by a
 * killed process.
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

	@Autowired
	private ChangeFeed feed;

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
		Map<String, Follower> followers = new HashMap<>();
		for (Segment segment : all) {
			followers.put(segment.id(), new Follower());
		}
		assertFeedsReplayToTheMemberships(all, followers, random);

		for (int round = 0; round < 8; round++) {
			// when random changes happen and an hour passes
			// every fourth round nothing changes: only time passes, which a segment that
			// reads the clock may skip
			int changes = (round % 4 == 2) ? 0 : 1 + random.nextInt(12);
			for (int c = 0; c < changes; c++) {
				applyRandomChange(data, random, emails, age, renewal, vip, news, asOf, round);
			}
			asOf = asOf.plus(Duration.ofHours(1));
			if (round == 3) {
				failPartWay(all.get(random.nextInt(all.size())), asOf);
			}
			if (round == 5) {
				leaveStartedAsAKilledProcessWould(asOf);
			}
			RefreshRun run = refresh(asOf);

			// then every segment equals its query evaluated from scratch, and its feed
			// replays to it
			assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
			assertAllEqualFromScratch(all, asOf);
			assertFeedsReplayToTheMemberships(all, followers, random);
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

	/**
	 * A run of the slot that fails part-way: the database refuses one segment's
	 * evaluation record, so that segment's transaction (membership and feed) rolls back
	 * while the others commit; the caller runs the slot again.
	 */
	private void failPartWay(Segment refused, Instant asOf) {
		this.jdbc
			.sql("ALTER TABLE segment_evaluation ADD CONSTRAINT refuse_one CHECK (segment_id <> '" + refused.id()
					+ "') NOT VALID")
			.update();
		try {
			assertThat(refresh(asOf).outcome()).isEqualTo(RefreshRun.Outcome.FAILED);
		}
		finally {
			this.jdbc.sql("ALTER TABLE segment_evaluation DROP CONSTRAINT refuse_one").update();
		}
	}

	/**
	 * A process killed after some segments committed: the slot completed its work, but
	 * its execution stays STARTED, as a killed process leaves it; the next launch
	 * recovers it and runs the slot again.
	 */
	private void leaveStartedAsAKilledProcessWould(Instant asOf) {
		RefreshRun run = refresh(asOf);
		this.jdbc.sql("""
				UPDATE batch_job_execution SET status = 'STARTED', exit_code = 'UNKNOWN', end_time = NULL
				WHERE job_execution_id = ?""").param(run.executionId()).update();
	}

	/**
	 * Each segment's feed, replayed from the beginning in pages of a random size, and
	 * followed from the cursor its follower kept since the last round, gives its
	 * membership; nobody enters twice or leaves without having entered.
	 */
	private void assertFeedsReplayToTheMemberships(List<Segment> all, Map<String, Follower> followers, Random random) {
		for (Segment segment : all) {
			UUID id = UUID.fromString(segment.id());
			Set<String> expected = new HashSet<>(this.jdbc.sql("""
					SELECT c.id::text FROM segment_member m JOIN segment s ON s.segment_key = m.segment_key
					JOIN contact c ON c.contact_key = m.contact_key WHERE s.id = ?
					""").param(id).query(String.class).list());
			Follower fromScratch = new Follower();
			fromScratch.follow(this.feed, id, random);
			assertThat(fromScratch.members).as(segment.name() + ": the feed replayed from the beginning")
				.isEqualTo(expected);
			Follower follower = followers.get(segment.id());
			follower.follow(this.feed, id, random);
			assertThat(follower.members).as(segment.name() + ": the feed followed round by round").isEqualTo(expected);
		}
	}

	/** A reader of one feed: the members it has replayed so far, and its cursor. */
	private static final class Follower {

		private final Set<String> members = new HashSet<>();

		private String cursor;

		void follow(ChangeFeed feed, UUID segmentId, Random random) {
			while (true) {
				int limit = 1 + random.nextInt(40);
				ChangeFeed.Page page = feed.read(segmentId, this.cursor, limit);
				for (Change change : page.changes()) {
					if (change.change().equals("entered")) {
						assertThat(this.members.add(change.contactId())).as("entered twice: " + change).isTrue();
					}
					else {
						assertThat(this.members.remove(change.contactId())).as("left without being in: " + change)
							.isTrue();
					}
				}
				this.cursor = page.nextCursor();
				if (page.changes().size() < limit) {
					return;
				}
			}
		}

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
