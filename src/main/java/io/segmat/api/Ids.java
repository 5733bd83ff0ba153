package io.segmat.api;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.segmat.InvalidInputException;

/**
 * Id query parameters as SendGrid's clients send them: {@code ids=a&ids=b} as well as
 * {@code ids=a,b}.
 */
final class Ids {

	private Ids() {
	}

	/**
	 * The ids, or null when the parameter was not given; a malformed one is a 400 naming
	 * {@code field}.
	 */
	static List<UUID> parse(String field, List<String> values) {
		if (values == null) {
			return null;
		}
		List<UUID> result = new ArrayList<>();
		for (String value : values) {
			for (String part : value.split(",", -1)) {
				if (part.isBlank()) {
					continue;
				}
				try {
					result.add(UUID.fromString(part.trim()));
				}
				catch (IllegalArgumentException ex) {
					throw new InvalidInputException(field, "'" + part.trim() + "' is not a valid id");
				}
			}
		}
		return result;
	}

}
