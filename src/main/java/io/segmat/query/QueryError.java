package io.segmat.query;

/**
 * One problem in a query; {@code message} already says "at line L, column C". Both are
 * 1-based.
 */
public record QueryError(String message, int line, int column) {
}
