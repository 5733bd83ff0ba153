package io.segmat.ingest;

import tools.jackson.databind.JsonNode;

/**
 * One record of an import file: the line it starts on and either its value or why it
 * could not be read (malformed JSON or CSV). Unreadable records still travel to the
 * processor, which counts and reports them with the valid rows' problems.
 */
public record SourceRecord(long line, JsonNode value, String error) {

	public static SourceRecord of(long line, JsonNode value) {
		return new SourceRecord(line, value, null);
	}

	public static SourceRecord unreadable(long line, String error) {
		return new SourceRecord(line, null, error);
	}

	public boolean readable() {
		return this.error == null;
	}

}
