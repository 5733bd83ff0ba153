package io.segmat.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.segmat.query.CompiledQuery;
import io.segmat.query.ContactSelection;
import io.segmat.query.FieldCatalog;
import io.segmat.query.QueryCompiler;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The plan of the lookup a refresh makes for a clock segment: the contacts its moving
 * bound swept past in the hour after {@code at}.
 */
public final class SweptContacts {

	private SweptContacts() {
	}

	/**
	 * EXPLAIN's lines for the contacts that {@code query}'s bound swept past between
	 * {@code at} and an hour later, planned with sequential and bitmap scans off: a
	 * test's near-empty tables are cheapest to scan, and the question is which index can
	 * answer and whether it can alone.
	 */
	public static String plan(JdbcClient jdbc, TransactionTemplate transaction, String query, Instant at) {
		QueryCompiler compiler = new QueryCompiler();
		FieldCatalog fields = FieldCatalog.load(jdbc);
		CompiledQuery before = compiler.compile(query, fields, null, at);
		CompiledQuery after = compiler.compile(query, fields, null, at.plus(Duration.ofHours(1)));
		ContactSelection swept = after.crossedSince(before).orElseThrow();
		return String.join("\n", indexPlan(jdbc, transaction, "EXPLAIN", swept.sql(), swept.parameters()));
	}

	/**
	 * {@code explain} (EXPLAIN with its options) of a statement, planned with sequential
	 * and bitmap scans off, for the same reason as {@link #plan}: its lines.
	 */
	public static List<String> indexPlan(JdbcClient jdbc, TransactionTemplate transaction, String explain, String sql,
			List<Object> parameters) {
		return transaction.execute((status) -> {
			jdbc.sql("SET LOCAL enable_seqscan = off").update();
			jdbc.sql("SET LOCAL enable_bitmapscan = off").update();
			return jdbc.sql(explain + " " + sql).params(parameters).query(String.class).list();
		});
	}

}
