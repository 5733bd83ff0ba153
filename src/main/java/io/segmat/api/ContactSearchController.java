package io.segmat.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.segmat.InvalidInputException;
import io.segmat.query.QueryException;
import io.segmat.search.ContactSearch;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * SendGrid's contact search: by a condition in the segment language, and by email. A
 * search past its timeout is a 408 ({@link EvaluationTimeoutAdvice}).
 */
@RestController
@RequestMapping("/v3/marketing/contacts/search")
class ContactSearchController {

	static final String NOT_FOUND = "contact not found";

	private final ContactSearch search;

	ContactSearchController(ContactSearch search) {
		this.search = search;
	}

	@PostMapping
	SearchAnswer search(@RequestBody JsonNode body) {
		String query = JsonBody.of(body).string("query");
		if (query == null || query.isBlank()) {
			throw new InvalidInputException("query", "query is required: a condition such as email LIKE 'ann%'");
		}
		ContactSearch.Result result = this.search.search(query);
		return new SearchAnswer(result.contacts(), result.contactCount(),
				Map.of("self", ServletUriComponentsBuilder.fromCurrentRequest().toUriString()));
	}

	/**
	 * Each address with its contact, or {@code "error": "contact not found"}; a 404 when
	 * no address has a contact, as SendGrid answers.
	 */
	@PostMapping("/emails")
	ResponseEntity<?> byEmails(@RequestBody JsonNode body) {
		List<String> emails = JsonBody.of(body).strings("emails");
		Map<String, String> found = this.search.byEmails(emails);
		if (found.values().stream().allMatch((contact) -> contact == null)) {
			return ResponseEntity.status(HttpStatus.NOT_FOUND)
				.body(ApiError.of("emails", "no contact has any of these emails"));
		}
		Map<String, Object> result = new LinkedHashMap<>();
		found.forEach((email, contact) -> result.put(email,
				(contact != null) ? new Found(contact) : Map.of("error", NOT_FOUND)));
		return ResponseEntity.ok(Map.of("result", result));
	}

	/**
	 * The search's own field: the condition is {@code query}, not a segment's query_dsl.
	 */
	@ExceptionHandler(QueryException.class)
	ResponseEntity<ApiError> refused(QueryException ex) {
		return ResponseEntity.badRequest()
			.body(new ApiError(ex.errors()
				.stream()
				.map((error) -> new InvalidInputException.FieldError("query", error.message()))
				.toList()));
	}

	record SearchAnswer(@JsonRawValue String result, @JsonProperty("contact_count") long contactCount,
			@JsonProperty("_metadata") Map<String, String> metadata) {
	}

	record Found(@JsonRawValue String contact) {
	}

}
