package io.segmat.query;

import java.util.List;

/** A query was refused. The message is the first error's message, safe to show to the user. */
public final class QueryException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final transient List<QueryError> errors;

	QueryException(List<QueryError> errors) {
		super(errors.get(0).message(), null, false, false);
		this.errors = List.copyOf(errors);
	}

	static QueryException at(Position position, String message) {
		return new QueryException(List.of(new QueryError(message + " at line " + position.line() + ", column "
				+ position.column(), position.line(), position.column())));
	}

	/** Like {@link #at} but with text that follows the position, e.g. "; did you mean 'x'?". */
	static QueryException at(Position position, String message, String after) {
		return new QueryException(List.of(new QueryError(message + " at line " + position.line() + ", column "
				+ position.column() + after, position.line(), position.column())));
	}

	public List<QueryError> errors() {
		return this.errors;
	}

}
