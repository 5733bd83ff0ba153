package io.segmat.refresh;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.segmat.query.FieldCatalog;
import io.segmat.query.QueryCompiler;
import io.segmat.query.QueryDependencies;
import io.segmat.query.QueryException;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Decides which segments a run must touch. A segment that is not due costs one row of the
 * segment table and a compile of its query: nothing here scans contacts, only the change
 * sequence's indexes.
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

	/** The work for a run at {@code asOf}; {@code invalid} receives segments whose query no longer compiles. */
	List<PlannedSegment> plan(Instant asOf, InvalidQueryHandler invalid) {
		ChangeMarks marks = this.jdbc.sql("""
				SELECT (SELECT coalesce(max(change_seq), 0) FROM contact) AS contacts,
				       (SELECT coalesce(max(change_seq), 0) FROM contact_deletion) AS deletions,
				       (SELECT coalesce(max(seq), 0) FROM email_event) AS events
				""").query(ChangeMarks.class).single();
		FieldCatalog fields = FieldCatalog.load(this.jdbc);
		List<PlannedSegment> plan = new ArrayList<>();
		for (SegmentRow segment : segments()) {
			boolean queryChanged = segment.evaluatedRevision() == null
					|| segment.evaluatedRevision() != segment.queryRevision();
			if (!queryChanged && "INVALID".equals(segment.queryValidation())) {
				continue; // skipped until its query is fixed
			}
			QueryDependencies dependencies;
			try {
				dependencies = this.compiler.validate(segment.queryDsl(), fields).dependencies();
			}
			catch (QueryException ex) {
				invalid.accept(segment.id(), ex.getMessage());
				continue;
			}
			if (queryChanged || (intervalPassed(segment, asOf) && mayHaveChanged(segment, dependencies, marks))) {
				plan.add(new PlannedSegment(segment.id(), segment.name(), PlannedSegment.Work.EVALUATE));
			}
			else if (segment.nextSampleUpdate() != null && !segment.nextSampleUpdate().toInstant().isAfter(asOf)) {
				plan.add(new PlannedSegment(segment.id(), segment.name(), PlannedSegment.Work.REPUBLISH));
			}
		}
		return plan;
	}

	private boolean intervalPassed(SegmentRow segment, Instant asOf) {
		return segment.evaluatedAt() == null
				|| !segment.evaluatedAt().toInstant().plus(this.evaluationInterval).isAfter(asOf);
	}

	private static boolean mayHaveChanged(SegmentRow segment, QueryDependencies dependencies, ChangeMarks marks) {
		long seen = (segment.evaluatedSeq() != null) ? segment.evaluatedSeq() : -1;
		// Every query ranges over contacts, so an added, changed or deleted contact may matter to any.
		return dependencies.clock() || marks.contacts() > seen || marks.deletions() > seen
				|| (dependencies.events() && marks.events() > seen);
	}

	private List<SegmentRow> segments() {
		return this.jdbc.sql("""
				SELECT id, name, query_dsl, query_validation, query_revision, evaluated_revision, evaluated_seq,
				       evaluated_at, next_sample_update
				FROM segment ORDER BY segment_key
				""").query(SegmentRow.class).list();
	}

	@FunctionalInterface
	interface InvalidQueryHandler {

		void accept(UUID segmentId, String message);

	}

	record ChangeMarks(long contacts, long deletions, long events) {
	}

	record SegmentRow(UUID id, String name, String queryDsl, String queryValidation, int queryRevision,
			Integer evaluatedRevision, Long evaluatedSeq, Timestamp evaluatedAt, Timestamp nextSampleUpdate) {
	}

}
