package io.segmat.query;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.parser.TokenMgrException;
import net.sf.jsqlparser.parser.feature.Feature;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;

/**
 * The parser: runs JSqlParser on text that already passed {@link RawText}, and turns its
 * failures into our own messages: the offending token, its line and column, and what the
 * language expects there.
 */
final class QueryParser {

	private static final Pattern LEXICAL = Pattern.compile("line (\\d+), column (\\d+)");

	/**
	 * The parser recurses per nesting level; the depth limit keeps it far from the
	 * stack's end, and its own large-stack threads keep it so even for long flat chains
	 * of AND/OR.
	 */
	private static final ExecutorService PARSER_THREADS = BigStackThreads.pool("segmat-query-parser");

	private QueryParser() {
	}

	static Statement parse(RawText raw) {
		Statements statements;
		try {
			statements = CCJSqlParserUtil.parseStatements(raw.text(), PARSER_THREADS,
					parser -> parser.withBackslashEscapeCharacter(true));
		}
		catch (JSQLParserException ex) {
			throw translate(ex, raw);
		}
		catch (StackOverflowError ex) {
			throw QueryException.at(Position.START, "the query is nested too deeply");
		}
		if (statements == null || statements.isEmpty()) {
			throw QueryException.at(Position.START,
					"the query is empty; expected SELECT contact_id, updated_at FROM contact_data ...");
		}
		if (statements.size() > 1) {
			Position at = raw.findSymbol(";");
			throw QueryException.at(at == null ? Position.START : at,
					"only one statement is allowed: found " + statements.size() + " statements, separated");
		}
		return statements.get(0);
	}

	/**
	 * Parses a bare condition, as contact search takes it: exactly one expression, with
	 * nothing after it but an optional {@code ;}. Positions are the user's own, since the
	 * parser reads only the user's text.
	 */
	static Expression parseCondition(RawText raw) {
		JSQLParserException failure;
		try {
			return condition(raw, false);
		}
		catch (JSQLParserException ex) {
			failure = ex;
		}
		// as parseStatements does: the simple grammar first, the complex one only for
		// shallow text, where its backtracking stays cheap
		if (CCJSqlParserUtil.getNestingDepth(raw.text()) <= CCJSqlParserUtil.ALLOWED_NESTING_DEPTH) {
			try {
				return condition(raw, true);
			}
			catch (JSQLParserException ex) {
				failure = ex;
			}
		}
		if (failure instanceof TrailingText trailing) {
			Token next = trailing.token;
			Position at = SourcePositions.fromParser(raw.text(), Math.max(1, next.beginLine),
					Math.max(1, next.beginColumn));
			// the parser stops where the condition could end: what the user got wrong
			// may lie further on (email = = 'a' stops at the first '=')
			RawText.Token culprit = SyntaxHint.firstMisplaced(raw, at);
			if (isEnd(culprit)) {
				throw QueryException.at(endOf(raw), "unexpected end of query",
						"; expected a value, column or condition");
			}
			if (culprit != null) {
				throw QueryException.at(culprit.position(), "unexpected '" + culprit.text() + "'",
						"; expected a value, column or condition");
			}
			String shown = next.image.length() > 40 ? next.image.substring(0, 40) + "..." : next.image;
			throw QueryException.at(at, "unexpected '" + shown + "' after the condition",
					"; expected AND, OR or the end of the query (a search takes a condition, not a statement)");
		}
		throw translate(failure, raw);
	}

	private static Expression condition(RawText raw, boolean complex) throws JSQLParserException {
		CCJSqlParser parser = CCJSqlParserUtil.newParser(raw.text())
			.withBackslashEscapeCharacter(true)
			.withAllowComplexParsing(complex);
		Future<Expression> parsed = PARSER_THREADS.submit(() -> {
			Expression expression = parser.Expression();
			Token next = parser.getNextToken();
			if (next.kind != 0 && ";".equals(next.image)) {
				next = parser.getNextToken();
			}
			if (next.kind != 0) {
				throw new TrailingText(next);
			}
			return expression;
		});
		try {
			return parsed.get(parser.getConfiguration().getAsLong(Feature.timeOut), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			parser.interrupted = true;
			parsed.cancel(true);
			throw new JSQLParserException("Time out occurred.", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw QueryException.at(Position.START, "checking the query was interrupted");
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof JSQLParserException thrown) {
				throw thrown;
			}
			if (cause instanceof StackOverflowError) {
				throw QueryException.at(Position.START, "the query is nested too deeply");
			}
			throw new JSQLParserException(cause);
		}
	}

	/** A condition that parsed, followed by text that is not part of it. */
	private static final class TrailingText extends JSQLParserException {

		private static final long serialVersionUID = 1L;

		private final transient Token token;

		TrailingText(Token token) {
			super("text after the condition");
			this.token = token;
		}

	}

	private static QueryException translate(JSQLParserException ex, RawText raw) {
		Throwable cause = ex;
		while (cause != null) {
			if (cause instanceof ParseException parse) {
				return fromParseException(parse, raw);
			}
			if (cause instanceof TokenMgrException lexical) {
				Matcher m = LEXICAL.matcher(String.valueOf(lexical.getMessage()));
				Position at = m.find() ? SourcePositions.fromParser(raw.text(), Integer.parseInt(m.group(1)),
						Integer.parseInt(m.group(2))) : Position.START;
				return QueryException.at(at, "unexpected character");
			}
			if (cause instanceof StackOverflowError) {
				return QueryException.at(Position.START, "the query is nested too deeply");
			}
			if (cause instanceof java.util.concurrent.TimeoutException) {
				return QueryException.at(Position.START, "the query is too complex to parse in time");
			}
			cause = cause.getCause();
		}
		return QueryException.at(Position.START,
				"the query cannot be parsed; expected SELECT contact_id, updated_at FROM contact_data ...");
	}

	private static QueryException fromParseException(ParseException ex, RawText raw) {
		Token current = ex.currentToken;
		Token bad = current == null ? null : current.next;
		if (bad == null || bad.image == null) {
			return QueryException.at(Position.START,
					"the query cannot be parsed; expected SELECT contact_id, updated_at FROM contact_data ...");
		}
		Position at = SourcePositions.fromParser(raw.text(), Math.max(1, bad.beginLine), Math.max(1, bad.beginColumn));
		// the parser backtracks and reports where a whole clause failed; look on from
		// there for
		// the first token that cannot follow its neighbour, which is what the user got
		// wrong
		RawText.Token culprit = SyntaxHint.firstMisplaced(raw, at);
		// END is a sentinel token, compared by identity on purpose
		if (isEnd(culprit)) {
			return QueryException.at(endOf(raw), "unexpected end of query", "; expected a value, column or condition");
		}
		if (culprit != null) {
			return QueryException.at(culprit.position(), "unexpected '" + culprit.text() + "'",
					"; expected a value, column or condition");
		}
		String expected = expected(ex);
		if (bad.kind == 0 || bad.image.isEmpty()) {
			Position end = endOf(raw);
			return QueryException.at(end, "unexpected end of query",
					expected.isEmpty() ? "" : "; expected " + expected);
		}
		String token = bad.image.length() > 40 ? bad.image.substring(0, 40) + "..." : bad.image;
		String shown = token.startsWith("'") ? "string " + token : "'" + token + "'";
		return QueryException.at(at, "unexpected " + shown, expected.isEmpty() ? "" : "; expected " + expected);
	}

	private static Position endOf(RawText raw) {
		List<RawText.Token> tokens = raw.tokens();
		if (tokens.isEmpty()) {
			return Position.START;
		}
		RawText.Token last = tokens.get(tokens.size() - 1);
		return new Position(last.position().line(), last.position().column() + last.text().length());
	}

	/**
	 * The expected tokens that belong to our language, so the hint never lists the whole
	 * of SQL.
	 */
	private static String expected(ParseException ex) {
		if (ex.expectedTokenSequences == null || ex.tokenImage == null) {
			return "";
		}
		List<String> ours = new ArrayList<>();
		for (int[] sequence : ex.expectedTokenSequences) {
			if (sequence.length == 0 || sequence[0] >= ex.tokenImage.length) {
				continue;
			}
			String image = ex.tokenImage[sequence[0]];
			String word = image.startsWith("\"") && image.endsWith("\"") && image.length() > 2
					? image.substring(1, image.length() - 1) : image;
			String shown = switch (word.toUpperCase(java.util.Locale.ROOT)) {
				case "SELECT", "<K_SELECT>" -> "SELECT";
				case "FROM", "WHERE", "JOIN", "ON", "AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE", "ILIKE", "BETWEEN",
						"GROUP", "BY", "HAVING", "AS", "EXISTS", "INTERVAL", "TIMESTAMP", "(", ")", ",", "=", "[",
						"]" ->
					word.toUpperCase(java.util.Locale.ROOT);
				case "<S_IDENTIFIER>", "<S_QUOTED_IDENTIFIER>" -> "an identifier";
				case "<S_CHAR_LITERAL>" -> "a string";
				case "<S_LONG>", "<S_DOUBLE>" -> "a number";
				case "<EOF>" -> "the end of the query";
				default -> null;
			};
			if (shown != null && !ours.contains("'" + shown + "'") && !ours.contains(shown)) {
				ours.add(shown.startsWith("a") && shown.contains(" ") || shown.startsWith("the ") ? shown
						: "'" + shown + "'");
			}
		}
		if (ours.size() > 8) {
			ours = ours.subList(0, 8);
		}
		return String.join(", ", ours);
	}

	@SuppressWarnings("ReferenceEquality") // a sentinel: only that very token means the
											// end
	private static boolean isEnd(RawText.Token token) {
		return token == SyntaxHint.END;
	}

}
