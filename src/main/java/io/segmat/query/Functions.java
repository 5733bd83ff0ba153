package io.segmat.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TrimFunction;
import net.sf.jsqlparser.schema.Column;

import io.segmat.query.Frag.Type;

/**
 * The language's functions: the scalar ones, array_contains over lists and arrays, and
 * MAX, MIN and COUNT through {@link Aggregates}. Any other name is refused.
 */
final class Functions {

	static final List<String> ALLOWED = List.of("array_contains", "contains", "timestampadd", "now", "lower", "upper",
			"length", "concat", "trim", "coalesce", "date_trunc");

	private final ExpressionCompiler expressions;

	private final CompileContext context;

	private final SourcePositions positions;

	private final Coercions coercions;

	private final Literals literals;

	private final Arithmetic arithmetic;

	private final Aggregates aggregates;

	Functions(ExpressionCompiler expressions, CompileContext context, SourcePositions positions, Coercions coercions,
			Literals literals, Arithmetic arithmetic) {
		this.expressions = expressions;
		this.context = context;
		this.positions = positions;
		this.coercions = coercions;
		this.literals = literals;
		this.arithmetic = arithmetic;
		this.aggregates = new Aggregates(expressions, context, positions);
	}

	Frag call(Function f, Scope scope) {
		String name = f.getName() == null ? "" : Identifiers.unquote(f.getName()).toLowerCase(Locale.ROOT);
		if (f.getMultipartName() != null && f.getMultipartName().size() > 1) {
			throw SourcePositions.error(this.positions.call(f), "function '" + f.getName() + "' is not allowed");
		}
		if (List.of("max", "min", "count").contains(name)) {
			return this.aggregates.aggregate(f, name, scope);
		}
		if (!ALLOWED.contains(name)) {
			throw QueryException.at(this.positions.call(f), "function '" + f.getName() + "' is not allowed",
					"; allowed functions are " + String.join(", ", ALLOWED));
		}
		if (f.isDistinct() || f.isAllColumns() || !isPlainCall(f)) {
			throw SourcePositions.error(this.positions.call(f),
					"unexpected modifiers in '" + Identifiers.shorten(f.toString()) + "'");
		}
		List<Expression> args = arguments(f);
		return switch (name) {
			case "now" -> {
				arity(f, args, 0);
				yield this.context.clock().now();
			}
			case "lower", "upper", "trim" -> {
				arity(f, args, 1);
				yield Frag.compose(Type.TEXT, name + "(", text(args.get(0), scope), ")");
			}
			case "length" -> {
				arity(f, args, 1);
				yield Frag.compose(Type.NUMBER, "char_length(", text(args.get(0), scope), ")");
			}
			case "concat" -> concat(f, args, scope);
			case "coalesce" -> coalesce(f, args, scope);
			case "date_trunc" -> dateTrunc(f, args, scope);
			case "timestampadd" -> timestampadd(f, args, scope);
			case "array_contains", "contains" -> arrayContains(f, args, scope);
			default -> throw new IllegalStateException(name);
		};
	}

	/** JSqlParser's own node for trim: only the plain trim(text) is the language's. */
	Frag trim(TrimFunction trim, Scope scope) {
		if (trim.getTrimSpecification() != null || trim.getFromExpression() != null || trim.getExpression() == null) {
			throw this.positions.error(trim, "expected trim(text)");
		}
		return Frag.compose(Type.TEXT, "trim(", text(trim.getExpression(), scope), ")");
	}

	static List<Expression> arguments(Function f) {
		List<Expression> args = new ArrayList<>();
		if (f.getParameters() != null) {
			for (Object o : f.getParameters()) {
				args.add((Expression) o);
			}
		}
		return args;
	}

	private Frag text(Expression e, Scope scope) {
		return this.coercions.textual(this.expressions.expr(e, scope), e);
	}

	/**
	 * Whether the call is name(args) with at most DISTINCT: no FILTER, OVER, KEEP, ORDER
	 * BY, ...
	 */
	static boolean isPlainCall(Function f) {
		Function plain = new Function();
		plain.setName(f.getName());
		plain.setParameters(f.getParameters());
		plain.setDistinct(f.isDistinct());
		plain.setAllColumns(f.isAllColumns());
		return f.getNamedParameters() == null && plain.toString().equals(f.toString());
	}

	void arity(Function f, List<Expression> args, int expected) {
		if (args.size() != expected) {
			throw SourcePositions.error(this.positions.call(f), "function '" + f.getName() + "' takes " + expected
					+ " argument" + (expected == 1 ? "" : "s") + ", found " + args.size());
		}
	}

	private Frag concat(Function f, List<Expression> args, Scope scope) {
		if (args.isEmpty()) {
			throw SourcePositions.error(this.positions.call(f), "concat needs at least one argument");
		}
		List<Object> parts = new ArrayList<>();
		parts.add("concat(");
		for (int i = 0; i < args.size(); i++) {
			Frag a = this.expressions.expr(args.get(i), scope);
			if (a.type() == Type.LIST_IDS || a.type() == Type.LIST || a.type() == Type.TEXT_ARRAY) {
				throw this.positions.error(args.get(i), "concat takes text, numbers or timestamps");
			}
			parts.add(i == 0 ? "" : ", ");
			parts.add(a);
		}
		parts.add(")");
		return Frag.compose(Type.TEXT, parts.toArray());
	}

	private Frag dateTrunc(Function f, List<Expression> args, Scope scope) {
		arity(f, args, 2);
		String unit = unitArgument(args.get(0));
		Frag ts = this.expressions.expr(args.get(1), scope);
		if (ts.isStringLiteral()) {
			ts = this.coercions.convert(ts, Type.TIMESTAMP, args.get(1));
		}
		if (ts.type() == Type.NULL) {
			ts = Frag.of("NULL::timestamptz", Type.TIMESTAMP);
		}
		if (ts.type() != Type.TIMESTAMP) {
			throw this.positions.error(args.get(1), "date_trunc needs a timestamp, found " + ts.type().label);
		}
		// truncation is a staircase: it never decreases as the clock runs
		return Frag.compose(Type.TIMESTAMP, "date_trunc(", new Frag.Param("?::text", unit), ", ", ts, ", 'UTC')")
			.withClock(ts.clock());
	}

	private String unitArgument(Expression e) {
		if (e instanceof Column column && column.getTable() == null) {
			return this.literals.unit(Identifiers.unquote(column.getColumnName()), this.positions.where(e));
		}
		if (e instanceof StringValue s) {
			return this.literals.unit(RawText.decodeString(s.getValue()), this.positions.where(e));
		}
		throw this.positions.error(e, "expected a time unit like day");
	}

	private Frag coalesce(Function f, List<Expression> args, Scope scope) {
		if (args.isEmpty()) {
			throw SourcePositions.error(this.positions.call(f), "coalesce needs at least one argument");
		}
		List<Frag> values = new ArrayList<>();
		Type type = null;
		for (Expression a : args) {
			Frag v = this.expressions.expr(a, scope);
			values.add(v);
			if (type == null && v.type() != Type.NULL && !v.isConstant()) {
				type = v.type();
			}
		}
		if (type == null) {
			type = values.stream().map(Frag::type).filter(t -> t != Type.NULL).findFirst().orElse(Type.NULL);
		}
		if (type == Type.LIST_IDS || type == Type.LIST) {
			throw SourcePositions.error(this.positions.call(f), "coalesce takes values, not lists");
		}
		List<Object> parts = new ArrayList<>();
		parts.add("coalesce(");
		for (int i = 0; i < values.size(); i++) {
			Frag v = values.get(i);
			if (v.type() != type && v.type() != Type.NULL) {
				if (!v.isConstant()) {
					throw this.positions.error(args.get(i),
							"coalesce arguments must have one type: found " + type.label + " and " + v.type().label);
				}
				v = this.coercions.convert(v, type, args.get(i));
			}
			parts.add(i == 0 ? "" : ", ");
			parts.add(v);
		}
		parts.add(")");
		return Frag.compose(type, parts.toArray());
	}

	private Frag timestampadd(Function f, List<Expression> args, Scope scope) {
		arity(f, args, 3);
		String unit = unitArgument(args.get(0));
		Frag amount = this.expressions.expr(args.get(1), scope);
		if (amount.isStringLiteral()) {
			amount = this.coercions.convert(amount, Type.NUMBER, args.get(1));
		}
		if (amount.type() != Type.NUMBER) {
			throw this.positions.error(args.get(1),
					"timestampadd needs a number of units, found " + amount.type().label);
		}
		Frag ts = this.expressions.expr(args.get(2), scope);
		if (ts.isStringLiteral()) {
			ts = this.coercions.convert(ts, Type.TIMESTAMP, args.get(2));
		}
		if (ts.type() == Type.NULL) {
			ts = Frag.of("NULL::timestamptz", Type.TIMESTAMP);
		}
		if (amount.type() == Type.NULL) {
			amount = Frag.of("NULL::numeric", Type.NUMBER);
		}
		if (ts.type() != Type.TIMESTAMP) {
			throw this.positions.error(args.get(2), "timestampadd needs a timestamp, found " + ts.type().label);
		}
		if (amount.constant() instanceof BigDecimal n) {
			long whole;
			try {
				whole = n.longValueExact();
			}
			catch (ArithmeticException ex) {
				throw this.positions.error(args.get(1),
						"timestampadd needs a whole number of units, found " + n.toPlainString());
			}
			if (Math.abs(whole) > Literals.maxAmount(unit)) {
				throw this.positions.error(args.get(1), "timestampadd amount " + whole + " is out of range");
			}
			if (ts.constant() instanceof Instant t) {
				return Frag.timestamp(this.arithmetic.plus(t, whole, unit, f)).withClock(ts.clock());
			}
			return this.arithmetic.shift(ts, Frag.interval(new Frag.Interval(whole, unit)), false, f);
		}
		return Frag.compose(Type.TIMESTAMP, "(((", ts, " AT TIME ZONE 'UTC') + (", amount, ") * ",
				new Frag.Param("?::interval", "1 " + unit), ") AT TIME ZONE 'UTC')");
	}

	private Frag arrayContains(Function f, List<Expression> args, Scope scope) {
		arity(f, args, 2);
		Frag array = this.expressions.expr(args.get(0), scope);
		Frag value = this.expressions.expr(args.get(1), scope);
		if (array.type() == Type.LIST_IDS) {
			return listMembership(value, args.get(1));
		}
		if (array.type() != Type.TEXT_ARRAY) {
			throw this.positions.error(args.get(0),
					"'" + f.getName() + "' needs an array column (list_ids, email_domains, alternate_emails), found "
							+ array.type().label);
		}
		if (value.constant() instanceof Frag.Values values) {
			String[] items = values.items().stream().map(v -> (String) v.constant()).toArray(String[]::new);
			return Frag.compose(Type.BOOLEAN, "(", array, " && ", new Frag.Param("?::text[]", items), ")");
		}
		if (value.isStringLiteral()) {
			return Frag.compose(Type.BOOLEAN, "(", array, " @> ",
					new Frag.Param("?::text[]", new String[] { (String) value.constant() }), ")");
		}
		if (value.type() == Type.TEXT) {
			return Frag.compose(Type.BOOLEAN, "(", value, " = ANY(", array, "))");
		}
		throw this.positions.error(args.get(1), "expected a text value or ['a', ...], found " + value.type().label);
	}

	/**
	 * array_contains(list_ids, ...): membership in one of the named lists. With constant
	 * ids it also has a key set, the memberships themselves; one id selects each contact
	 * at most once (the primary key is the list and the contact).
	 */
	private Frag listMembership(Frag value, Expression argument) {
		String alias = this.context.listAlias();
		String rows = " FROM list_member " + alias + " WHERE ";
		if (value.constant() instanceof Frag.Values values) {
			Set<String> ids = new LinkedHashSet<>();
			for (Frag item : values.items()) {
				ids.add(listId((String) item.constant(), argument));
			}
			if (ids.size() == 1) {
				return oneList(alias, new Frag.Param("?::uuid", ids.iterator().next()));
			}
			Frag.Param any = new Frag.Param("?::uuid[]", ids.toArray(String[]::new));
			Frag condition = Frag.compose(Type.BOOLEAN,
					"EXISTS (SELECT 1" + rows + alias + ".contact_key = c.contact_key AND " + alias + ".list_id = ANY(",
					any, "))");
			return this.context.keyed(condition,
					new KeySet(
							Frag.compose(Type.BOOLEAN,
									"SELECT " + alias + ".contact_key" + rows + alias + ".list_id = ANY(", any, ")"),
							false));
		}
		if (value.isStringLiteral()) {
			return oneList(alias, new Frag.Param("?::uuid", listId((String) value.constant(), argument)));
		}
		if (value.type() == Type.TEXT) {
			// a computed id: any list's membership may matter
			this.context.readsAnyList();
			return Frag.compose(Type.BOOLEAN, "EXISTS (SELECT 1" + rows + alias + ".contact_key = c.contact_key AND "
					+ alias + ".list_id::text = ", value, ")");
		}
		throw this.positions.error(argument, "expected a list id or ['id', ...], found " + value.type().label);
	}

	private Frag oneList(String alias, Frag.Param id) {
		String rows = " FROM list_member " + alias + " WHERE ";
		Frag condition = Frag.compose(Type.BOOLEAN,
				"EXISTS (SELECT 1" + rows + alias + ".contact_key = c.contact_key AND " + alias + ".list_id = ", id,
				")");
		return this.context.keyed(condition, new KeySet(
				Frag.compose(Type.BOOLEAN, "SELECT " + alias + ".contact_key" + rows + alias + ".list_id = ", id),
				true));
	}

	private String listId(String text, Expression where) {
		try {
			UUID id = UUID.fromString(text.trim());
			if (!id.toString().equalsIgnoreCase(text.trim())) {
				throw new IllegalArgumentException();
			}
			this.context.readsList(id);
			return id.toString();
		}
		catch (IllegalArgumentException ex) {
			throw SourcePositions.error(this.positions.string(text, where),
					"'" + Identifiers.shorten(text) + "' is not a list id; expected a list's uuid");
		}
	}

}
