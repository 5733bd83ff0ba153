package io.segmat;

import java.util.List;

/**
 * Input that segmat refuses: the command line exits 2, the API answers 400. Each error
 * names the field it is about, as SendGrid's error bodies do.
 */
public class InvalidInputException extends RuntimeException {

	private final List<FieldError> errors;

	public InvalidInputException(String field, String message) {
		this(List.of(new FieldError(field, message)));
	}

	public InvalidInputException(List<FieldError> errors) {
		super(errors.get(0).message());
		this.errors = List.copyOf(errors);
	}

	public List<FieldError> errors() {
		return this.errors;
	}

	/** One error about one field; {@code field} may be null when no field is to blame. */
	public record FieldError(String field, String message) {
	}

}
