package io.segmat.changes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.segmat.InvalidInputException;
import io.segmat.refresh.RefreshLauncher;
import io.segmat.refresh.RefreshRun;
import io.segmat.segments.Segment;
import io.segmat.segments.Segments;
import io.segmat.testsupport.SpringTestSupport;
import io.segmat.testsupport.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The change feed as evaluations write it and readers page through it: differences
 * contact by contact, a first materialization as one row expanded on reading, cursors
 * that stay where they were, and retention that says when a cursor has expired.
 */
class ChangeFeedTests extends SpringTestSupport {

	private static final Instant T0 = Instant.parse("2026-07-01T00:00:00Z");

	private static final String UK = "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'";

	@Autowired
	private ChangeFeed feed;

	@Autowired
	private RefreshLauncher launcher;

	@Autowired
	private Segments segments;

	@Autowired
	private JdbcClient jdbc;

	private TestData data;

	private Instant asOf;

	@BeforeEach
	void contacts() {
		database.truncateAll();
		this.data = new TestData(this.jdbc);
		this.data.contact("ada@example.com", "Ada", "UK");
		this.data.contact("bob@example.com", "Bob", "US");
		this.data.contact("cy@mail.test", "Cy", "UK");
		this.asOf = T0;
	}

	@Test
	void aFirstMaterializationIsOneRowReadAsEveryMemberEntering() {
		// given a new segment
		Segment uk = this.segments.create("uk", UK, null);

		// when it is first materialized
		refresh();

		// then the feed holds one row, and reads as each member entering in that
		// evaluation
		assertThat(this.jdbc.sql("SELECT change FROM segment_change").query(String.class).list())
			.containsExactly("initial");
		ChangeFeed.Page page = this.feed.read(id(uk), null, 100);
		assertThat(page.changes()).extracting(Change::email, Change::change)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("ada@example.com", "entered"),
					org.assertj.core.groups.Tuple.tuple("cy@mail.test", "entered"));
		assertThat(page.changes()).extracting(Change::at).containsOnly("2026-07-01T01:00:00Z");
		assertThat(page.changes()).extracting(Change::evaluationId).containsOnly(lastEvaluation(uk));
	}

	@Test
	void aDifferenceIsRecordedContactByContactAndReadAfterTheCursor() {
		// given a materialized segment read to its end
		Segment uk = this.segments.create("uk", UK, null);
		refresh();
		String cursor = this.feed.read(id(uk), null, 100).nextCursor();

		// when bob moves to the UK and ada leaves it
		this.data.update("bob@example.com", "country", "UK");
		this.data.update("ada@example.com", "country", "FR");
		refresh();

		// then reading on from the cursor gives exactly those two changes
		ChangeFeed.Page page = this.feed.read(id(uk), cursor, 100);
		assertThat(page.changes()).extracting(Change::email, Change::change)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("bob@example.com", "entered"),
					org.assertj.core.groups.Tuple.tuple("ada@example.com", "left"));
		assertThat(page.changes()).extracting(Change::evaluationId).containsOnly(lastEvaluation(uk));
		assertThat(this.feed.read(id(uk), page.nextCursor(), 100).changes()).isEmpty();
	}

	@Test
	void aCursorInsideAFirstMaterializationStaysValidAcrossLaterChanges() {
		// given a first materialization read one member at a time
		Segment uk = this.segments.create("uk", UK, null);
		refresh();
		ChangeFeed.Page first = this.feed.read(id(uk), null, 1);

		// when the members change before the rest is read
		this.data.update("cy@mail.test", "country", "FR");
		this.data.update("bob@example.com", "country", "UK");
		refresh();
		List<Change> rest = readAll(uk, first.nextCursor());

		// then the reader sees the initial membership, then the changes, in order
		assertThat(first.changes()).extracting(Change::email).containsExactly("ada@example.com");
		assertThat(rest).extracting(Change::email, Change::change)
			.startsWith(org.assertj.core.groups.Tuple.tuple("cy@mail.test", "entered"))
			.hasSize(3)
			.contains(org.assertj.core.groups.Tuple.tuple("cy@mail.test", "left"),
					org.assertj.core.groups.Tuple.tuple("bob@example.com", "entered"));
	}

	@Test
	void aMembershipThatEmptiedAndWasLoadedAgainReplaysToTheCurrentOne() {
		// given a segment materialized, emptied by a query matching no one, then loaded
		// again into its empty membership by the first query, and changed after
		Segment uk = this.segments.create("uk", UK, null);
		refresh();
		this.segments.update(id(uk), null, UK.replace("'UK'", "'XX'"), null);
		refresh();
		this.data.update("bob@example.com", "country", "UK");
		this.segments.update(id(uk), null, UK, null);
		refresh();
		this.data.update("ada@example.com", "country", "DE");
		refresh();

		// when the whole feed is replayed
		List<Change> all = readAll(uk, null);

		// then it holds two initial loads, and replaying it gives the membership
		assertThat(this.jdbc.sql("SELECT count(*) FROM segment_change WHERE change = 'initial'")
			.query(Long.class)
			.single()).isEqualTo(2);
		assertThat(replay(all)).containsExactlyInAnyOrderElementsOf(this.data.members(id(uk)))
			.containsExactlyInAnyOrder("bob@example.com", "cy@mail.test");
		// in evaluation order; within one evaluation the order is not specified (README)
		Map<Long, Set<String>> byEvaluation = new LinkedHashMap<>();
		all.forEach((change) -> byEvaluation.computeIfAbsent(change.evaluationId(), (id) -> new HashSet<>())
			.add(change.email() + " " + change.change()));
		assertThat(byEvaluation.values()).containsExactly(Set.of("ada@example.com entered", "cy@mail.test entered"),
				Set.of("ada@example.com left", "cy@mail.test left"),
				Set.of("ada@example.com entered", "bob@example.com entered", "cy@mail.test entered"),
				Set.of("ada@example.com left"));
	}

	@Test
	void aDeletedContactLeavesWithItsIdAndNoEmail() {
		Segment uk = this.segments.create("uk", UK, null);
		refresh();
		String cursor = this.feed.read(id(uk), null, 100).nextCursor();
		String adaId = this.jdbc.sql("SELECT id::text FROM contact WHERE email = 'ada@example.com'")
			.query(String.class)
			.single();

		this.data.delete("ada@example.com");
		refresh();

		assertThat(this.feed.read(id(uk), cursor, 100).changes())
			.containsExactly(new Change(adaId, null, "left", this.asOf.toString(), lastEvaluation(uk)));
	}

	@Test
	void aCursorFromBeforeTheRetainedChangesHasExpired() {
		// given a reader that read the first materialization, and changes since
		Segment uk = this.segments.create("uk", UK, null);
		refresh();
		String old = this.feed.read(id(uk), null, 100).nextCursor();
		this.data.update("bob@example.com", "country", "UK");
		refresh();
		String recent = this.feed.read(id(uk), old, 100).nextCursor();
		this.data.update("ada@example.com", "country", "FR");
		refresh();

		// when the changes older than the retention are pruned by the next refresh
		this.jdbc.sql("UPDATE segment_change SET recorded_at = recorded_at - interval '31 days' WHERE seq <= ?")
			.param(this.jdbc.sql("SELECT max(seq) FROM segment_change WHERE change = 'entered'")
				.query(Long.class)
				.single())
			.update();
		RefreshRun run = refresh();

		// then the old cursor and the start have expired, the recent one reads on
		assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(this.jdbc.sql("SELECT change FROM segment_change").query(String.class).list())
			.containsExactly("left");
		assertThatThrownBy(() -> this.feed.read(id(uk), old, 100)).isInstanceOf(CursorExpiredException.class)
			.hasMessageContaining("older than the retained changes");
		assertThat(this.feed.read(id(uk), recent, 100).changes()).extracting(Change::email, Change::change)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("ada@example.com", "left"));
		assertThat(this.feed.read(id(uk), null, 100).changes()).hasSize(1);
	}

	@Test
	void aCursorOfAnotherSegmentOrNoneOfOursIsRefused() {
		Segment uk = this.segments.create("uk", UK, null);
		Segment us = this.segments.create("us", "SELECT contact_id, updated_at FROM contact_data WHERE country = 'US'",
				null);
		refresh();
		String ukCursor = this.feed.read(id(uk), null, 100).nextCursor();

		assertThatThrownBy(() -> this.feed.read(id(us), ukCursor, 100)).isInstanceOf(InvalidInputException.class)
			.hasMessageContaining("another segment");
		assertThatThrownBy(() -> this.feed.read(id(us), "not-a-cursor", 100)).isInstanceOf(InvalidInputException.class)
			.hasMessageContaining("is not a cursor segmat gave");
		assertThatThrownBy(() -> this.feed.read(id(us), null, 1001)).isInstanceOf(InvalidInputException.class)
			.hasMessageContaining("limit must be between 1 and 1000");
	}

	private RefreshRun refresh() {
		this.asOf = this.asOf.plus(Duration.ofHours(1));
		return this.launcher.launch(this.asOf.toString(), this.asOf.toString(), 2);
	}

	private List<Change> readAll(Segment segment, String cursor) {
		List<Change> all = new ArrayList<>();
		String next = cursor;
		while (true) {
			ChangeFeed.Page page = this.feed.read(id(segment), next, 1);
			all.addAll(page.changes());
			next = page.nextCursor();
			if (page.changes().isEmpty()) {
				return all;
			}
		}
	}

	private static List<String> replay(List<Change> changes) {
		java.util.Set<String> members = new java.util.LinkedHashSet<>();
		for (Change change : changes) {
			if (change.change().equals("entered")) {
				assertThat(members.add(change.email())).as("entered twice: " + change).isTrue();
			}
			else {
				assertThat(members.remove(change.email())).as("left without being in: " + change).isTrue();
			}
		}
		return new ArrayList<>(members);
	}

	private long lastEvaluation(Segment segment) {
		return this.jdbc.sql("SELECT max(id) FROM segment_evaluation WHERE segment_id = ?")
			.param(id(segment))
			.query(Long.class)
			.single();
	}

	private static UUID id(Segment segment) {
		return UUID.fromString(segment.id());
	}

}
