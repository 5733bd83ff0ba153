package io.segmat.lists;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A static list with its member count, as SendGrid's lists API shows it. */
public record ContactList(UUID id, String name, @JsonProperty("contact_count") long contactCount) {
}
