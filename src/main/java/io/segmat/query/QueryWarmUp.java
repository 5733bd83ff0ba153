package io.segmat.query;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Compiles a few representative queries on a background thread while a fresh JVM starts
 * its context. The first compile in a JVM costs far more than the next ones (JSqlParser's
 * generated parser and the compiler run interpreted, their classes load and initialize):
 * measured 0.85 s against 4–10 ms, on the shared 2-core machine. A CronJob's refresh is
 * always a fresh JVM, so without this its first evaluated segment pays that in its step.
 * Spring's start keeps one core busy for a second or more; this uses the other.
 */
public final class QueryWarmUp {

	// One of each construct the compiler treats apart: an event join with a moving
	// window, a NOT IN subquery, list membership, a grouped frequency, contact columns.
	static final List<String> QUERIES = List.of("""
			SELECT c.contact_id, c.updated_at FROM contact_data AS c
			INNER JOIN event_data AS e ON c.contact_id = e.contact_id
			WHERE e.event_type = 'open' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)
			""", """
			SELECT contact_id, updated_at FROM contact_data
			WHERE contact_id NOT IN (SELECT contact_id FROM event_data WHERE event_type = 'click')
			""", """
			SELECT contact_id, updated_at FROM contact_data
			WHERE array_contains(list_ids, ['00000000-0000-0000-0000-000000000000']) AND country IN ('US', 'UK')
			""", """
			SELECT c.contact_id, c.updated_at FROM contact_data AS c
			INNER JOIN event_data AS e ON c.contact_id = e.contact_id
			WHERE e.event_type = 'open' GROUP BY c.contact_id, c.updated_at HAVING COUNT(*) >= 3
			""", """
			SELECT contact_id, updated_at FROM contact_data
			WHERE email LIKE '%@example.com' AND NOT (first_name IS NULL OR created_at < '2020-01-01')
			""");

	// Any fixed instant: only CURRENT_TIMESTAMP's bound parameter depends on it.
	static final Instant AS_OF = Instant.EPOCH;

	static final Instant LATER = AS_OF.plus(Duration.ofHours(1));

	private QueryWarmUp() {
	}

	/**
	 * Starts the warm-up on a daemon thread and returns at once; the thread never fails
	 * the command and does not keep the JVM alive.
	 */
	public static void startInBackground() {
		Thread thread = new Thread(() -> {
			try {
				run();
			}
			catch (RuntimeException ex) {
				// Only speed was at stake; the command's own compile reports any
				// problem. QueryWarmUpTests keeps these queries valid.
			}
		}, "segmat-query-warm-up");
		thread.setDaemon(true);
		thread.setPriority(Thread.MIN_PRIORITY);
		thread.start();
	}

	static void run() {
		QueryCompiler compiler = new QueryCompiler();
		FieldCatalog fields = new FieldCatalog(List.of());
		for (String query : QUERIES) {
			CompiledQuery first = compiler.compile(query, fields, null, AS_OF);
			// An evaluation of a clock segment also compiles its query again at the
			// last evaluation's instant, compares the two for the contacts a bound swept
			// past, and looks for the nearest value ahead of its bounds. Each ran cold
			// in a fresh JVM's first clock evaluation (gaps of 6-11 ms between its
			// statements); warmed here, that step took 75 ms instead of 88 (median, a
			// `segmat refresh` per run on the demo data).
			CompiledQuery later = compiler.compile(query, fields, null, LATER);
			later.crossedSince(first);
			ClockHorizon.nearestValueAhead(later);
		}
	}

}
