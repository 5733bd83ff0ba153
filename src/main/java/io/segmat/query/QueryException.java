package io.segmat.query;

import java.util.List;

/**
 * A query was refused. The message is the first error's message, safe to show to the
 * user.
 */
public final class QueryException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final transient List<QueryError> errors;

	QueryException(List<QueryError> errors) {
		super(errors.get(0).message(), null, false, false);
		this.errors = List.copyOf(errors);
	}

	/**
	 * An error at a position. The position goes right after what is wrong, before any
	 * hint: "unknown table 'x'; expected contact_data" becomes "unknown table 'x' at line
	 * 1, column 15; expected contact_data".
	 */
	static QueryException at(Position position, String message) {
		int split = hintStart(message);
		if (split >= 0) {
			return at(position, message.substring(0, split), message.substring(split));
		}
		return new QueryException(
				List.of(new QueryError(message + " at line " + position.line() + ", column " + position.column(),
						position.line(), position.column())));
	}

	/** Where "; hint" starts, outside quoted text, or -1. */
	private static int hintStart(String message) {
		boolean quoted = false;
		for (int i = 0; i + 1 < message.length(); i++) {
			char ch = message.charAt(i);
			if (ch == '\'') {
				quoted = !quoted;
			}
			else if (!quoted && ch == ';' && message.charAt(i + 1) == ' ') {
				return i;
			}
		}
		return -1;
	}

	/**
	 * Like {@link #at} but with text that follows the position, e.g. "; did you mean
	 * 'x'?".
	 */
	static QueryException at(Position position, String message, String after) {
		return new QueryException(List
			.of(new QueryError(message + " at line " + position.line() + ", column " + position.column() + after,
					position.line(), position.column())));
	}

	public List<QueryError> errors() {
		return this.errors;
	}

}
