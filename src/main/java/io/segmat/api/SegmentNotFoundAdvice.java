package io.segmat.api;

import java.util.Map;
import java.util.UUID;

import io.segmat.NotFoundException;
import io.segmat.segments.Segments;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The segment paths answer an unknown segment as SendGrid does, {@code {"error": "Segment
 * does not exist."}}, not with the errors body of {@link ApiExceptionHandler}, which it
 * therefore comes before.
 */
@RestControllerAdvice(
		assignableTypes = { SegmentsController.class, SegmentPreviewController.class, SegmentChangesController.class })
@Order(Ordered.HIGHEST_PRECEDENCE)
class SegmentNotFoundAdvice {

	@ExceptionHandler(NotFoundException.class)
	ResponseEntity<Map<String, String>> notFound(NotFoundException ex) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", ex.getMessage()));
	}

	/** A segment id from a path: one that is no UUID names no segment either. */
	static UUID segmentId(String text) {
		try {
			return UUID.fromString(text);
		}
		catch (IllegalArgumentException ex) {
			throw new NotFoundException(Segments.NOT_FOUND);
		}
	}

}
