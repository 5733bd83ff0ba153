package io.segmat.refresh;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.segmat.query.CompiledQuery;
import io.segmat.query.ContactSelection;
import io.segmat.query.FieldCatalog;
import io.segmat.query.QueryCompiler;
import io.segmat.refresh.IncrementalCandidates.Candidates;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Brings a segment's rows in segment_member up to date with its query in one statement,
 * by the cheapest of four ways: a bulk load into a new partition
 * ({@link MemberPartition}) for a segment that has none, a sorted insert into an empty
 * one, a pass over the incremental candidates only, or a difference with the whole fresh
 * set. Runs under the run's statement timeout, inside the caller's transaction.
 */
@Component
class MembershipRewrite {

	// An empty membership whose partition is there (all its members left) has nothing
	// to compare with: a sorted insert is the whole job.
	private static final String FIRST = """
			WITH added AS (
			    INSERT INTO segment_member (segment_key, contact_key)
			    SELECT ?, q.contact_key FROM (%s) q ORDER BY q.contact_key
			    RETURNING 1)
			SELECT count(*) AS entered, 0 AS exited FROM added
			""";

	// Only the candidates (changed since the watermark, or swept past by a clock
	// bound) can have entered or left. Every step is driven by them, so the cost
	// follows the change and not the segment's size. The second %s is the query over
	// the candidates (CompiledQuery.probeSqlOver).
	//
	// Few candidates against the membership: no probe asks who was a member. The
	// DELETE's own key lookups find which non-matching candidates were, and ON
	// CONFLICT's which matching ones already are. A probe per candidate beforehand
	// looked every one up once more, mostly with a heap fetch, since the deletes of
	// the hours before clear the pages' visibility: replayed at 1M, a window's hour
	// with 250 leavers took 12.6 ms with it and 9.7 ms without. The planner takes the
	// DELETE's = ANY (ARRAY(...)) for a few keys and looks them up, where a membership
	// test had let it hash the whole partition (MembershipProbeTests).
	private static final Difference INCREMENTAL_PROBE = new Difference("""
			WITH changed AS MATERIALIZED (%s),
			fresh AS MATERIALIZED (%s),
			removed AS (
			    DELETE FROM segment_member m
			    WHERE m.segment_key = ? AND m.contact_key = ANY (ARRAY(
			        SELECT ch.contact_key FROM changed ch
			        WHERE NOT EXISTS (SELECT 1 FROM fresh f WHERE f.contact_key = ch.contact_key)))
			    RETURNING m.contact_key),
			added AS (
			    INSERT INTO segment_member (segment_key, contact_key)
			    SELECT ?, contact_key FROM fresh ORDER BY contact_key
			    ON CONFLICT DO NOTHING
			    RETURNING contact_key)%s
			SELECT (SELECT count(*) FROM added) AS entered, (SELECT count(*) FROM removed) AS exited
			""", 2);

	// When the candidates come near the segment's size, one pass over its partition
	// costs less than as many lookups: the planner joins the candidates with it.
	private static final Difference INCREMENTAL_HASH = new Difference("""
			WITH changed AS MATERIALIZED (%s),
			fresh AS MATERIALIZED (%s),
			delta AS MATERIALIZED (
			    SELECT s.contact_key, s.member FROM (
			        SELECT ch.contact_key, f.contact_key IS NOT NULL AS member, w.contact_key IS NOT NULL AS was_member
			        FROM changed ch LEFT JOIN fresh f ON f.contact_key = ch.contact_key
			        LEFT JOIN (SELECT m.contact_key FROM segment_member m WHERE m.segment_key = ?) w
			            ON w.contact_key = ch.contact_key) s
			    WHERE s.member <> s.was_member),
			removed AS (
			    DELETE FROM segment_member m
			    WHERE m.segment_key = ? AND m.contact_key = ANY (ARRAY(SELECT contact_key FROM delta WHERE NOT member))
			    RETURNING m.contact_key),
			added AS (
			    INSERT INTO segment_member (segment_key, contact_key)
			    SELECT ?, contact_key FROM delta WHERE member ORDER BY contact_key
			    RETURNING contact_key)%s
			SELECT (SELECT count(*) FROM added) AS entered, (SELECT count(*) FROM removed) AS exited
			""", 3);

	// A probe costs about as much as reading 20 rows of the partition in one pass
	// (measured at 300k contacts: 3 µs against 0.11 µs a row, cache warm); below a
	// tenth of the membership, probing wins with room to spare.
	private static final long PROBES_PER_MEMBER = 10;

	// One merge of the fresh set with the stored one, both in contact_key order,
	// yields both directions of the difference; two anti-joins would each hash the
	// whole of the other side. SortedGrouping.merging makes it a merge: left to its
	// estimates, PostgreSQL hashed one side and spilled.
	private static final Difference DIFF = new Difference(
			"""
					WITH delta AS MATERIALIZED (
					    SELECT coalesce(f.contact_key, m.contact_key) AS contact_key, f.contact_key IS NULL AS gone
					    FROM (%s) f
					    FULL JOIN (SELECT contact_key FROM segment_member WHERE segment_key = ?) m ON m.contact_key = f.contact_key
					    WHERE f.contact_key IS NULL OR m.contact_key IS NULL),
					removed AS (
					    DELETE FROM segment_member m
					    WHERE m.segment_key = ? AND m.contact_key IN (SELECT contact_key FROM delta WHERE gone)
					    RETURNING m.contact_key),
					added AS (
					    INSERT INTO segment_member (segment_key, contact_key)
					    SELECT ?, contact_key FROM delta WHERE NOT gone ORDER BY contact_key
					    RETURNING contact_key)%s
					SELECT (SELECT count(*) FROM added) AS entered, (SELECT count(*) FROM removed) AS exited
					""",
			3);

	private final JdbcClient jdbc;

	private final QueryCompiler compiler;

	private final IncrementalCandidates candidates;

	private final ChangeFeedWriter feed;

	private final MemberPartition partition;

	private final NextClockCrossing crossing;

	MembershipRewrite(JdbcClient jdbc, QueryCompiler compiler, IncrementalCandidates candidates, ChangeFeedWriter feed,
			MemberPartition partition, NextClockCrossing crossing) {
		this.jdbc = jdbc;
		this.partition = partition;
		this.compiler = compiler;
		this.candidates = candidates;
		this.feed = feed;
		this.crossing = crossing;
	}

	/**
	 * Evaluates the segment's query at {@code asOf} and rewrites its membership,
	 * recording who entered and left in the change feed under the evaluation's id.
	 * @throws io.segmat.query.QueryException when the query no longer compiles
	 * @throws org.springframework.dao.DataAccessException when the statement fails or
	 * times out
	 */
	MembershipChange rewrite(LockedSegment.ForEvaluation evaluation, Instant asOf) {
		LockedSegment segment = evaluation.segment();
		long evaluationId = evaluation.evaluationId();
		FieldCatalog fields = evaluation.fields();
		CompiledQuery query = this.compiler.compile(segment.queryDsl(), fields, segment.parentListId(), asOf);
		// Without its partition the segment has no members and no place for them: only
		// a first load can follow, whatever changed.
		MemberPartition.State place = evaluation.partition();
		Optional<Candidates> changed = place.attached() ? this.candidates.select(segment, query, fields)
				: Optional.empty();
		if (changed.isPresent() && changed.get().none()) {
			// No contact changed and no value crossed a moving bound: the membership
			// stands as it is, and nothing entered or left.
			return new MembershipChange(0, 0, true, stableUntil(segment, query, fields, asOf));
		}
		if (!place.attached()) {
			long loaded = this.partition.load(segment.key(), place, query);
			this.feed.initialLoad(segment, evaluationId, loaded);
			return new MembershipChange(loaded, 0, false, stableUntil(segment, query, fields, asOf));
		}
		Statement statement = statementFor(segment, query, changed, evaluationId);
		Supplier<MembershipChange> run = () -> this.jdbc.sql(statement.sql())
			.params(statement.parameters())
			.query((rs, n) -> new MembershipChange(rs.getLong("entered"), rs.getLong("exited"), statement.incremental(),
					null))
			.single();
		MembershipChange change = statement.run(this.jdbc, run);
		if (statement.first()) {
			this.feed.initialLoad(segment, evaluationId, change.entered());
		}
		return new MembershipChange(change.entered(), change.exited(), change.incremental(),
				stableUntil(segment, query, fields, asOf));
	}

	private Instant stableUntil(LockedSegment segment, CompiledQuery query, FieldCatalog fields, Instant asOf) {
		return this.crossing.stableUntil(segment, query, fields, asOf).orElse(null);
	}

	/** The statement, with its parameters in text order. */
	Statement statementFor(LockedSegment segment, CompiledQuery query, Optional<Candidates> candidates,
			long evaluationId) {
		List<Object> parameters = new ArrayList<>();
		Optional<ContactSelection> changed = candidates.map(Candidates::selection);
		if (changed.isEmpty() && isEmpty(segment)) {
			parameters.add(segment.key());
			parameters.addAll(query.parameters());
			return new Statement(FIRST.formatted(query.sql()), parameters, false, true);
		}
		Difference difference;
		String sql;
		if (changed.isPresent()) {
			parameters.addAll(changed.get().parameters());
			difference = (candidates.get().counted() * PROBES_PER_MEMBER <= segment.contactsCount()) ? INCREMENTAL_PROBE
					: INCREMENTAL_HASH;
			sql = difference.template()
				.formatted(changed.get().sql(), query.probeSqlOver("changed"), this.feed.differenceCte());
		}
		else {
			difference = DIFF;
			sql = difference.template().formatted(query.sql(), this.feed.differenceCte());
		}
		parameters.addAll(query.parameters());
		parameters.addAll(Collections.nCopies(difference.segmentKeys(), segment.key()));
		parameters.addAll(this.feed.differenceParameters(segment, evaluationId));
		return new Statement(sql, parameters, changed.isPresent(), false);
	}

	private boolean isEmpty(LockedSegment segment) {
		return !this.jdbc.sql("SELECT EXISTS (SELECT 1 FROM segment_member WHERE segment_key = ?)")
			.param(segment.key())
			.query(Boolean.class)
			.single();
	}

	/**
	 * What a rewrite did to the membership.
	 *
	 * @param entered members added
	 * @param exited members removed
	 * @param incremental whether only the incremental candidates were looked at
	 * @param clockStableUntil for a query that reads the clock, the latest instant up to
	 * which its answer stands while nothing it reads changes, or null
	 */
	record MembershipChange(long entered, long exited, boolean incremental, Instant clockStableUntil) {

		boolean changed() {
			return this.entered + this.exited > 0;
		}

		/** As stored in segment_evaluation.mode. */
		String mode() {
			return this.incremental ? "incremental" : "full";
		}

	}

	record Statement(String sql, List<Object> parameters, boolean incremental, boolean first) {

		/**
		 * Runs {@code execution} of this statement planned as it wants: an incremental
		 * evaluation as the planner chooses; the whole fresh set, inserted or merged in
		 * contact_key order, grouped by sorting, and a full difference's join merged too.
		 */
		<T> T run(JdbcClient jdbc, Supplier<T> execution) {
			if (this.incremental) {
				return execution.get();
			}
			return this.first ? SortedGrouping.run(jdbc, execution) : SortedGrouping.merging(jdbc, execution);
		}

	}

	/**
	 * A statement that brings an attached membership up to date as a difference: its
	 * text, with %s for the candidates, the query and the change feed's CTE, and how many
	 * times it binds the segment's key, after the query's parameters.
	 */
	private record Difference(String template, int segmentKeys) {
	}

}
