package io.segmat.refresh;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.segmat.query.FieldCatalog;
import io.segmat.query.FieldId;
import io.segmat.query.QueryCompiler;
import io.segmat.query.QueryDependencies;
import io.segmat.query.QueryException;
import io.segmat.query.StoredDependencies;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Decides which segments a run must touch. A segment that is not due costs one row of the
 * segment table: its dependencies were stored with its query, so nothing here parses a
 * query or scans contacts, only the change sequence's indexes. A query is compiled only
 * when its stored dependencies are missing (a row from before they were stored), or name
 * a custom field that is gone: compiling then either stores them afresh or finds the
 * query broken. The queries of the segments due are handed to the compiler to compile
 * ahead, on another thread, while the first evaluations run.
 */
@Component
class RefreshPlanner {

	private final JdbcClient jdbc;

	private final QueryCompiler compiler;

	private final Duration evaluationInterval;

	RefreshPlanner(JdbcClient jdbc, QueryCompiler compiler, RefreshSettings settings) {
		this.jdbc = jdbc;
		this.compiler = compiler;
		this.evaluationInterval = settings.evaluationInterval();
	}

	/**
	 * The work for a run at {@code asOf}; {@code invalid} receives segments whose query
	 * no longer compiles.
	 */
	List<PlannedSegment> plan(Instant asOf, InvalidQueryHandler invalid) {
		ChangeMarks marks = changeMarks();
		FieldCatalog fields = FieldCatalog.load(this.jdbc);
		List<PlannedSegment> plan = new ArrayList<>();
		List<QueryCompiler.Ahead> ahead = new ArrayList<>();
		for (SegmentRow row : segments()) {
			boolean queryChanged = row.queryChanged();
			if (!queryChanged && "INVALID".equals(row.queryValidation())) {
				continue; // skipped until its query is fixed
			}
			Optional<QueryDependencies> stored = stored(row, fields);
			// Without its stored dependencies the query may read other fields than at its
			// evaluation: what that evaluation proved about its clock no longer holds.
			SegmentRow segment = stored.isPresent() ? row : row.withoutClockStableUntil();
			QueryDependencies dependencies;
			if (stored.isPresent()) {
				dependencies = stored.get();
			}
			else {
				try {
					dependencies = this.compiler.validate(segment.queryDsl(), fields, segment.parentListId())
						.dependencies();
				}
				catch (QueryException ex) {
					invalid.accept(segment.id(), ex.getMessage());
					continue;
				}
				store(segment, dependencies);
			}
			if (queryChanged || (intervalPassed(segment, asOf) && mayHaveChanged(segment, dependencies, marks, asOf))) {
				plan.add(new PlannedSegment(segment.id(), segment.name(), PlannedSegment.Work.EVALUATE));
				ahead.addAll(compilesAhead(segment, dependencies, fields, asOf));
			}
			else if (segment.nextSampleUpdate() != null && !segment.nextSampleUpdate().toInstant().isAfter(asOf)) {
				plan.add(new PlannedSegment(segment.id(), segment.name(), PlannedSegment.Work.REPUBLISH));
			}
		}
		this.compiler.compileAhead(ahead);
		return plan;
	}

	/**
	 * The compiles an evaluation of the segment at {@code asOf} asks for before its first
	 * statement: its query at the instant and, for one that reads the clock and was
	 * evaluated last time with the same query, at that evaluation's instant, from which
	 * the incremental candidates are the contacts its bounds swept past.
	 */
	static List<QueryCompiler.Ahead> compilesAhead(SegmentRow segment, QueryDependencies dependencies,
			FieldCatalog fields, Instant asOf) {
		QueryCompiler.Ahead now = new QueryCompiler.Ahead(segment.queryDsl(), fields, segment.parentListId(), asOf);
		if (!dependencies.clock() || segment.queryChanged() || segment.evaluatedAt() == null) {
			return List.of(now);
		}
		return List.of(now, new QueryCompiler.Ahead(segment.queryDsl(), fields, segment.parentListId(),
				segment.evaluatedAt().toInstant()));
	}

	/** The latest change of each kind, to compare with a segment's evaluated_seq. */
	ChangeMarks changeMarks() {
		return this.jdbc.sql("""
				SELECT (SELECT coalesce(max(change_seq), 0) FROM contact) AS contacts,
				       (SELECT coalesce(max(change_seq), 0) FROM contact_deletion) AS deletions,
				       (SELECT coalesce(max(seq), 0) FROM email_event) AS events
				""").query(ChangeMarks.class).single();
	}

	/**
	 * Whether something the segment's query reads may have changed since it was last
	 * evaluated, read without compiling: a segment whose stored dependencies are missing
	 * or outdated may have changed.
	 */
	static boolean mayHaveChanged(SegmentRow segment, FieldCatalog fields, ChangeMarks marks, Instant asOf) {
		return stored(segment, fields).map((dependencies) -> mayHaveChanged(segment, dependencies, marks, asOf))
			.orElse(true);
	}

	/**
	 * The dependencies stored for the segment's current query, unless one of the custom
	 * fields they name has been deleted since: the query would no longer compile (or,
	 * with a field of the same name created again, would read another field), so only
	 * compiling it can tell.
	 */
	private static Optional<QueryDependencies> stored(SegmentRow segment, FieldCatalog fields) {
		if (segment.dependenciesRevision() == null || segment.dependenciesRevision() != segment.queryRevision()) {
			return Optional.empty();
		}
		return StoredDependencies.fromJson(segment.dependencies())
			.filter((dependencies) -> dependencies.contactColumns()
				.stream()
				// the compiler reports custom fields by id, reserved columns by name
				.filter(FieldId::isFieldId)
				.allMatch(fields::containsId));
	}

	/**
	 * Stores what compiling found, unless the query changed meanwhile and its saver
	 * stored its own.
	 */
	private void store(SegmentRow segment, QueryDependencies dependencies) {
		this.jdbc.sql("""
				UPDATE segment SET dependencies = ?::jsonb, dependencies_revision = query_revision
				WHERE id = ? AND query_revision = ?
				""").params(StoredDependencies.toJson(dependencies), segment.id(), segment.queryRevision()).update();
	}

	private boolean intervalPassed(SegmentRow segment, Instant asOf) {
		return segment.evaluatedAt() == null
				|| !segment.evaluatedAt().toInstant().plus(this.evaluationInterval).isAfter(asOf);
	}

	private static boolean mayHaveChanged(SegmentRow segment, QueryDependencies dependencies, ChangeMarks marks,
			Instant asOf) {
		return (dependencies.clock() && !clockStable(segment, asOf)) || dataChanged(segment, dependencies, marks);
	}

	/**
	 * Whether a row the segment's query reads may have changed since it was last
	 * evaluated, time passing left aside; like {@link #mayHaveChanged}, true when the
	 * stored dependencies cannot tell.
	 */
	static boolean dataMayHaveChanged(SegmentRow segment, FieldCatalog fields, ChangeMarks marks) {
		return stored(segment, fields).map((dependencies) -> dataChanged(segment, dependencies, marks)).orElse(true);
	}

	private static boolean dataChanged(SegmentRow segment, QueryDependencies dependencies, ChangeMarks marks) {
		long seen = (segment.evaluatedSeq() != null) ? segment.evaluatedSeq() : -1;
		// Every query ranges over contacts, so an added, changed or deleted contact may
		// matter to any.
		return marks.contacts() > seen || marks.deletions() > seen || (dependencies.events() && marks.events() > seen);
	}

	/**
	 * Whether time alone cannot have changed the answer since the last evaluation: its
	 * moving bounds have not yet reached any value (see {@link NextClockCrossing}). A run
	 * at an instant before that evaluation proves nothing.
	 */
	private static boolean clockStable(SegmentRow segment, Instant asOf) {
		return segment.clockStableUntil() != null && segment.evaluatedAt() != null
				&& !asOf.isBefore(segment.evaluatedAt().toInstant())
				&& !asOf.isAfter(segment.clockStableUntil().toInstant());
	}

	private List<SegmentRow> segments() {
		return this.jdbc.sql("""
				SELECT id, name, query_dsl, parent_list_id, query_validation, query_revision, evaluated_revision,
				       evaluated_seq, evaluated_at, next_sample_update, dependencies::text AS dependencies,
				       dependencies_revision, clock_stable_until
				FROM segment ORDER BY segment_key
				""").query(SegmentRow.class).list();
	}

	@FunctionalInterface
	interface InvalidQueryHandler {

		void accept(UUID segmentId, String message);

	}

	record ChangeMarks(long contacts, long deletions, long events) {
	}

	record SegmentRow(UUID id, String name, String queryDsl, UUID parentListId, String queryValidation,
			int queryRevision, Integer evaluatedRevision, Long evaluatedSeq, Timestamp evaluatedAt,
			Timestamp nextSampleUpdate, String dependencies, Integer dependenciesRevision, Timestamp clockStableUntil) {

		/** Whether its query is not the one evaluated last, or it was never evaluated. */
		boolean queryChanged() {
			return this.evaluatedRevision == null || this.evaluatedRevision != this.queryRevision;
		}

		SegmentRow withoutClockStableUntil() {
			return new SegmentRow(this.id, this.name, this.queryDsl, this.parentListId, this.queryValidation,
					this.queryRevision, this.evaluatedRevision, this.evaluatedSeq, this.evaluatedAt,
					this.nextSampleUpdate, this.dependencies, this.dependenciesRevision, null);
		}

	}

}
