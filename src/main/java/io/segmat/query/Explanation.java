package io.segmat.query;

import java.util.List;

/**
 * What {@code segmat query explain} shows: the query as understood, its SQL and
 * PostgreSQL's plan.
 */
public record Explanation(String normalizedQuery, String sql, List<Object> parameters, QueryDependencies dependencies,
		String plan) {

	public Explanation {
		parameters = List.copyOf(parameters);
	}

}
