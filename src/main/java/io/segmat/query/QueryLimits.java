package io.segmat.query;

/**
 * Size limits checked on the raw query text before it reaches the parser, so that hostile
 * input costs little and cannot overflow the parser's stack.
 *
 * @param maxLength the longest accepted query text, in characters (default 100,000)
 * @param maxDepth the deepest nesting of parentheses and brackets outside string literals
 * and quoted identifiers (default 50)
 * @param maxInValues the most values in one parenthesized or bracketed list, such as an
 * {@code IN (...)} list or an array literal (default 1,000)
 *
 * <p>
 * Besides these, a query may hold at most 2,000 AND, OR and NOT operators, and its
 * compiled form at most 30,000 bound parameters; see the package documentation.
 */
public record QueryLimits(int maxLength, int maxDepth, int maxInValues) {

	public QueryLimits {
		if (maxLength < 1 || maxDepth < 1 || maxInValues < 1) {
			throw new IllegalArgumentException("query limits must be positive");
		}
	}

	public static QueryLimits defaults() {
		return new QueryLimits(100_000, 50, 1_000);
	}

}
