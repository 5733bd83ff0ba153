package io.segmat.api;

import io.segmat.search.EvaluationTimeoutException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A search or a dry run past its statement timeout is a 408 with SendGrid's error body,
 * as SendGrid answers a search over 20 seconds.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE) // before ApiExceptionHandler's catch-all for Exception
class EvaluationTimeoutAdvice {

	@ExceptionHandler(EvaluationTimeoutException.class)
	ResponseEntity<ApiError> timedOut(EvaluationTimeoutException ex) {
		return ResponseEntity.status(HttpStatus.REQUEST_TIMEOUT).body(ApiError.of(null, ex.getMessage()));
	}

}
