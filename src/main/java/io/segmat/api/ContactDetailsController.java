package io.segmat.api;

import java.util.UUID;

import io.segmat.NotFoundException;
import io.segmat.contacts.ContactDetails;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * SendGrid's "Get a Contact by ID". The literal paths under /contacts (count, imports,
 * exports, search) are more specific than {@code {id}} and keep their own handlers.
 */
@RestController
class ContactDetailsController {

	private final ContactDetails details;

	ContactDetailsController(ContactDetails details) {
		this.details = details;
	}

	@GetMapping("/v3/marketing/contacts/{id}")
	ObjectNode get(@PathVariable String id) {
		UUID contactId;
		try {
			contactId = UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw new NotFoundException("no contact with id " + id);
		}
		ObjectNode contact = this.details.find(contactId)
			.orElseThrow(() -> new NotFoundException("no contact with id " + id));
		contact.putObject("_metadata")
			.put("self",
					ServletUriComponentsBuilder.fromCurrentContextPath()
						.path("/v3/marketing/contacts/{id}")
						.buildAndExpand(contactId)
						.toUriString());
		return contact;
	}

}
