package io.segmat.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why one input row was not imported; {@code line} is the 1-based line where the row
 * starts, {@code field} the field at fault (as the row names it; null when the row as a
 * whole is, or when the database refused it without saying which).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RowError(long line, String field, String reason) {

	public RowError(long line, String reason) {
		this(line, null, reason);
	}

}
