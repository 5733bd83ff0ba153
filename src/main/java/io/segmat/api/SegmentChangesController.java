package io.segmat.api;

import java.util.List;

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
		ChangeFeed.Page page = this.feed.read(SegmentNotFoundAdvice.segmentId(segmentId), cursor, limit);
		return new ChangesPage(page.changes(), page.nextCursor());
	}

	@ExceptionHandler(CursorExpiredException.class)
	ResponseEntity<ApiError> expired(CursorExpiredException ex) {
		return ResponseEntity.status(HttpStatus.GONE).body(ApiError.of("cursor", ex.getMessage()));
	}

	record ChangesPage(List<Change> changes,
			@com.fasterxml.jackson.annotation.JsonProperty("next_cursor") String nextCursor) {
	}

}
