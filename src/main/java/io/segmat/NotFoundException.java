package io.segmat;

/** An id that names nothing: exit 2 on the command line, 404 in the API. */
public class NotFoundException extends RuntimeException {

	public NotFoundException(String message) {
		super(message);
	}

}
