package io.segmat.query;

/** Identifiers and excerpts of the user's text as messages show them. */
final class Identifiers {

	private Identifiers() {
	}

	/** An identifier without its double quotes, backticks or brackets. */
	static String unquote(String name) {
		if (name != null && name.length() >= 2) {
			char first = name.charAt(0);
			char last = name.charAt(name.length() - 1);
			if ((first == '"' && last == '"') || (first == '`' && last == '`') || (first == '[' && last == ']')) {
				return name.substring(1, name.length() - 1);
			}
		}
		return name;
	}

	/** Text on one line and at most 60 characters, for quoting in a message. */
	static String shorten(String text) {
		String oneLine = text.replaceAll("\\s+", " ");
		return oneLine.length() > 60 ? oneLine.substring(0, 57) + "..." : oneLine;
	}

}
