package io.segmat.cli;

import java.util.Locale;

/**
 * Text made safe for a terminal. Names, field values, emails and messages that quote them
 * or PostgreSQL can hold control characters (old rows, imported values): printed raw, an
 * ESC sequence can rewrite the screen or the window title, a CR overwrite a line, a bidi
 * override reorder it. They are shown as visible escapes instead: {@code \e}, {@code \r},
 * a backslash-u and the code point in hex. Backslashes are left as they are: the point is
 * a terminal that cannot be driven, not a reversible encoding. Only output for people
 * goes through here; JSON escapes on its own.
 */
final class Printable {

	private Printable() {
	}

	/** One line: every control character escaped, line breaks included. */
	static String of(Object value) {
		if (value == null) {
			return "";
		}
		String text = value.toString();
		if (text.codePoints().noneMatch(Printable::isControl)) {
			return text;
		}
		StringBuilder escaped = new StringBuilder(text.length() + 8);
		text.codePoints().forEach((c) -> {
			if (isControl(c)) {
				escaped.append(escape(c));
			}
			else {
				escaped.appendCodePoint(c);
			}
		});
		return escaped.toString();
	}

	/**
	 * Text of several lines (SQL, a plan): its line feeds stay line breaks, every other
	 * control character is escaped.
	 */
	static String lines(Object value) {
		if (value == null) {
			return "";
		}
		StringBuilder escaped = new StringBuilder();
		String[] lines = value.toString().split("\n", -1);
		for (int i = 0; i < lines.length; i++) {
			if (i > 0) {
				escaped.append('\n');
			}
			escaped.append(of(lines[i]));
		}
		return escaped.toString();
	}

	static boolean isControl(int c) {
		return c < 0x20 || (c >= 0x7f && c <= 0x9f) // C0, DEL, C1 (0x9b is a CSI)
				|| c == 0x2028 || c == 0x2029 // line and paragraph separators
				|| (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069); // bidi
	}

	private static String escape(int c) {
		return switch (c) {
			case 0x1b -> "\\e";
			case 0x07 -> "\\a";
			case 0x08 -> "\\b";
			case 0x09 -> "\\t";
			case 0x0a -> "\\n";
			case 0x0b -> "\\v";
			case 0x0c -> "\\f";
			case 0x0d -> "\\r";
			case 0x00 -> "\\0";
			default -> String.format(Locale.ROOT, "\\u%04x", c);
		};
	}

}
