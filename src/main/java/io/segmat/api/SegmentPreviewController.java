package io.segmat.api;

import java.util.Map;
import java.util.UUID;

import io.segmat.NotFoundException;
import io.segmat.search.QueryPreview;
import io.segmat.segments.Segments;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v3/marketing/segments/2.0/{id}/preview} (segmat's extension): the dry run
 * of a segment's new query, with the update's body {@code {"query_dsl": ...}}. Nothing is
 * saved.
 */
@RestController
@RequestMapping("/v3/marketing/segments/2.0")
class SegmentPreviewController {

	private final QueryPreview preview;

	SegmentPreviewController(QueryPreview preview) {
		this.preview = preview;
	}

	@PostMapping("/{segmentId}/preview")
	QueryPreview.SegmentPreview preview(@PathVariable String segmentId, @RequestBody JsonNode body) {
		return this.preview.segment(segmentId(segmentId), JsonBody.of(body).string("query_dsl"));
	}

	/** As every segment path: {@code {"error": "Segment does not exist."}}. */
	@ExceptionHandler(NotFoundException.class)
	ResponseEntity<Map<String, String>> notFound(NotFoundException ex) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", ex.getMessage()));
	}

	private static UUID segmentId(String text) {
		try {
			return UUID.fromString(text);
		}
		catch (IllegalArgumentException ex) {
			throw new NotFoundException(Segments.NOT_FOUND);
		}
	}

}
