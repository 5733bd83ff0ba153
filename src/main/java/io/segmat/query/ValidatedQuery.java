package io.segmat.query;

/** A query that parsed and passed every check, with what it depends on. */
public record ValidatedQuery(String normalizedQuery, QueryDependencies dependencies) {
}
