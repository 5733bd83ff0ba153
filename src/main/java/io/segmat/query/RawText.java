package io.segmat.query;

import java.util.ArrayList;
import java.util.List;

/**
 * A scan of the raw query text that runs before JSqlParser sees it. It enforces the
 * {@link QueryLimits}, finds unterminated strings and a second statement, and keeps the
 * tokens: syntax hints read them, and so do the few error positions the parser keeps no
 * token for. Positions are counted in lines ended by a line feed, as the user's text.
 *
 * <p>
 * Strings follow the language: a quote inside is doubled or backslash-escaped, and
 * {@code \\} is a backslash. The parser runs with backslash escapes on, so both read the
 * same boundaries.
 */
final class RawText {

	enum Kind {

		WORD, QUOTED_WORD, STRING, NUMBER, SYMBOL

	}

	/** One token: for STRING and QUOTED_WORD, {@code value} is the decoded content. */
	record Token(Kind kind, String text, String value, Position position) {

		boolean isWord(String word) {
			return this.kind == Kind.WORD && this.text.equalsIgnoreCase(word);
		}

		boolean isSymbol(String symbol) {
			return this.kind == Kind.SYMBOL && this.text.equals(symbol);
		}

	}

	/**
	 * The most AND, OR and NOT operators in one query. Fixed rather than configurable:
	 * the parser builds one tree level per operator and its time grows faster than
	 * linearly with them.
	 */
	static final int MAX_OPERATORS = 2_000;

	/**
	 * Binary arithmetic operators ({@code + - * / % ||}) a query may hold. Without
	 * parentheses a chain of them is a syntax tree as deep as it is long, which the
	 * parser and the compiler walk recursively: a 20,000-term sum cost seconds of CPU
	 * before it was refused, so it is refused here, at the cost of a scan.
	 */
	static final int MAX_ARITHMETIC = 2_000;

	private final String text;

	private final List<Token> tokens;

	private RawText(String text, List<Token> tokens) {
		this.text = text;
		this.tokens = tokens;
	}

	String text() {
		return this.text;
	}

	List<Token> tokens() {
		return this.tokens;
	}

	static RawText scan(String text, QueryLimits limits) {
		if (text == null || text.isBlank()) {
			throw QueryException.at(Position.START,
					"the query is empty; expected SELECT contact_id, updated_at FROM contact_data ...");
		}
		if (text.length() > limits.maxLength()) {
			throw QueryException.at(Position.START,
					"the query is too long: " + text.length() + " characters, the limit is " + limits.maxLength());
		}
		int nul = text.indexOf('\0');
		if (nul >= 0) {
			// PostgreSQL text cannot hold NUL; refusing it here keeps a run from failing
			// later
			int line = 1;
			int lineStart = 0;
			for (int i = 0; i < nul; i++) {
				if (text.charAt(i) == '\n') {
					line++;
					lineStart = i + 1;
				}
			}
			throw QueryException.at(new Position(line, nul - lineStart + 1), "the query contains a NUL character");
		}
		return new Scanner(text, limits).run();
	}

	/**
	 * The position of the first word (unquoted or quoted) equal to {@code word}, ignoring
	 * case.
	 */
	Position findWord(String word) {
		for (Token token : this.tokens) {
			if ((token.kind() == Kind.WORD || token.kind() == Kind.QUOTED_WORD)
					&& token.value().equalsIgnoreCase(word)) {
				return token.position();
			}
		}
		return null;
	}

	/** The position of a word directly followed by "(": a function call. */
	Position findCall(String name) {
		for (int i = 0; i + 1 < this.tokens.size(); i++) {
			Token token = this.tokens.get(i);
			if (token.kind() == Kind.WORD && token.text().equalsIgnoreCase(name)
					&& this.tokens.get(i + 1).isSymbol("(")) {
				return token.position();
			}
		}
		return findWord(name);
	}

	Position findString(String value) {
		for (Token token : this.tokens) {
			if (token.kind() == Kind.STRING && token.value().equals(value)) {
				return token.position();
			}
		}
		return null;
	}

	Position findSymbol(String symbol) {
		for (Token token : this.tokens) {
			if (token.isSymbol(symbol)) {
				return token.position();
			}
		}
		return null;
	}

	/**
	 * Decodes the content of a string literal as JSqlParser hands it over (between the
	 * quotes).
	 */
	static String decodeString(String raw) {
		StringBuilder out = new StringBuilder(raw.length());
		for (int i = 0; i < raw.length(); i++) {
			char ch = raw.charAt(i);
			if (ch == '\\' && i + 1 < raw.length()) {
				char next = raw.charAt(i + 1);
				if (next == '\'' || next == '\\' || next == '"') {
					out.append(next);
					i++;
					continue;
				}
				// any other backslash stands for itself, so LIKE '50\%' keeps its escape
				out.append(ch);
				continue;
			}
			if (ch == '\'' && i + 1 < raw.length() && raw.charAt(i + 1) == '\'') {
				out.append('\'');
				i++;
				continue;
			}
			out.append(ch);
		}
		return out.toString();
	}

	private static final class Scanner {

		private final String text;

		private final QueryLimits limits;

		private final List<Token> tokens = new ArrayList<>();

		/** Per open bracket: its commas so far, and the bracket character. */
		private final List<int[]> open = new ArrayList<>();

		private int index;

		private int line = 1;

		private int lineStart;

		private Position semicolon;

		private int operators;

		private int arithmetic;

		Scanner(String text, QueryLimits limits) {
			this.text = text;
			this.limits = limits;
		}

		RawText run() {
			while (this.index < this.text.length()) {
				char ch = this.text.charAt(this.index);
				if (ch == '\n') {
					this.index++;
					this.line++;
					this.lineStart = this.index;
				}
				else if (Character.isWhitespace(ch)) {
					this.index++;
				}
				else if (ch == '-' && peek(1) == '-') {
					while (this.index < this.text.length() && this.text.charAt(this.index) != '\n') {
						this.index++;
					}
				}
				else if (ch == '/' && peek(1) == '*') {
					blockComment();
				}
				else {
					token(ch);
				}
			}
			if (!this.open.isEmpty()) {
				Token last = this.tokens.get(this.tokens.size() - 1);
				char closer = this.open.get(this.open.size() - 1)[1] == '[' ? ']' : ')';
				throw QueryException.at(last.position(), "unbalanced parentheses: missing '" + closer + "' after '"
						+ Identifiers.shorten(last.text()) + "'");
			}
			return new RawText(this.text, List.copyOf(this.tokens));
		}

		private void token(char ch) {
			Position position = position();
			if (this.semicolon != null) {
				throw QueryException.at(position,
						"only one statement is allowed: unexpected text after ';' (';' at line " + this.semicolon.line()
								+ ", column " + this.semicolon.column() + ")");
			}
			int start = this.index;
			if (ch == '\'') {
				String value = quoted('\'', true, position, "string");
				add(Kind.STRING, this.text.substring(start, this.index), value, position);
			}
			else if (ch == '"' || ch == '`') {
				String value = quoted(ch, false, position, "quoted identifier");
				add(Kind.QUOTED_WORD, this.text.substring(start, this.index), value, position);
			}
			else if (Character.isLetter(ch) || ch == '_') {
				while (this.index < this.text.length() && (Character.isLetterOrDigit(this.text.charAt(this.index))
						|| this.text.charAt(this.index) == '_' || this.text.charAt(this.index) == '$')) {
					this.index++;
				}
				String word = this.text.substring(start, this.index);
				if (word.equalsIgnoreCase("and") || word.equalsIgnoreCase("or") || word.equalsIgnoreCase("not")) {
					if (++this.operators > MAX_OPERATORS) {
						throw QueryException.at(position,
								"too many conditions: more than " + MAX_OPERATORS + " AND, OR and NOT operators");
					}
				}
				add(Kind.WORD, word, word, position);
			}
			else if (Character.isDigit(ch) || (ch == '.' && Character.isDigit(peek(1)))) {
				while (this.index < this.text.length() && (Character.isLetterOrDigit(this.text.charAt(this.index))
						|| this.text.charAt(this.index) == '.')) {
					this.index++;
				}
				String number = this.text.substring(start, this.index);
				add(Kind.NUMBER, number, number, position);
			}
			else {
				this.index++;
				String symbol = String.valueOf(ch);
				if ("+-*/%|".indexOf(ch) >= 0 && followsOperand() && ++this.arithmetic > MAX_ARITHMETIC) {
					throw QueryException.at(position,
							"the expression is too long: more than " + MAX_ARITHMETIC + " arithmetic operators");
				}
				switch (ch) {
					case '(', '[' -> {
						this.open.add(new int[] { 0, ch });
						if (this.open.size() > this.limits.maxDepth()) {
							throw QueryException.at(position, "the query is nested too deeply: more than "
									+ this.limits.maxDepth() + " levels of parentheses or brackets");
						}
					}
					case ')', ']' -> {
						if (this.open.isEmpty()) {
							throw QueryException.at(position, "unbalanced parentheses: unexpected '" + ch + "'");
						}
						this.open.remove(this.open.size() - 1);
					}
					case ',' -> {
						if (!this.open.isEmpty()) {
							int[] items = this.open.get(this.open.size() - 1);
							items[0]++;
							if (items[0] + 1 > this.limits.maxInValues()) {
								throw QueryException.at(position,
										"too many values in one list: more than " + this.limits.maxInValues());
							}
						}
					}
					case ';' -> {
						if (this.open.isEmpty()) {
							this.semicolon = position;
						}
					}
					default -> {
					}
				}
				add(Kind.SYMBOL, symbol, symbol, position);
			}
		}

		private String quoted(char quote, boolean backslash, Position position, String what) {
			StringBuilder value = new StringBuilder();
			this.index++;
			while (this.index < this.text.length()) {
				char ch = this.text.charAt(this.index);
				if (backslash && ch == '\\' && this.index + 1 < this.text.length()) {
					char next = this.text.charAt(this.index + 1);
					if (next == '\'' || next == '\\' || next == '"') {
						value.append(next);
					}
					else {
						value.append(ch).append(next);
					}
					advance(2);
					continue;
				}
				if (ch == quote) {
					if (peek(1) == quote) {
						value.append(quote);
						advance(2);
						continue;
					}
					this.index++;
					return value.toString();
				}
				value.append(ch);
				advance(1);
			}
			throw QueryException.at(position, "unterminated " + what + " starting");
		}

		private void blockComment() {
			Position position = position();
			int end = this.text.indexOf("*/", this.index + 2);
			if (end < 0) {
				throw QueryException.at(position, "unterminated comment starting");
			}
			advance(end + 2 - this.index);
		}

		private void advance(int count) {
			for (int i = 0; i < count && this.index < this.text.length(); i++) {
				if (this.text.charAt(this.index) == '\n') {
					this.line++;
					this.lineStart = this.index + 1;
				}
				this.index++;
			}
		}

		private char peek(int ahead) {
			int at = this.index + ahead;
			return at < this.text.length() ? this.text.charAt(at) : '\0';
		}

		private Position position() {
			return new Position(this.line, this.index - this.lineStart + 1);
		}

		/**
		 * Whether the token before ends an operand, so that an operator here is binary: a
		 * sign after a comma or a parenthesis ({@code IN (-1, -2)}) is not counted.
		 */
		private boolean followsOperand() {
			if (this.tokens.isEmpty()) {
				return false;
			}
			Token last = this.tokens.get(this.tokens.size() - 1);
			return switch (last.kind()) {
				case SYMBOL -> last.text().equals(")") || last.text().equals("]");
				default -> true;
			};
		}

		private void add(Kind kind, String raw, String value, Position position) {
			this.tokens.add(new Token(kind, raw, value, position));
		}

	}

}
