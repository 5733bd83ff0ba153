package io.segmat.query;

/** A 1-based line and column in the query text. */
record Position(int line, int column) {

	static final Position START = new Position(1, 1);

}
