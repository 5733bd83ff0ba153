package io.segmat.query;

import java.util.List;

/**
 * A query compiled to one PostgreSQL SELECT returning the column {@code contact_key}, each member
 * once. {@code parameters} bind the positional {@code ?} in order with
 * {@code PreparedStatement.setObject}.
 */
public record CompiledQuery(String normalizedQuery, String sql, List<Object> parameters,
		QueryDependencies dependencies) {

	public CompiledQuery {
		parameters = List.copyOf(parameters);
	}

}
