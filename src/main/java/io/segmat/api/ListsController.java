package io.segmat.api;

import java.util.Map;
import java.util.UUID;

import io.segmat.NotFoundException;
import io.segmat.lists.ContactList;
import io.segmat.lists.ContactLists;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** SendGrid's static lists. */
@RestController
@RequestMapping("/v3/marketing/lists")
class ListsController {

	private final ContactLists lists;

	ListsController(ContactLists lists) {
		this.lists = lists;
	}

	@PostMapping
	ResponseEntity<ContactList> create(@RequestBody JsonNode body) {
		return ResponseEntity.status(HttpStatus.CREATED).body(this.lists.create(JsonBody.of(body).string("name")));
	}

	@GetMapping
	Map<String, Object> list() {
		return Map.of("result", this.lists.list());
	}

	@GetMapping("/{id}")
	ContactList get(@PathVariable String id) {
		return this.lists.find(listId(id)).orElseThrow(() -> new NotFoundException("list " + id + " does not exist"));
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable String id) {
		this.lists.delete(listId(id));
		return ResponseEntity.noContent().build();
	}

	private static UUID listId(String text) {
		try {
			return UUID.fromString(text);
		}
		catch (IllegalArgumentException ex) {
			throw new NotFoundException("list " + text + " does not exist");
		}
	}

}
