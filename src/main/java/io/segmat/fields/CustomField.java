package io.segmat.fields;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A custom field definition, as SendGrid's field_definitions API shows it. */
public record CustomField(String id, String name, @JsonProperty("field_type") String fieldType) {
}
