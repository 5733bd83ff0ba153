package io.segmat.query;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.PlainSelect;

/**
 * Compiles a segment's {@code query_dsl} into PostgreSQL over segmat's schema.
 * Thread-safe and free of side effects: nothing is executed here.
 */
public final class QueryCompiler {

	/**
	 * Checking and compiling recurse over the parse tree; a large stack keeps long AND
	 * chains safe.
	 */
	private static final ExecutorService WORKERS = BigStackThreads.pool("segmat-query-compiler");

	private static final long TIME_LIMIT_SECONDS = 20;

	/**
	 * Parsing is most of a compile's cost (JSqlParser: 5–40 ms a query), and a refresh
	 * compiles the same query at least twice (a clock-reading one once more for its
	 * previous instant). The parsed statement is read, never changed, by the translation,
	 * so a recent one is reused. Only short queries are kept: the limits allow 100,000
	 * characters, whose tree would weigh on the heap.
	 */
	private static final int CACHED_QUERIES = 256;

	private static final int CACHED_LENGTH = 2_000;

	private final Map<String, Statement> parsed = Collections
		.synchronizedMap(new LinkedHashMap<>(CACHED_QUERIES, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Statement> eldest) {
				return size() > CACHED_QUERIES;
			}

		});

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
		RawText raw = RawText.scan(queryDsl, this.limits);
		return withinTimeLimit(() -> compile(raw, parse(raw), fields, parentListId, asOf));
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
			Throwable cause = ex.getCause();
			if (cause instanceof QueryException query) {
				throw query;
			}
			if (cause instanceof StackOverflowError) {
				throw QueryException.at(Position.START, "the query is nested too deeply");
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw QueryException.at(Position.START, "the query uses a construct the segment language does not support");
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

	private static CompiledQuery compileCondition(RawText raw, FieldCatalog fields, Instant asOf) {
		Expression condition = QueryParser.parseCondition(raw);
		// The statement around it is built, not parsed: only its WHERE comes from the
		// user's text, so errors can only arise there.
		PlainSelect statement = new PlainSelect().addSelectItems(new Column("contact_id"), new Column("updated_at"))
			.withFromItem(new Table("contact_data"))
			.withWhere(condition);
		return compile(raw, statement, fields, null, asOf);
	}

	private Statement parse(RawText raw) {
		if (raw.text().length() > CACHED_LENGTH) {
			return QueryParser.parse(raw);
		}
		Statement statement = this.parsed.get(raw.text());
		if (statement == null) {
			statement = QueryParser.parse(raw);
			this.parsed.put(raw.text(), statement);
		}
		return statement;
	}

	private static CompiledQuery compile(RawText raw, Statement statement, FieldCatalog fields, UUID parentListId,
			Instant asOf) {
		Translator.Result result = new Translator(raw, fields, asOf).translate(statement, parentListId);
		String normalized = statement.toString().trim();
		if (normalized.endsWith(";")) {
			normalized = normalized.substring(0, normalized.length() - 1).trim();
		}
		return new CompiledQuery(normalized, result.sql(), result.probeSql(), result.parameters(),
				result.dependencies(), result.boundaries(), result.clockBounded());
	}

}
