package io.segmat.api;

import io.segmat.search.QueryPreview;
import tools.jackson.databind.JsonNode;

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
		return this.preview.segment(SegmentNotFoundAdvice.segmentId(segmentId), JsonBody.of(body).string("query_dsl"));
	}

}
