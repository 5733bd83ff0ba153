package io.segmat.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.segmat.fields.CustomField;
import io.segmat.fields.CustomFieldDefinitions;
import io.segmat.fields.ReservedField;
import tools.jackson.databind.JsonNode;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** SendGrid's custom field definitions. */
@RestController
@RequestMapping("/v3/marketing/field_definitions")
class FieldDefinitionsController {

	private final CustomFieldDefinitions fields;

	FieldDefinitionsController(CustomFieldDefinitions fields) {
		this.fields = fields;
	}

	@GetMapping
	Map<String, Object> list() {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("custom_fields", this.fields.list());
		result.put("reserved_fields", ReservedField.ALL);
		return result;
	}

	@PostMapping
	CustomField create(@RequestBody JsonNode body) {
		JsonBody json = JsonBody.of(body);
		return this.fields.create(json.string("name"), json.string("field_type"));
	}

	@DeleteMapping("/{customFieldId}")
	ResponseEntity<Void> delete(@PathVariable String customFieldId) {
		this.fields.delete(customFieldId);
		return ResponseEntity.noContent().build();
	}

}
