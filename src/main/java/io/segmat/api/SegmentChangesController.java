package io.segmat.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.segmat.NotFoundException;
import io.segmat.changes.Change;
import io.segmat.changes.ChangeFeed;
import io.segmat.changes.CursorExpiredException;
import io.segmat.segments.Segments;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * segmat's extension of Segments 2.0: a segment's change feed, who entered and who left,
 * read with a cursor.
 */
@RestController
class SegmentChangesController {

	private static final int DEFAULT_LIMIT = 100;

	private final ChangeFeed feed;

	SegmentChangesController(ChangeFeed feed) {
		this.feed = feed;
	}

	@GetMapping("/v3/marketing/segments/2.0/{segmentId}/changes")
	ChangesPage changes(@PathVariable String segmentId, @RequestParam(name = "cursor", required = false) String cursor,
			@RequestParam(name = "limit", defaultValue = "" + DEFAULT_LIMIT) int limit) {
		ChangeFeed.Page page = this.feed.read(segmentId(segmentId), cursor, limit);
		return new ChangesPage(page.changes(), page.nextCursor());
	}

	/** As the other segment endpoints answer an unknown segment. */
	@ExceptionHandler(NotFoundException.class)
	ResponseEntity<Map<String, String>> notFound(NotFoundException ex) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", ex.getMessage()));
	}

	@ExceptionHandler(CursorExpiredException.class)
	ResponseEntity<ApiError> expired(CursorExpiredException ex) {
		return ResponseEntity.status(HttpStatus.GONE).body(ApiError.of("cursor", ex.getMessage()));
	}

	private static UUID segmentId(String text) {
		try {
			return UUID.fromString(text);
		}
		catch (IllegalArgumentException ex) {
			throw new NotFoundException(Segments.NOT_FOUND);
		}
	}

	record ChangesPage(List<Change> changes,
			@com.fasterxml.jackson.annotation.JsonProperty("next_cursor") String nextCursor) {
	}

}
