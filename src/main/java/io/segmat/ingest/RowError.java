package io.segmat.ingest;

/**
 * Why one input row was not imported; {@code line} is the 1-based line where the row
 * starts.
 */
public record RowError(long line, String reason) {
}
