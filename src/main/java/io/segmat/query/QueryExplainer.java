package io.segmat.query;

import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Backs {@code segmat query explain}: what a query compiles to and how PostgreSQL would
 * run it.
 */
public final class QueryExplainer {

	private final JdbcClient jdbc;

	private final QueryCompiler compiler;

	public QueryExplainer(JdbcClient jdbc, QueryCompiler compiler) {
		this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
		this.compiler = Objects.requireNonNull(compiler, "compiler");
	}

	public Explanation explain(String queryDsl, UUID parentListId, Instant asOf) {
		CompiledQuery compiled = this.compiler.compile(queryDsl, FieldCatalog.load(this.jdbc), parentListId, asOf);
		String plan = String.join("\n", plan(compiled.sql(), compiled.parameters()));
		return new Explanation(compiled.normalizedQuery(), compiled.sql(), compiled.parameters(),
				compiled.dependencies(), plan);
	}

	private List<String> plan(String sql, List<Object> parameters) {
		// plain EXPLAIN (no ANALYZE): PostgreSQL plans with the bound values but runs
		// nothing;
		// each value is bound with setObject, exactly as an evaluation binds it
		return this.jdbc.sql("EXPLAIN " + sql)
			.params(parameters)
			.query((ResultSet rs, int n) -> rs.getString(1))
			.list();
	}

}
