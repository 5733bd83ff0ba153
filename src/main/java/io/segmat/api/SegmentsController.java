package io.segmat.api;

import java.util.List;
import java.util.Map;

import io.segmat.refresh.ManualRefresh;
import io.segmat.segments.Segment;
import io.segmat.segments.Segments;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** SendGrid's Segments 2.0 endpoints. */
@RestController
@RequestMapping("/v3/marketing/segments/2.0")
class SegmentsController {

	private final Segments segments;

	private final ManualRefresh manualRefresh;

	SegmentsController(Segments segments, ManualRefresh manualRefresh) {
		this.segments = segments;
		this.manualRefresh = manualRefresh;
	}

	@PostMapping
	ResponseEntity<Segment> create(@RequestBody JsonNode body) {
		JsonBody json = JsonBody.of(body);
		return ResponseEntity.status(HttpStatus.CREATED)
			.body(this.segments.create(json.string("name"), json.string("query_dsl"), json.strings("parent_list_ids")));
	}

	@GetMapping
	Map<String, List<Segment>> list(@RequestParam(name = "ids", required = false) List<String> ids,
			@RequestParam(name = "parent_list_ids", required = false) List<String> parentListIds,
			@RequestParam(name = "no_parent_list_id", defaultValue = "false") boolean noParentListId) {
		return Map.of("results",
				this.segments.list(Ids.parse("ids", ids), Ids.parse("parent_list_ids", parentListIds), noParentListId));
	}

	@GetMapping("/{segmentId}")
	Segment get(@PathVariable String segmentId,
			@RequestParam(name = "contacts_sample", defaultValue = "true") boolean contactsSample) {
		Segment segment = this.segments.get(SegmentNotFoundAdvice.segmentId(segmentId));
		return contactsSample ? segment : segment.withoutSample();
	}

	@PatchMapping("/{segmentId}")
	Segment update(@PathVariable String segmentId, @RequestBody JsonNode body) {
		JsonBody json = JsonBody.of(body);
		return this.segments.update(SegmentNotFoundAdvice.segmentId(segmentId), json.string("name"),
				json.string("query_dsl"), json.strings("parent_list_ids"));
	}

	@DeleteMapping("/{segmentId}")
	ResponseEntity<Void> delete(@PathVariable String segmentId) {
		this.segments.delete(SegmentNotFoundAdvice.segmentId(segmentId));
		return ResponseEntity.status(HttpStatus.ACCEPTED).build();
	}

	@PostMapping("/refresh/{segmentId}")
	ResponseEntity<Map<String, String>> refresh(@PathVariable String segmentId, @RequestBody JsonNode body) {
		var execution = this.manualRefresh.refresh(SegmentNotFoundAdvice.segmentId(segmentId),
				JsonBody.of(body).string("user_time_zone"), null);
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("job_id", String.valueOf(execution.getId())));
	}

}
