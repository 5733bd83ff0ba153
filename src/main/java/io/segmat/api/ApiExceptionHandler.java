package io.segmat.api;

import java.time.Duration;

import io.segmat.InvalidInputException;
import io.segmat.LimitExceededException;
import io.segmat.NotFoundException;
import io.segmat.db.DatabaseFailures;
import io.segmat.db.Unreachable;
import io.segmat.query.QueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every failure becomes the documented status with SendGrid's error body. A 500 says only
 * that something went wrong; the details go to the log, never to the client. A database
 * that cannot be reached is a 503 with Retry-After: the request may well succeed in a few
 * seconds.
 */
@RestControllerAdvice
class ApiExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	/**
	 * About what a restarting PostgreSQL needs, and a little more than the pool's wait
	 * ({@link ApiConfiguration}): a client that honours it does not queue up behind its
	 * own earlier attempt.
	 */
	static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	@ExceptionHandler(InvalidInputException.class)
	ResponseEntity<ApiError> invalid(InvalidInputException ex) {
		return ResponseEntity.badRequest().body(new ApiError(ex.errors()));
	}

	@ExceptionHandler(QueryException.class)
	ResponseEntity<ApiError> query(QueryException ex) {
		return ResponseEntity.badRequest()
			.body(new ApiError(ex.errors()
				.stream()
				.map((error) -> new InvalidInputException.FieldError("query_dsl", error.message()))
				.toList()));
	}

	@ExceptionHandler(NotFoundException.class)
	ResponseEntity<ApiError> notFound(NotFoundException ex) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND).body(ApiError.of(null, ex.getMessage()));
	}

	@ExceptionHandler(LimitExceededException.class)
	ResponseEntity<ApiError> limit(LimitExceededException ex) {
		return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).body(ApiError.of(null, ex.getMessage()));
	}

	@ExceptionHandler(BodyTooLargeException.class)
	ResponseEntity<ApiError> tooLarge(BodyTooLargeException ex) {
		return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(ApiError.of(null, ex.getMessage()));
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException ex) {
		Throwable cause = ex.getCause();
		// the cap trips inside whatever is reading: the converter, or the JSON parser
		// under it, which wraps it once more
		for (Throwable t = cause; t != null; t = t.getCause()) {
			if (t instanceof BodyTooLargeException tooLarge) {
				return tooLarge(tooLarge);
			}
		}
		String detail = (cause instanceof tools.jackson.core.JacksonException json && json.getLocation() != null)
				? " at line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() : "";
		return ResponseEntity.badRequest().body(ApiError.of(null, "the request body is not valid JSON" + detail));
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<ApiError> mismatch(MethodArgumentTypeMismatchException ex) {
		return ResponseEntity.badRequest()
			.body(ApiError.of(ex.getName(), "'" + ex.getValue() + "' is not a valid " + ex.getName()));
	}

	@ExceptionHandler(MissingServletRequestParameterException.class)
	ResponseEntity<ApiError> missing(MissingServletRequestParameterException ex) {
		return ResponseEntity.badRequest()
			.body(ApiError.of(ex.getParameterName(), ex.getParameterName() + " is required"));
	}

	@ExceptionHandler(HttpRequestMethodNotSupportedException.class)
	ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException ex) {
		return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
			.body(ApiError.of(null, "method " + ex.getMethod() + " is not allowed here"));
	}

	@ExceptionHandler(HttpMediaTypeNotSupportedException.class)
	ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException ex) {
		return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.body(ApiError.of(null, "the request body must be application/json"));
	}

	@ExceptionHandler(NoResourceFoundException.class)
	ResponseEntity<ApiError> noSuchPath(NoResourceFoundException ex) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND).body(ApiError.of(null, "no such endpoint"));
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ApiError> unexpected(Exception ex) {
		// Read here rather than by a handler of its own: the driver's exception arrives
		// wrapped by Spring, Batch or segmat, under types that say nothing of it.
		if (Unreachable.database(ex)) {
			// the driver's own words, for the operator; not the statement, not the trace
			logger.warn("the database is unavailable: {}", NestedExceptionUtils.getMostSpecificCause(ex).toString());
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds()))
				.body(ApiError.of(null, "the database is unavailable; try again shortly"));
		}
		// The answer says nothing; the log says what failed (the trace with SEGMAT_DEBUG)
		logger.error("request failed: {}", DatabaseFailures.describe(ex).orElseGet(() -> ex.getClass().getSimpleName()),
				ex);
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
			.body(ApiError.of(null, "internal error; see the server's log"));
	}

}
