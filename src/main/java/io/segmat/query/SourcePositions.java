package io.segmat.query;

import java.util.List;

import net.sf.jsqlparser.expression.ArrayConstructor;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JsonExpression;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.parser.ASTNodeAccess;
import net.sf.jsqlparser.parser.SimpleNode;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;

/**
 * Where in the user's text a construct of the parse tree is, so that an error names the
 * construct that is wrong and not an earlier one spelt the same. JSqlParser keeps the
 * tokens of most nodes (columns, calls, literals, tables, selects); a keyword is found
 * among the tokens of the node it belongs to. Only a construct the parser keeps no token
 * for falls back to the first occurrence in the text.
 */
final class SourcePositions {

	private final RawText raw;

	SourcePositions(RawText raw) {
		this.raw = raw;
	}

	RawText raw() {
		return this.raw;
	}

	static QueryException error(Position at, String message) {
		return QueryException.at(at == null ? Position.START : at, message);
	}

	QueryException error(Expression at, String message) {
		return error(where(at), message);
	}

	/** Where an expression starts: its leftmost operand, call, column or literal. */
	Position where(Expression e) {
		Position p = find(e, 0);
		return p == null ? Position.START : p;
	}

	private Position find(Expression e, int depth) {
		if (e == null || depth > 50) {
			return null;
		}
		if (e instanceof JsonExpression json) {
			return find(json.getExpression(), depth + 1);
		}
		if (e instanceof BinaryExpression b) {
			Position p = find(b.getLeftExpression(), depth + 1);
			return p != null ? p : find(b.getRightExpression(), depth + 1);
		}
		if (e instanceof InExpression in) {
			return find(in.getLeftExpression(), depth + 1);
		}
		if (e instanceof IsNullExpression n) {
			return find(n.getLeftExpression(), depth + 1);
		}
		if (e instanceof Between b) {
			return find(b.getLeftExpression(), depth + 1);
		}
		if (e instanceof NotExpression n) {
			return find(n.getExpression(), depth + 1);
		}
		if (e instanceof SignedExpression s) {
			Position p = find(s.getExpression(), depth + 1);
			return p != null ? p : start(s);
		}
		if (e instanceof CastExpression c) {
			Position p = find(c.getLeftExpression(), depth + 1);
			return p != null ? p : start(c);
		}
		if (e instanceof ExistsExpression exists) {
			return keywordBefore(exists.getRightExpression(), "EXISTS");
		}
		if (e instanceof ParenthesedSelect sub) {
			Position p = start(sub.getSelect());
			return p != null ? p : start(sub);
		}
		if (e instanceof ExpressionList<?> list && !list.isEmpty()) {
			Position p = find((Expression) list.get(0), depth + 1);
			return p != null ? p : start(list);
		}
		if (e instanceof ArrayConstructor a && a.getExpressions() != null && !a.getExpressions().isEmpty()) {
			Position p = find((Expression) a.getExpressions().get(0), depth + 1);
			return p != null ? p : start(a);
		}
		return start(e);
	}

	/** Where a function's name is. */
	Position call(Function f) {
		Position p = start(f);
		if (p != null) {
			return p;
		}
		p = this.raw.findCall(f.getName());
		return p == null ? Position.START : p;
	}

	/** Where a column's qualifier is. */
	Position qualifier(Column column) {
		return orStart(start(column));
	}

	/** Where a column's own name is, after any qualifier. */
	Position columnName(Column column) {
		SimpleNode node = column.getASTNode();
		if (node != null && node.jjtGetLastToken() != null) {
			return position(node.jjtGetLastToken());
		}
		return orStart(this.raw.findWord(Identifiers.unquote(column.getColumnName())));
	}

	/** Where a table's name is, after any schema. */
	Position table(Table table) {
		String name = Identifiers.unquote(table.getName());
		Token token = firstToken(table, 0, name);
		if (token != null) {
			return position(token);
		}
		Position p = start(table);
		return p != null ? p : orStart(this.raw.findWord(name));
	}

	/** Where one of the words is among a select's own clauses, outside parentheses. */
	Position clauseWord(PlainSelect select, String... words) {
		Token token = firstToken(select, 0, words);
		return token != null ? position(token) : firstOf(words);
	}

	/** Where the first UNION, INTERSECT, EXCEPT or MINUS of a set operation is. */
	Position setOperator(SetOperationList operations) {
		List<Select> selects = operations.getSelects();
		SimpleNode first = selects == null || selects.isEmpty() ? null : selects.get(0).getASTNode();
		if (first != null && first.jjtGetLastToken() != null && first.jjtGetLastToken().next != null) {
			return position(first.jjtGetLastToken().next);
		}
		return firstOf("UNION", "INTERSECT", "EXCEPT", "MINUS");
	}

	/** Where a join's JOIN keyword is, or the join itself when it has none. */
	Position join(Join join) {
		Token token = firstToken(join, 0, "JOIN");
		if (token != null) {
			return position(token);
		}
		Position p = start(join);
		return p != null ? p : firstOf("JOIN", ",");
	}

	/** Where {@code *} is in a select list. */
	Position allColumns(SelectItem<?> item) {
		Position p = start(item);
		return p != null ? p : firstOf("*");
	}

	/** Where a cast is: its CAST keyword or its {@code ::}. */
	Position cast(CastExpression cast) {
		Token token = firstToken(cast, -1, cast.isUseCastKeyword() ? "CAST" : "::");
		if (token != null) {
			return position(token);
		}
		return where(cast.getLeftExpression());
	}

	/** Where {@code word} first is among the tokens of {@code node}. */
	Position after(ASTNodeAccess node, String word) {
		Token token = firstToken(node, -1, word);
		return token != null ? position(token) : firstOf(word);
	}

	/**
	 * Where the string literal {@code value} is: the first such literal from where
	 * {@code where} starts, or {@code where} itself.
	 */
	Position string(String value, Expression where) {
		Position from = where(where);
		for (RawText.Token token : this.raw.tokens()) {
			if (token.kind() == RawText.Kind.STRING && token.value().equals(value)
					&& !isBefore(token.position(), from)) {
				return token.position();
			}
		}
		return from;
	}

	/** The first occurrence of one of the words or symbols in the text. */
	Position firstOf(String... words) {
		for (String word : words) {
			Position p = word.length() <= 2 && !Character.isLetter(word.charAt(0)) ? this.raw.findSymbol(word)
					: this.raw.findWord(word);
			if (p != null) {
				return p;
			}
		}
		return Position.START;
	}

	private Position keywordBefore(Expression next, String word) {
		Position at = start(next);
		List<RawText.Token> tokens = this.raw.tokens();
		for (int i = 1; at != null && i < tokens.size(); i++) {
			if (tokens.get(i).position().equals(at) && tokens.get(i - 1).isWord(word)) {
				return tokens.get(i - 1).position();
			}
		}
		return this.raw.findWord(word);
	}

	/**
	 * The first token of {@code node} equal to one of {@code images}, ignoring case: at
	 * the node's own level of parentheses when {@code depth} is 0, at any level when it
	 * is -1.
	 */
	private static Token firstToken(Object node, int depth, String... images) {
		SimpleNode ast = node instanceof ASTNodeAccess access ? access.getASTNode() : null;
		if (ast == null || ast.jjtGetFirstToken() == null) {
			return null;
		}
		Token last = ast.jjtGetLastToken();
		int level = 0;
		for (Token t = ast.jjtGetFirstToken(); t != null; t = t.next) {
			if (depth < 0 || level == depth) {
				for (String image : images) {
					if (image.equalsIgnoreCase(Identifiers.unquote(t.image))) {
						return t;
					}
				}
			}
			if ("(".equals(t.image)) {
				level++;
			}
			else if (")".equals(t.image)) {
				level--;
			}
			if (t == last) {
				break;
			}
		}
		return null;
	}

	private Position start(Object node) {
		SimpleNode ast = node instanceof ASTNodeAccess access ? access.getASTNode() : null;
		return ast == null || ast.jjtGetFirstToken() == null ? null : position(ast.jjtGetFirstToken());
	}

	private Position position(Token token) {
		return fromParser(this.raw.text(), token.beginLine, token.beginColumn);
	}

	/**
	 * The position in {@code text} of a line and column as the parser counts them. The
	 * parser also ends a line at a lone carriage return; this text, like the user's
	 * editor, ends lines at line feeds only.
	 */
	static Position fromParser(String text, int line, int column) {
		if (text.indexOf('\r') < 0) {
			return new Position(line, column);
		}
		int parserLine = 1;
		int parserColumn = 0;
		boolean afterCr = false;
		boolean afterLf = false;
		int rawLine = 1;
		int rawLineStart = 0;
		for (int i = 0; i < text.length(); i++) {
			char ch = text.charAt(i);
			parserColumn++;
			if (afterLf) {
				afterLf = false;
				parserLine++;
				parserColumn = 1;
			}
			else if (afterCr) {
				afterCr = false;
				if (ch == '\n') {
					afterLf = true;
				}
				else {
					parserLine++;
					parserColumn = 1;
				}
			}
			if (ch == '\r') {
				afterCr = true;
			}
			else if (ch == '\n') {
				afterLf = true;
			}
			if (parserLine == line && parserColumn == column) {
				return new Position(rawLine, i - rawLineStart + 1);
			}
			if (ch == '\n') {
				rawLine++;
				rawLineStart = i + 1;
			}
		}
		return new Position(line, column);
	}

	private static Position orStart(Position p) {
		return p == null ? Position.START : p;
	}

	private static boolean isBefore(Position a, Position b) {
		return a.line() < b.line() || a.line() == b.line() && a.column() < b.column();
	}

}
