package io.segmat;

import java.util.Optional;

/**
 * What a user-given name (of a segment or a list) must be: not blank, printable, valid
 * Unicode, and at most so many characters, counted as a reader counts them (code points,
 * not UTF-16 units: an emoji is one character).
 */
public final class Names {

	private Names() {
	}

	/** Why {@code name} is refused as the value of {@code field}, if it is. */
	public static Optional<String> problem(String field, String name, int maxLength) {
		if (name == null || name.isBlank()) {
			return Optional.of(field + " is required");
		}
		// By code point: a paired surrogate is one character, a lone one stays a
		// surrogate code point, which has no UTF-8 form.
		int position = 0;
		for (int i = 0; i < name.length(); i += Character.charCount(name.codePointAt(i))) {
			int c = name.codePointAt(i);
			position++;
			if (Character.isISOControl(c)) {
				// a NUL cannot be stored, and ESC, BEL or a line break would reach every
				// terminal and log that prints the name
				return Optional.of(field + " must not contain control characters (found U+" + String.format("%04X", c)
						+ " at character " + position + ")");
			}
			if (Character.getType(c) == Character.SURROGATE) {
				return Optional
					.of(field + " is not valid Unicode text (a lone surrogate at character " + position + ")");
			}
		}
		if (position > maxLength) {
			return Optional.of(field + " must be at most " + maxLength + " characters, not " + position);
		}
		return Optional.empty();
	}

	/** Throws the 400 (exit 2) that {@link #problem} describes, if any. */
	public static void check(String field, String name, int maxLength) {
		problem(field, name, maxLength).ifPresent((message) -> {
			throw new InvalidInputException(field, message);
		});
	}

}
