package io.segmat.fields;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.segmat.query.FieldId;
import io.segmat.query.FieldType;

/** A custom field definition, as SendGrid's field_definitions API shows it. */
@JsonPropertyOrder({ "id", "name", "field_type" })
public record CustomField(@JsonIgnore FieldId fieldId, String name) {

	@JsonProperty("id")
	public String id() {
		return this.fieldId.toString();
	}

	@JsonIgnore
	public FieldType type() {
		return this.fieldId.type();
	}

	@JsonProperty("field_type")
	public String fieldType() {
		return type().sendGridName();
	}

}
