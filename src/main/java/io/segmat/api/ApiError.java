package io.segmat.api;

import java.util.List;

import io.segmat.InvalidInputException.FieldError;

/** SendGrid's error body: {@code {"errors":[{"field":...,"message":...}]}}. */
record ApiError(List<FieldError> errors) {

	static ApiError of(String field, String message) {
		return new ApiError(List.of(new FieldError(field, message)));
	}

}
