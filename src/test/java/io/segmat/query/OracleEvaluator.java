package io.segmat.query;

import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * SQL's three-valued logic and the statement's membership rule, written from the language
 * spec. Boolean null is "unknown"; WHERE keeps a row only when its predicate is TRUE.
 */
final class OracleEvaluator {

	private OracleEvaluator() {
	}

	/** The emails of the members of {@code query} over {@code data}, sorted. */
	static SortedSet<String> members(OracleExpr.Query query, OracleData data) {
		SortedSet<String> members = new TreeSet<>();
		for (int i = 0; i < data.contacts().size(); i++) {
			OracleData.Contact contact = data.contacts().get(i);
			if (query.parentList() != null && !contact.listIds().contains(query.parentList())) {
				continue;
			}
			if (isMember(query, data, i, contact)) {
				members.add(contact.email());
			}
		}
		return members;
	}

	private static boolean isMember(OracleExpr.Query query, OracleData data, int index, OracleData.Contact contact) {
		if (!query.join()) {
			return query.where() == null
					|| Boolean.TRUE.equals(query.where().eval(new OracleExpr.Row(data, contact, null)));
		}
		// An inner join keeps a contact only through its own events; one making WHERE
		// true suffices.
		List<OracleData.Event> passing = data.events()
			.stream()
			.filter(e -> e.contact() == index)
			.filter(e -> query.where() == null
					|| Boolean.TRUE.equals(query.where().eval(new OracleExpr.Row(data, contact, e))))
			.toList();
		if (passing.isEmpty()) {
			return false;
		}
		return query.grouping() == null
				|| Boolean.TRUE.equals(query.grouping().eval(new OracleExpr.Row(data, contact, null), passing));
	}

	/** A comparison of two values of the same type; unknown when either is NULL. */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	static Boolean compare(Object left, String operator, Object right) {
		if (left == null || right == null) {
			return null;
		}
		if (left.getClass() != right.getClass()) {
			throw new IllegalArgumentException("the generator compared " + left.getClass().getSimpleName() + " with "
					+ right.getClass().getSimpleName() + ": " + left + " " + operator + " " + right);
		}
		int c = ((Comparable) left).compareTo(right);
		return switch (operator) {
			case "=" -> c == 0;
			case "!=", "<>" -> c != 0;
			case "<" -> c < 0;
			case "<=" -> c <= 0;
			case ">" -> c > 0;
			case ">=" -> c >= 0;
			default -> throw new IllegalArgumentException(operator);
		};
	}

	/** FALSE if any operand is FALSE, else unknown if any is unknown, else TRUE. */
	static Boolean and(List<Boolean> operands) {
		if (operands.stream().anyMatch(Boolean.FALSE::equals)) {
			return false;
		}
		return operands.stream().anyMatch(Objects::isNull) ? null : true;
	}

	/** TRUE if any operand is TRUE, else unknown if any is unknown, else FALSE. */
	static Boolean or(List<Boolean> operands) {
		if (operands.stream().anyMatch(Boolean.TRUE::equals)) {
			return true;
		}
		return operands.stream().anyMatch(Objects::isNull) ? null : false;
	}

	static Boolean not(Boolean operand) {
		return operand == null ? null : !operand;
	}

	static boolean like(String value, String pattern, boolean caseInsensitive) {
		return OracleExpr.likePattern(pattern, caseInsensitive).matcher(value).matches();
	}

}
