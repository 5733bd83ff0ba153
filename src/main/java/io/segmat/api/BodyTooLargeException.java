package io.segmat.api;

import java.io.IOException;

/**
 * A request body over the cap (413). An IOException so it travels through message
 * converters.
 */
final class BodyTooLargeException extends IOException {

	BodyTooLargeException(long limit) {
		super("the request body is larger than " + (limit / (1024 * 1024)) + " MB");
	}

}
