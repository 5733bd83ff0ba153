package io.segmat.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds the first misplaced token after the point where JSqlParser gave up: an operator
 * or keyword that needs an operand but is followed by another operator, a closing token
 * or the end.
 */
final class SyntaxHint {

	/** Stands for "the query ended where an operand was needed". */
	static final RawText.Token END = new RawText.Token(RawText.Kind.SYMBOL, "", "", Position.START);

	private static final Set<String> NEEDS_OPERAND = Set.of("=", "<", ">", "<=", ">=", "<>", "!=", "+", "-", "*", "/",
			"%", "and", "or", "not", "like", "ilike", "between", "where", "on", "having", "select", ",", "(", "in",
			"by");

	private static final Set<String> CANNOT_START_OPERAND = Set.of("=", "<", ">", "<=", ">=", "<>", "!=", "*", "/", "%",
			"and", "or", "like", "ilike", "between", "where", "on", "having", "from", "group", "by", ",", ")", ";",
			"is", "join", "then", "else", "end");

	private SyntaxHint() {
	}

	static RawText.Token firstMisplaced(RawText raw, Position from) {
		List<RawText.Token> tokens = merged(raw.tokens());
		if (tokens.isEmpty() || !before(tokens.get(0).position(), from)) {
			return null; // the statement itself is not one we know; the parser's report
							// says so
		}
		for (int i = 0; i < tokens.size(); i++) {
			RawText.Token token = tokens.get(i);
			if (before(token.position(), from)) {
				continue;
			}
			String here = key(token);
			if (!NEEDS_OPERAND.contains(here)) {
				continue;
			}
			if (i + 1 >= tokens.size() || tokens.get(i + 1).isSymbol(";")) {
				return END;
			}
			RawText.Token next = tokens.get(i + 1);
			String after = key(next);
			boolean allowedPair = (here.equals("(") && after.equals(")")) // f()
					|| (after.equals("*") && Set.of("select", "(", ",").contains(here)) // SELECT
																						// *,
																						// count(*)
					|| (here.equals("not") && Set.of("in", "like", "ilike", "between").contains(after));
			if (!allowedPair && CANNOT_START_OPERAND.contains(after)) {
				return next;
			}
		}
		return null;
	}

	private static boolean before(Position a, Position b) {
		return a.line() < b.line() || (a.line() == b.line() && a.column() < b.column());
	}

	private static String key(RawText.Token token) {
		return token.kind() == RawText.Kind.WORD || token.kind() == RawText.Kind.SYMBOL
				? token.text().toLowerCase(Locale.ROOT) : "";
	}

	/** Joins adjacent symbol characters that form one operator: <=, >=, <>, !=. */
	private static List<RawText.Token> merged(List<RawText.Token> tokens) {
		List<RawText.Token> out = new ArrayList<>();
		for (RawText.Token token : tokens) {
			if (!out.isEmpty() && token.kind() == RawText.Kind.SYMBOL) {
				RawText.Token last = out.get(out.size() - 1);
				String pair = last.text() + token.text();
				boolean adjacent = last.kind() == RawText.Kind.SYMBOL
						&& last.position().line() == token.position().line()
						&& last.position().column() + last.text().length() == token.position().column();
				if (adjacent && Set.of("<=", ">=", "<>", "!=").contains(pair)) {
					out.set(out.size() - 1, new RawText.Token(RawText.Kind.SYMBOL, pair, pair, last.position()));
					continue;
				}
			}
			out.add(token);
		}
		return out;
	}

}
