package io.segmat.query;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.PlainSelect;

/**
 * Compiles a segment's {@code query_dsl} into PostgreSQL over segmat's schema.
 * Thread-safe and free of side effects: nothing is executed here. It remembers the
 * queries it compiled lately ({@link RecentQueries}): compiling one again, at the same or
 * another instant, skips the scan, the parse and the hand-off to its workers.
 */
public final class QueryCompiler {

	/**
	 * Checking and compiling recurse over the parse tree; a large stack keeps long AND
	 * chains safe.
	 */
	private static final ExecutorService WORKERS = BigStackThreads.pool("segmat-query-compiler");

	private static final long TIME_LIMIT_SECONDS = 20;

	/**
	 * How many requests {@link #compileAhead} takes: half of what the compiler keeps, so
	 * that the callers' own compiles in between do not push them out.
	 */
	public static final int AHEAD_QUERIES = RecentQueries.QUERIES / 2;

	private final RecentQueries recent = new RecentQueries();

	private final QueryLimits limits;

	public QueryCompiler() {
		this(QueryLimits.defaults());
	}

	public QueryCompiler(QueryLimits limits) {
		this.limits = Objects.requireNonNull(limits, "limits");
	}

	/**
	 * Checks a query when a segment is created or updated: the whole compilation runs, so
	 * a query that validates also compiles. Throws QueryException.
	 */
	public ValidatedQuery validate(String queryDsl, FieldCatalog fields) {
		return validate(queryDsl, fields, null);
	}

	/**
	 * Checks a query by compiling it, and returns the dependencies a segment under
	 * {@code parentListId} (may be null) has. The instant is arbitrary: it changes what
	 * CURRENT_TIMESTAMP is bound to, not what the query depends on.
	 */
	public ValidatedQuery validate(String queryDsl, FieldCatalog fields, UUID parentListId) {
		CompiledQuery compiled = compile(queryDsl, fields, parentListId, Instant.EPOCH);
		return new ValidatedQuery(compiled.normalizedQuery(), compiled.dependencies());
	}

	/**
	 * Parse, check, compile. asOf is what CURRENT_TIMESTAMP/NOW() mean. parentListId may
	 * be null.
	 */
	public CompiledQuery compile(String queryDsl, FieldCatalog fields, UUID parentListId, Instant asOf) {
		Objects.requireNonNull(fields, "fields");
		Objects.requireNonNull(asOf, "asOf");
		RecentQueries.Compiled known = this.recent.compiled(queryDsl, fields, parentListId);
		if (known != null) {
			CompiledQuery result = known.at(asOf);
			if (result != null) {
				return result;
			}
			if (known.inline()) {
				// Scanned, parsed and checked before: only the translation at this
				// instant is left, small and bounded, so no time limit or large stack.
				return this.recent.compiled(known.parse(), fields, parentListId, asOf,
						inline(() -> compile(known.parse(), known.normalizedQuery(), fields, parentListId, asOf)));
			}
		}
		RecentQueries.Parsed kept = this.recent.parsed(queryDsl);
		RawText raw = (kept != null) ? kept.raw() : RawText.scan(queryDsl, this.limits);
		return withinTimeLimit(() -> {
			RecentQueries.Parsed parse = (kept != null) ? kept : parse(raw);
			return this.recent.compiled(parse, fields, parentListId, asOf,
					compile(parse, null, fields, parentListId, asOf));
		});
	}

	/**
	 * Starts compiling, on a background thread, what a caller is about to ask for, so
	 * that {@link #compile} then finds the results kept. A refresh in a fresh JVM (a
	 * CronJob's) parses every query it evaluates for the first time, 1.5-5 ms each inside
	 * its step; its planner knows them all before the first step starts, and this parses
	 * them on the core that waits while PostgreSQL evaluates. A query that fails here
	 * fails again in the caller's own compile, which reports it; the thread never fails a
	 * command and does not keep the JVM alive. Only the first {@link #AHEAD_QUERIES}
	 * requests are compiled: more would push each other out of what is kept before their
	 * callers come.
	 */
	public void compileAhead(List<Ahead> requests) {
		startCompilingAhead(requests, (result) -> {
		});
	}

	/**
	 * {@link #compileAhead}, for a caller that waits for it: joining the thread makes
	 * every result handed to {@code each} visible.
	 * @param each receives each request's result in the order asked, null for a failure
	 * @return the thread, not started when there is nothing to compile
	 */
	Thread startCompilingAhead(List<Ahead> requests, Consumer<CompiledQuery> each) {
		List<Ahead> kept = List.copyOf(requests.subList(0, Math.min(requests.size(), AHEAD_QUERIES)));
		Thread thread = new Thread(() -> {
			for (Ahead request : kept) {
				CompiledQuery result;
				try {
					result = compile(request.queryDsl(), request.fields(), request.parentListId(), request.asOf());
				}
				catch (RuntimeException ex) {
					result = null;
				}
				each.accept(result);
			}
		}, "segmat-query-compile-ahead");
		thread.setDaemon(true);
		if (!kept.isEmpty()) {
			thread.start();
		}
		return thread;
	}

	/**
	 * Compiles a bare condition, as contact search takes it ({@code email LIKE 'ann%' AND
	 * CONTAINS(list_ids, '...')}): the WHERE of {@code SELECT contact_id, updated_at FROM
	 * contact_data}, with the same columns, functions, limits and errors as a segment's
	 * query. The condition is parsed on its own, never pasted into a statement's text, so
	 * nothing in it can reach past the WHERE, and every error position is in the user's
	 * text.
	 */
	public CompiledQuery compileCondition(String condition, FieldCatalog fields, Instant asOf) {
		Objects.requireNonNull(fields, "fields");
		Objects.requireNonNull(asOf, "asOf");
		if (condition == null || condition.isBlank()) {
			throw QueryException.at(Position.START,
					"the query is empty; expected a condition such as email LIKE 'ann%'");
		}
		RawText raw = RawText.scan(condition, this.limits);
		return withinTimeLimit(() -> compileCondition(raw, fields, asOf));
	}

	private static CompiledQuery withinTimeLimit(Callable<CompiledQuery> compilation) {
		Future<CompiledQuery> result = WORKERS.submit(compilation);
		try {
			return result.get(TIME_LIMIT_SECONDS, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			throw failure(ex.getCause());
		}
		catch (TimeoutException ex) {
			result.cancel(true);
			throw QueryException.at(Position.START, "the query is too complex to check in time");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw QueryException.at(Position.START, "checking the query was interrupted");
		}
	}

	/** A compilation on the caller's thread, failing as one on the workers would. */
	private static CompiledQuery inline(Callable<CompiledQuery> compilation) {
		try {
			return compilation.call();
		}
		catch (Exception | StackOverflowError ex) {
			throw failure(ex);
		}
	}

	private static RuntimeException failure(Throwable cause) {
		if (cause instanceof QueryException query) {
			return query;
		}
		if (cause instanceof StackOverflowError) {
			return QueryException.at(Position.START, "the query is nested too deeply");
		}
		if (cause instanceof Error error) {
			throw error;
		}
		return QueryException.at(Position.START, "the query uses a construct the segment language does not support");
	}

	private static CompiledQuery compileCondition(RawText raw, FieldCatalog fields, Instant asOf) {
		Expression condition = QueryParser.parseCondition(raw);
		// The statement around it is built, not parsed: only its WHERE comes from the
		// user's text, so errors can only arise there.
		PlainSelect statement = new PlainSelect().addSelectItems(new Column("contact_id"), new Column("updated_at"))
			.withFromItem(new Table("contact_data"))
			.withWhere(condition);
		return compile(new RecentQueries.Parsed(raw, statement), null, fields, null, asOf);
	}

	private RecentQueries.Parsed parse(RawText raw) {
		RecentQueries.Parsed parse = new RecentQueries.Parsed(raw, QueryParser.parse(raw));
		this.recent.parsed(parse);
		return parse;
	}

	/**
	 * @param normalizedQuery the statement's text as {@link #normalized} gave it before,
	 * or null
	 */
	private static CompiledQuery compile(RecentQueries.Parsed parse, String normalizedQuery, FieldCatalog fields,
			UUID parentListId, Instant asOf) {
		Translator.Result result = new Translator(parse.raw(), fields, asOf).translate(parse.statement(), parentListId);
		String normalized = (normalizedQuery != null) ? normalizedQuery : normalized(parse.statement());
		return new CompiledQuery(normalized, result.sql(), result.probeSql(), result.probeKeyed(), result.parameters(),
				result.dependencies(), result.boundaries(), result.clockBounded());
	}

	private static String normalized(Statement statement) {
		String normalized = statement.toString().trim();
		return normalized.endsWith(";") ? normalized.substring(0, normalized.length() - 1).trim() : normalized;
	}

	/** A compile a caller will ask for soon, with {@link #compile}'s arguments. */
	public record Ahead(String queryDsl, FieldCatalog fields, UUID parentListId, Instant asOf) {
	}

}
