package io.segmat.refresh;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.segmat.query.CompiledQuery;
import io.segmat.query.FieldCatalog;
import io.segmat.query.QueryCompiler;
import io.segmat.refresh.IncrementalCandidates.Candidates;
import io.segmat.refresh.MembershipRewrite.Statement;
import io.segmat.segments.Segment;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An incremental evaluation asks the membership about its candidates only: a few changed
 * contacts of a large segment are probed by key, never answered by reading the segment's
 * whole partition; many candidates of a small segment are answered in one pass, with the
 * same result.
 */
class MembershipProbeTests extends SegmentRefreshJobTestSupport {

	@Autowired
	private MembershipRewrite rewrite;

	@Autowired
	private IncrementalCandidates candidates;

	@Autowired
	private QueryCompiler compiler;

	@Autowired
	private PlatformTransactionManager transactionManager;

	@Test
	void aFewChangedContactsOfALargeSegmentAreProbedInItsPartition() {
		// given a segment of 3,000 members, evaluated, and three of them changed out of
		// it
		Segment uk = threeOfThreeThousandMembersChangedOut();

		// then the incremental statement reads the partition by key probes only
		String plan = explainIncremental(uk, T0.plus(Duration.ofHours(1)));
		String partition = MemberPartition.name(keyOf(uk));
		assertThat(plan).contains("\"Relation Name\": \"" + partition + "\"");
		assertThat(plan)
			.doesNotContainPattern("\"Node Type\": \"Seq Scan\",[^}]*\"Relation Name\": \"" + partition + "\"");
		// and the refresh takes that path, with the right result
		refresh(T0.plus(Duration.ofHours(1)));
		assertThat(evaluation(uk)).containsEntry("mode", "incremental")
			.containsEntry("exited", 3L)
			.containsEntry("contacts_count", 2999L);
		assertThat(this.data.members(id(uk))).hasSize(2999).doesNotContain("uk0@bulk.test");
	}

	@Test
	void aFewChangedContactsAreLookedUpInThePartitionOnceByTheDeleteItself() {
		// given a segment of 3,000 members, evaluated, and three of them changed out of
		// it
		Segment uk = threeOfThreeThousandMembersChangedOut();

		// then the incremental statement reads the partition's key in one place, the
		// DELETE's lookups: no probe before it asks who was a member
		String plan = explainIncremental(uk, T0.plus(Duration.ofHours(1)));
		String partition = MemberPartition.name(keyOf(uk));
		assertThat(plan).containsOnlyOnce("\"Index Name\": \"%s_pkey\"".formatted(partition));
		assertThat(plan).containsPattern(
				"\"Node Type\": \"Index Scan\",[^}]*\"Index Name\": \"%1$s_pkey\",[^}]*\"Relation Name\": \"%1$s\""
					.formatted(partition));
	}

	@Test
	void aChangedMemberWhoStillMatchesIsNeitherEnteredNorRecordedAgain() {
		// given a segment of 3,000 members, evaluated, three of them changed out of it
		Segment uk = threeOfThreeThousandMembersChangedOut();
		// and two others changed in a way that keeps them in it
		this.data.update("uk10@bulk.test", "first_name", "Changed");
		this.data.update("uk11@bulk.test", "first_name", "Changed");

		// when it is evaluated by key lookups (few candidates against its members)
		refresh(T0.plus(Duration.ofHours(1)));

		// then only the three count as moved, and the two stay members, recorded nowhere
		assertThat(evaluation(uk)).containsEntry("mode", "incremental")
			.containsEntry("entered", 0L)
			.containsEntry("exited", 3L)
			.containsEntry("contacts_count", 2999L);
		assertThat(this.data.members(id(uk))).hasSize(2999).contains("uk10@bulk.test", "uk11@bulk.test");
		assertThat(this.jdbc.sql("SELECT count(*) FROM segment_change WHERE change = 'entered'")
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void manyChangedContactsOfASmallSegmentGiveTheSameResultInOnePass() {
		// given a segment of 4 members (ada, cy and two more), evaluated, among 200
		// other contacts
		addContacts("us", 200, "US");
		this.data.contact("dee@example.com", "Dee", "UK");
		this.data.contact("eve@example.com", "Eve", "UK");
		Segment uk = inCountry("uk", "UK");
		refresh(T0);
		// when all 200 others change, one of them into the segment, and a member leaves
		for (int i = 0; i < 200; i++) {
			this.data.update("us" + i + "@bulk.test", "first_name", "Changed");
		}
		this.data.update("us7@bulk.test", "country", "UK");
		this.data.update("dee@example.com", "country", "FR");
		refresh(T0.plus(Duration.ofHours(1)));

		// then the evaluation is incremental and right
		assertThat(evaluation(uk)).containsEntry("mode", "incremental")
			.containsEntry("entered", 1L)
			.containsEntry("exited", 1L);
		assertThat(this.data.members(id(uk))).containsExactlyInAnyOrder("ada@example.com", "cy@mail.test",
				"eve@example.com", "us7@bulk.test");
	}

	@Test
	void aFullDifferenceMergesTheFreshSetWithTheMembership() {
		// given a segment of 3,000 members, evaluated, three of them changed out of it
		Segment uk = threeOfThreeThousandMembersChangedOut();

		// when its whole query is compared with its membership, as over the threshold
		String plan = new TransactionTemplate(this.transactionManager).execute((status) -> {
			LockedSegment locked = LockedSegment.lock(this.jdbc, id(uk)).orElseThrow();
			CompiledQuery query = this.compiler.compile(locked.queryDsl(), FieldCatalog.load(this.jdbc),
					locked.parentListId(), T0.plus(Duration.ofHours(1)));
			Statement statement = this.rewrite.statementFor(locked, query, Optional.empty(), 0L);
			assertThat(statement.incremental()).isFalse();
			assertThat(statement.first()).isFalse();
			return String.join("\n",
					statement.run(this.jdbc,
							() -> this.jdbc.sql("EXPLAIN " + statement.sql())
								.params(statement.parameters())
								.query(String.class)
								.list()));
		});

		// then the two sets, both in key order, are merged, not hashed
		assertThat(plan).contains("Merge Full Join").doesNotContain("Hash Full Join");
	}

	private Segment threeOfThreeThousandMembersChangedOut() {
		addContacts("uk", 3000, "UK");
		Segment uk = inCountry("uk", "UK");
		refresh(T0);
		// as autovacuum would have by then: with the partition's statistics the planner
		// judged one pass over it cheaper than a few hundred probes
		this.jdbc.sql("ANALYZE " + MemberPartition.name(keyOf(uk))).update();
		for (int i = 0; i < 3; i++) {
			this.data.update("uk" + i + "@bulk.test", "country", "FR");
		}
		return uk;
	}

	private String explainIncremental(Segment segment, Instant asOf) {
		return new TransactionTemplate(this.transactionManager).execute((status) -> {
			LockedSegment locked = LockedSegment.lock(this.jdbc, id(segment)).orElseThrow();
			FieldCatalog fields = FieldCatalog.load(this.jdbc);
			CompiledQuery query = this.compiler.compile(locked.queryDsl(), fields, locked.parentListId(), asOf);
			Optional<Candidates> changed = this.candidates.select(locked, query, fields);
			assertThat(changed).as("the candidates").hasValueSatisfying((c) -> assertThat(c.counted()).isEqualTo(3));
			Statement statement = this.rewrite.statementFor(locked, query, changed, 0L);
			assertThat(statement.incremental()).isTrue();
			List<Object> parameters = statement.parameters();
			return this.jdbc.sql("EXPLAIN (FORMAT JSON) " + statement.sql())
				.params(parameters)
				.query(String.class)
				.single();
		});
	}

	private void addContacts(String prefix, int count, String country) {
		this.jdbc
			.sql("""
					INSERT INTO contact (id, email, first_name, country, email_domains, created_at, updated_at, change_seq)
					SELECT gen_random_uuid(), ? || i || '@bulk.test', 'Bulk', ?, ARRAY['bulk.test'], ?, ?, nextval('change_seq')
					FROM generate_series(0, ? - 1) i
					""")
			.params(prefix, country, java.sql.Timestamp.from(T0.minus(Duration.ofDays(1))),
					java.sql.Timestamp.from(T0.minus(Duration.ofDays(1))), count)
			.update();
		this.jdbc.sql("ANALYZE contact").update();
	}

	private int keyOf(Segment segment) {
		return this.jdbc.sql("SELECT segment_key FROM segment WHERE id = ?")
			.param(id(segment))
			.query(Integer.class)
			.single();
	}

}
