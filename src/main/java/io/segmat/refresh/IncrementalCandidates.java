package io.segmat.refresh;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.segmat.query.CompiledQuery;
import io.segmat.query.ContactSelection;
import io.segmat.query.FieldCatalog;
import io.segmat.query.QueryCompiler;
import io.segmat.query.QueryException;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The contacts whose membership of a segment may have changed since its last evaluation,
 * when they can be named and are few enough that looking at them only beats evaluating
 * the whole segment.
 */
@Component
class IncrementalCandidates {

	private static final String CHANGED_ROWS = "SELECT contact_key FROM contact WHERE change_seq > ?";

	private static final String DELETED = "SELECT contact_key FROM contact_deletion WHERE change_seq > ?";

	private static final String CHANGED_BY_EVENTS = "SELECT contact_key FROM email_event WHERE seq > ?";

	private final JdbcClient jdbc;

	private final QueryCompiler compiler;

	private final double maxFraction;

	private final long minimum;

	IncrementalCandidates(JdbcClient jdbc, QueryCompiler compiler, RefreshSettings settings) {
		this.jdbc = jdbc;
		this.compiler = compiler;
		this.maxFraction = settings.incrementalMaxFraction();
		this.minimum = settings.incrementalMinimum();
	}

	/**
	 * The candidates of the segment's {@code query}, as one selection of distinct
	 * contacts; empty when every contact needs a look.
	 */
	Optional<Candidates> select(LockedSegment segment, CompiledQuery query, FieldCatalog fields) {
		Optional<List<ContactSelection>> candidates = candidates(segment, query, fields);
		if (candidates.isEmpty()) {
			return Optional.empty();
		}
		Counted bounded = count(candidates.get());
		long limit = bounded.limit();
		long counted = bounded.candidates();
		if (counted > limit) {
			return Optional.empty();
		}
		return Optional.of(new Candidates(union(candidates.get(), "UNION"), counted));
	}

	/**
	 * The candidates, when the query is the one evaluated last time: contacts changed,
	 * deleted or with new events since the watermark, and, for a query that reads the
	 * clock, those whose values a moving bound swept past between the two instants.
	 */
	private Optional<List<ContactSelection>> candidates(LockedSegment segment, CompiledQuery query,
			FieldCatalog fields) {
		if (segment.evaluatedSeq() == null || segment.evaluatedRevision() == null || segment.evaluatedAt() == null
				|| segment.evaluatedRevision() != segment.queryRevision() || segment.invalid()) {
			return Optional.empty();
		}
		long since = segment.evaluatedSeq();
		List<ContactSelection> selections = new ArrayList<>();
		selections.add(new ContactSelection(CHANGED_ROWS, List.of(since)));
		selections.add(new ContactSelection(DELETED, List.of(since)));
		if (query.dependencies().events()) {
			selections.add(new ContactSelection(CHANGED_BY_EVENTS, List.of(since)));
		}
		if (query.dependencies().clock()) {
			CompiledQuery before;
			try {
				before = this.compiler.compile(segment.queryDsl(), fields, segment.parentListId(),
						segment.evaluatedAt());
			}
			catch (QueryException ex) {
				return Optional.empty();
			}
			Optional<ContactSelection> crossed = query.crossedSince(before);
			if (crossed.isEmpty()) {
				return Optional.empty();
			}
			selections.add(crossed.get());
		}
		return Optional.of(selections);
	}

	/**
	 * The candidates counted up to the threshold + 1, with the threshold: the greater of
	 * the minimum and the share of all contacts, as the planner estimates them (free to
	 * read, and precise enough to size a threshold).
	 */
	private Counted count(List<ContactSelection> candidates) {
		// UNION ALL with a LIMIT stops reading at the threshold; a contact in two
		// selections only counts twice, which errs towards the full evaluation.
		ContactSelection all = union(candidates, "UNION ALL");
		List<Object> parameters = new ArrayList<>();
		parameters.add(this.minimum);
		parameters.add(this.maxFraction);
		parameters.addAll(all.parameters());
		return this.jdbc
			.sql("""
					WITH threshold AS (
					    SELECT greatest(CAST(? AS bigint), floor(CAST(? AS double precision) * greatest(reltuples, 0)))::bigint AS n
					    FROM pg_class WHERE oid = 'contact'::regclass)
					SELECT (SELECT count(*) FROM (%s
					LIMIT (SELECT n + 1 FROM threshold)) bounded) AS candidates, (SELECT n FROM threshold) AS threshold
					"""
				.formatted(all.sql()))
			.params(parameters)
			.query((rs, n) -> new Counted(rs.getLong("candidates"), rs.getLong("threshold")))
			.single();
	}

	private record Counted(long candidates, long limit) {
	}

	private static ContactSelection union(List<ContactSelection> selections, String operator) {
		List<String> selects = new ArrayList<>();
		List<Object> parameters = new ArrayList<>();
		for (ContactSelection selection : selections) {
			selects.add(selection.sql());
			parameters.addAll(selection.parameters());
		}
		return new ContactSelection(String.join("\n" + operator + " ", selects), parameters);
	}

	/**
	 * The candidates of one evaluation.
	 *
	 * @param selection the distinct contacts
	 * @param counted how many rows the selections return together, a contact in two of
	 * them counted twice: at least the number of distinct contacts
	 */
	record Candidates(ContactSelection selection, long counted) {

		/** Whether there are none: nothing can have entered or left. */
		boolean none() {
			return this.counted == 0;
		}

	}

}
