package io.segmat.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page in the API's shape, in place of Spring Boot's own: a
 * failure that no handler saw (a request the container refused, a filter that threw)
 * still answers SendGrid's error body, and never a stack trace or an exception's name.
 */
@RestController
class ApiErrorController implements ErrorController {

	@RequestMapping("${server.error.path:/error}")
	ResponseEntity<ApiError> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		HttpStatus status = (code instanceof Integer value) ? HttpStatus.resolve(value) : null;
		if (status == null) {
			// asked for directly, not forwarded by the container: there is no error here
			return ResponseEntity.status(HttpStatus.NOT_FOUND).body(ApiError.of(null, "no such endpoint"));
		}
		String message = status.is5xxServerError() ? "internal error; see the server's log"
				: status.getReasonPhrase().toLowerCase(java.util.Locale.ROOT);
		return ResponseEntity.status(status).body(ApiError.of(null, message));
	}

}
