package io.segmat.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import net.sf.jsqlparser.expression.ArrayConstructor;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.IntervalExpression;
import net.sf.jsqlparser.expression.JsonExpression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TimeKeyExpression;
import net.sf.jsqlparser.expression.TrimFunction;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;

import io.segmat.query.Frag.Type;

/**
 * Checks a parsed statement against the language and compiles it to PostgreSQL over
 * segmat's schema. Every identifier in the output is one the compiler chose; every
 * literal is a bound parameter.
 */
final class Translator {

	static final Map<String, String> CONTACT_TEXT_COLUMNS = new LinkedHashMap<>();

	static {
		for (String name : List.of("email", "phone_number_id", "external_id", "anonymous_id", "first_name", "last_name",
				"address_line_1", "address_line_2", "city", "state_province_region", "postal_code", "country",
				"phone_number", "whatsapp", "line", "facebook", "unique_name")) {
			CONTACT_TEXT_COLUMNS.put(name, "c." + name);
		}
	}

	static final List<String> CONTACT_COLUMNS = List.of("contact_id", "email", "phone_number_id", "external_id",
			"anonymous_id", "first_name", "last_name", "alternate_emails", "address_line_1", "address_line_2", "city",
			"state_province_region", "postal_code", "country", "phone_number", "whatsapp", "line", "facebook",
			"unique_name", "list_ids", "email_domains", "created_at", "updated_at");

	static final List<String> EVENT_COLUMNS = List.of("contact_id", "event_source", "event_type", "timestamp",
			"event_timestamp", "data", "singlesend_id", "automation_id", "template_id", "url");

	private static final List<String> FUNCTIONS = List.of("array_contains", "contains", "timestampadd", "now", "lower",
			"upper", "length", "concat", "trim", "coalesce", "date_trunc");

	private static final List<String> UNITS = List.of("second", "minute", "hour", "day", "week", "month", "year");

	private static final Pattern FIELD_ID = Pattern.compile("e[0-9]+_[TND]");

	private static final Pattern JSON_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	/**
	 * A table in scope: the contact (SQL alias c) or an event row (SQL alias e0, e1,
	 * ...).
	 */
	private record Source(String table, String alias, boolean event, String sqlAlias) {

		boolean answersTo(String qualifier) {
			return qualifier.equalsIgnoreCase(this.table)
					|| (this.alias != null && qualifier.equalsIgnoreCase(this.alias));
		}

	}

	/**
	 * What an expression may see: sources innermost first, and whether aggregates are
	 * allowed.
	 */
	private record Scope(List<Source> sources, boolean having, boolean insideAggregate) {

		Scope aggregateArgument() {
			return new Scope(this.sources, this.having, true);
		}

	}

	private final RawText raw;

	private final FieldCatalog fields;

	private final Instant asOf;

	private final Set<String> contactColumns = new LinkedHashSet<>();

	private final Set<UUID> listIds = new LinkedHashSet<>();

	private boolean anyList;

	private boolean events;

	private boolean clock;

	private final List<ClockBoundary> boundaries = new ArrayList<>();

	// MAX/MIN in HAVING, to the per-event value they aggregate: a bound on the aggregate
	// is crossed
	// only when some event's value is
	private final Map<Frag, Frag> aggregateArguments = new IdentityHashMap<>();

	private int eventAliases;

	private int listAliases;

	private final Map<String, Expression> selectAliases = new LinkedHashMap<>();

	Translator(RawText raw, FieldCatalog fields, Instant asOf) {
		this.raw = raw;
		this.fields = fields;
		this.asOf = asOf;
	}

	record Result(String sql, List<Object> parameters, QueryDependencies dependencies, List<ClockBoundary> boundaries,
			boolean clockBounded) {
	}

	Result translate(Statement statement, UUID parentListId) {
		PlainSelect select = topSelect(statement);
		Source contact = contactSource(select);
		List<Source> top = new ArrayList<>();
		top.add(contact);
		Source joined = join(select, contact);
		if (joined != null) {
			top.add(0, joined);
		}
		selectList(select, contact, joined);
		boolean grouped = groupBy(select, contact, joined);
		Scope scope = new Scope(List.copyOf(top), false, false);

		List<Frag> contactSide = new ArrayList<>();
		List<Frag> eventSide = new ArrayList<>();
		for (Expression conjunct : conjuncts(InPrecedence.repair(select.getWhere()))) {
			Frag condition = condition(conjunct, scope);
			if (joined != null && condition.events().contains(joined.sqlAlias())) {
				eventSide.add(condition);
			}
			else {
				contactSide.add(condition);
			}
		}
		List<Object> where = new ArrayList<>(contactSide);
		if (joined != null) {
			List<Object> parts = new ArrayList<>();
			parts.add("EXISTS (SELECT 1 FROM email_event " + joined.sqlAlias() + " WHERE " + joined.sqlAlias()
					+ ".contact_key = c.contact_key");
			for (Frag f : eventSide) {
				parts.add(" AND ");
				parts.add(f);
			}
			if (grouped && select.getHaving() != null) {
				Scope havingScope = new Scope(scope.sources(), true, false);
				Frag having = condition(InPrecedence.repair(select.getHaving()), havingScope);
				// an aggregate over no rows is one row in SQL, but a contact without
				// events is no group
				parts.add(" HAVING count(*) > 0 AND ");
				parts.add(having);
			}
			parts.add(")");
			where.add(Frag.compose(Type.BOOLEAN, parts.toArray()));
		}
		if (parentListId != null) {
			this.listIds.add(parentListId);
			where.add(Frag.compose(Type.BOOLEAN,
					"EXISTS (SELECT 1 FROM list_member lm WHERE lm.contact_key = c.contact_key AND lm.list_id = ",
					new Frag.Param("?::uuid", parentListId.toString()), ")"));
		}
		List<Object> parts = new ArrayList<>();
		parts.add("SELECT c.contact_key FROM contact c");
		for (int i = 0; i < where.size(); i++) {
			parts.add(i == 0 ? " WHERE " : " AND ");
			parts.add(where.get(i));
		}
		Frag sql = Frag.compose(Type.BOOLEAN, parts.toArray());
		if (sql.params().size() > 30_000) {
			throw QueryException.at(Position.START,
					"the query has too many literal values: " + sql.params().size() + ", the limit is 30000");
		}
		return new Result(sql.sql(), sql.params(),
				new QueryDependencies(this.contactColumns, this.listIds, this.anyList, this.events, this.clock),
				this.boundaries, sql.clock() == Frag.Clock.NONE);
	}

	// ---------------------------------------------------------------- statement shape

	private PlainSelect topSelect(Statement statement) {
		if (statement instanceof SetOperationList) {
			throw error(firstOf("UNION", "INTERSECT", "EXCEPT", "MINUS"),
					"UNION, INTERSECT and EXCEPT are not allowed; expected one SELECT ... FROM contact_data");
		}
		if (!(statement instanceof PlainSelect select)) {
			String kind = this.raw.tokens().isEmpty() ? "?" : this.raw.tokens().get(0).text();
			if (statement instanceof Select) {
				throw error(Position.START, "expected SELECT contact_id, updated_at FROM contact_data ...");
			}
			throw error(Position.START,
					"'" + kind + "' statements are not allowed; only SELECT ... FROM contact_data is");
		}
		if (select.getWithItemsList() != null && !select.getWithItemsList().isEmpty()) {
			throw error(firstOf("WITH"), "WITH is not allowed");
		}
		onlyKnownClauses(select,
				"SELECT contact_id, updated_at FROM contact_data [JOIN event_data ...] [WHERE ...] [GROUP BY ... HAVING ...]");
		return select;
	}

	/**
	 * Rebuilds the select from the clauses this compiler understands and compares it with
	 * the parsed one: any clause the parser knows but the language does not (LIMIT, ORDER
	 * BY, DISTINCT, INTO, FOR UPDATE, WINDOW, ...) makes them differ and is refused.
	 */
	private void onlyKnownClauses(PlainSelect select, String expected) {
		PlainSelect known = new PlainSelect();
		known.setSelectItems(select.getSelectItems());
		known.setFromItem(select.getFromItem());
		known.setJoins(select.getJoins());
		known.setWhere(select.getWhere());
		known.setGroupByElement(select.getGroupBy());
		known.setHaving(select.getHaving());
		String parsed = select.toString().trim();
		String rebuilt = known.toString().trim();
		if (!parsed.equals(rebuilt)) {
			int at = 0;
			while (at < parsed.length() && at < rebuilt.length() && parsed.charAt(at) == rebuilt.charAt(at)) {
				at++;
			}
			String rest = parsed.substring(Math.min(at, parsed.length())).trim();
			String word = rest.isEmpty() ? "" : rest.split("[\\s(]+", 2)[0];
			Position position = word.isEmpty() ? Position.START : locateWord(word);
			throw error(position, "'" + (word.isEmpty() ? "clause" : word) + "' is not allowed; expected " + expected);
		}
	}

	private Source contactSource(PlainSelect select) {
		if (!(select.getFromItem() instanceof Table table)) {
			throw error(firstOf("FROM"), "expected FROM contact_data");
		}
		checkTable(table, "contact_data");
		return new Source("contact_data", alias(table), false, "c");
	}

	private void checkTable(Table table, String expected) {
		String name = table.getFullyQualifiedName();
		if (table.getSchemaName() != null
				|| table.getDatabase() != null && table.getDatabase().getDatabaseName() != null
				|| !unquote(table.getName()).equalsIgnoreCase(expected)) {
			String shown = unquote(table.getName());
			throw error(locateWord(shown), "unknown table '" + name + "'; expected " + expected);
		}
		if (table.getPivot() != null || table.getUnPivot() != null || table.getSampleClause() != null) {
			throw error(locateWord(unquote(table.getName())), "expected " + expected + " [AS alias]");
		}
	}

	private static String alias(Table table) {
		return table.getAlias() == null ? null : unquote(table.getAlias().getName());
	}

	private Source join(PlainSelect select, Source contact) {
		List<Join> joins = select.getJoins();
		if (joins == null || joins.isEmpty()) {
			return null;
		}
		if (joins.size() > 1) {
			throw error(nth("JOIN", 2), "only one JOIN with event_data is allowed");
		}
		Join join = joins.get(0);
		if (join.isLeft() || join.isRight() || join.isFull() || join.isOuter() || join.isCross() || join.isNatural()
				|| join.isSimple() || join.isApply() || join.isSemi() || join.isStraight()
				|| (join.getUsingColumns() != null && !join.getUsingColumns().isEmpty())) {
			throw error(firstOf("JOIN", ","), "only [INNER] JOIN event_data ON c.contact_id = e.contact_id is allowed");
		}
		if (!(join.getRightItem() instanceof Table table)) {
			throw error(firstOf("JOIN"), "expected JOIN event_data");
		}
		checkTable(table, "event_data");
		this.events = true;
		Source event = new Source("event_data", alias(table), true, "e" + this.eventAliases++);
		if (join.getOnExpressions() == null || join.getOnExpressions().size() != 1) {
			throw error(firstOf("JOIN"), "expected ON c.contact_id = e.contact_id");
		}
		Expression on = join.getOnExpressions().iterator().next();
		while (InPrecedence.group(on) != null) {
			on = InPrecedence.group(on);
		}
		List<Source> both = List.of(event, contact);
		if (!(on instanceof EqualsTo eq) || !isContactId(eq.getLeftExpression(), both)
				|| !isContactId(eq.getRightExpression(), both) || resolveSource((Column) eq.getLeftExpression(),
						both) == resolveSource((Column) eq.getRightExpression(), both)) {
			throw error(where(on), "a join is allowed only on contact_id: expected ON c.contact_id = e.contact_id");
		}
		return event;
	}

	private void selectList(PlainSelect select, Source contact, Source joined) {
		for (SelectItem<?> item : select.getSelectItems()) {
			Expression e = item.getExpression();
			if (e instanceof AllColumns) {
				throw error(firstOf("*"), "SELECT * is not allowed; expected SELECT contact_id, updated_at");
			}
			if (e instanceof Column column && item.getAlias() == null) {
				String name = unquote(column.getColumnName()).toLowerCase(Locale.ROOT);
				Source source = resolveSource(column, List.of(contact));
				if (source == contact && (name.equals("contact_id") || name.equals("updated_at"))) {
					continue;
				}
			}
			if (joined != null && e instanceof Function f && item.getAlias() != null
					&& List.of("max", "min").contains(f.getName().toLowerCase(Locale.ROOT))) {
				// checked where it is used: the alias may appear in HAVING
				this.selectAliases.put(unquote(item.getAlias().getName()).toLowerCase(Locale.ROOT), e);
				continue;
			}
			throw error(where(e),
					"'" + shorten(e.toString()) + "' is not allowed in the select list; expected contact_id, updated_at"
							+ (joined != null ? " and optionally MAX(e.timestamp) AS alias" : ""));
		}
	}

	private boolean groupBy(PlainSelect select, Source contact, Source joined) {
		GroupByElement group = select.getGroupBy();
		if (group == null) {
			if (select.getHaving() != null) {
				throw error(firstOf("HAVING"), "HAVING needs GROUP BY contact_id");
			}
			return false;
		}
		if (joined == null) {
			throw error(firstOf("GROUP"), "GROUP BY is allowed only with JOIN event_data");
		}
		ExpressionList<?> items = group.getGroupByExpressionList();
		if (items == null || items.isEmpty()
				|| (group.getGroupingSets() != null && !group.getGroupingSets().isEmpty())) {
			throw error(firstOf("GROUP"), "expected GROUP BY contact_id[, updated_at]");
		}
		boolean hasId = false;
		for (Object o : items) {
			Expression e = (Expression) o;
			if (e instanceof Column column && resolveSource(column, List.of(contact)) == contact) {
				String name = unquote(column.getColumnName()).toLowerCase(Locale.ROOT);
				if (name.equals("contact_id")) {
					hasId = true;
					continue;
				}
				if (name.equals("updated_at")) {
					continue;
				}
			}
			throw error(where(e),
					"GROUP BY may list only contact_id and updated_at, not '" + shorten(e.toString()) + "'");
		}
		if (!hasId) {
			throw error(firstOf("GROUP"), "expected GROUP BY contact_id[, updated_at]");
		}
		return true;
	}

	// ---------------------------------------------------------------- conditions

	private static List<Expression> conjuncts(Expression where) {
		List<Expression> out = new ArrayList<>();
		if (where == null) {
			return out;
		}
		// iterative, so that a long chain of ANDs does not cost stack
		List<Expression> stack = new ArrayList<>();
		stack.add(where);
		while (!stack.isEmpty()) {
			Expression e = stack.remove(stack.size() - 1);
			if (e instanceof AndExpression and) {
				stack.add(and.getRightExpression());
				stack.add(and.getLeftExpression());
			}
			else {
				out.add(e);
			}
		}
		return out;
	}

	/** The operands of a chain of one operator, in order, found without recursion. */
	private static List<Expression> chain(Expression e, boolean and) {
		List<Expression> out = new ArrayList<>();
		List<Expression> stack = new ArrayList<>();
		stack.add(e);
		while (!stack.isEmpty()) {
			Expression next = stack.remove(stack.size() - 1);
			if (and && next instanceof AndExpression a) {
				stack.add(a.getRightExpression());
				stack.add(a.getLeftExpression());
			}
			else if (!and && next instanceof OrExpression o) {
				stack.add(o.getRightExpression());
				stack.add(o.getLeftExpression());
			}
			else {
				out.add(next);
			}
		}
		return out;
	}

	private Frag condition(Expression e, Scope scope) {
		Frag f = expr(e, scope);
		if (f.type() != Type.BOOLEAN && f.type() != Type.NULL) {
			throw error(where(e), "expected a condition, found " + f.type().label + " '" + shorten(e.toString()) + "'");
		}
		return f;
	}

	private Frag expr(Expression e, Scope scope) {
		Expression group = InPrecedence.group(e);
		if (group != null) {
			return expr(group, scope);
		}
		if (e instanceof AndExpression || e instanceof OrExpression) {
			// one flat list per chain, so that long chains cost linear time, not
			// quadratic copying
			boolean and = e instanceof AndExpression;
			List<Object> parts = new ArrayList<>();
			parts.add("(");
			List<Expression> operands = chain(e, and);
			for (int i = 0; i < operands.size(); i++) {
				parts.add(i == 0 ? "" : and ? " AND " : " OR ");
				parts.add(condition(operands.get(i), scope));
			}
			parts.add(")");
			return Frag.compose(Type.BOOLEAN, parts.toArray());
		}
		if (e instanceof NotExpression not) {
			return Frag.compose(Type.BOOLEAN, "(NOT ", condition(not.getExpression(), scope), ")");
		}
		if (e instanceof EqualsTo || e instanceof NotEqualsTo || e instanceof GreaterThan
				|| e instanceof GreaterThanEquals || e instanceof MinorThan || e instanceof MinorThanEquals) {
			return comparison((BinaryExpression) e, scope);
		}
		if (e instanceof InExpression in) {
			return in(in, scope);
		}
		if (e instanceof ExistsExpression exists) {
			return exists(exists, scope);
		}
		if (e instanceof IsNullExpression isNull) {
			Frag value = expr(isNull.getLeftExpression(), scope);
			if (value.type() == Type.LIST_IDS) {
				throw error(where(e), "list_ids can be used only in array_contains(list_ids, ...)");
			}
			return Frag.compose(Type.BOOLEAN, "(", value, isNull.isNot() ? " IS NOT NULL)" : " IS NULL)");
		}
		if (e instanceof LikeExpression like) {
			return like(like, scope);
		}
		if (e instanceof Between between) {
			return between(between, scope);
		}
		if (e instanceof Addition || e instanceof Subtraction || e instanceof Multiplication || e instanceof Division
				|| e instanceof Modulo) {
			return arithmetic((BinaryExpression) e, scope);
		}
		if (e instanceof SignedExpression signed) {
			return signed(signed, scope);
		}
		if (e instanceof Column column) {
			return column(column, scope);
		}
		if (e instanceof JsonExpression json) {
			return jsonPath(json, scope);
		}
		if (e instanceof Function function) {
			return function(function, scope);
		}
		if (e instanceof TrimFunction trim) {
			if (trim.getTrimSpecification() != null || trim.getFromExpression() != null
					|| trim.getExpression() == null) {
				throw error(this.raw.findCall("trim"), "expected trim(text)");
			}
			return Frag.compose(Type.TEXT, "trim(", textual(expr(trim.getExpression(), scope), trim.getExpression()),
					")");
		}
		if (e instanceof StringValue s) {
			if (s.getPrefix() != null && !s.getPrefix().isEmpty()) {
				throw error(where(e), "string prefix '" + s.getPrefix() + "' is not allowed");
			}
			return Frag.text(RawText.decodeString(s.getValue()));
		}
		if (e instanceof LongValue l) {
			return Frag.number(number(l.getStringValue(), e));
		}
		if (e instanceof DoubleValue d) {
			return Frag.number(number(d.toString(), e));
		}
		if (e instanceof NullValue) {
			return Frag.nullValue();
		}
		if (e instanceof BooleanValue b) {
			return Frag.bool(b.getValue());
		}
		if (e instanceof TimeKeyExpression key) {
			String name = key.getStringValue().replace("()", "").trim().toUpperCase(Locale.ROOT);
			if (name.equals("CURRENT_TIMESTAMP")) {
				return now();
			}
			throw error(locateWord(name),
					"'" + key.getStringValue() + "' is not allowed; use CURRENT_TIMESTAMP or NOW()");
		}
		if (e instanceof CastExpression cast) {
			return cast(cast);
		}
		if (e instanceof DateTimeLiteralExpression literal
				&& literal.getType() == DateTimeLiteralExpression.DateTime.TIMESTAMP) {
			String value = literal.getValue();
			return Frag.timestamp(timestamp(RawText.decodeString(value.substring(1, value.length() - 1)), e));
		}
		if (e instanceof IntervalExpression interval) {
			return Frag.interval(interval(interval));
		}
		if (e instanceof ArrayConstructor array) {
			return values(array.getExpressions(), scope, e);
		}
		if (e instanceof ParenthesedSelect) {
			throw error(where(e),
					"a subquery is allowed only as contact_id [NOT] IN (SELECT contact_id FROM event_data ...) or [NOT] EXISTS (SELECT ... FROM event_data e WHERE e.contact_id = c.contact_id ...)");
		}
		throw error(where(e), "'" + shorten(e.toString()) + "' is not allowed here");
	}

	private Frag comparison(BinaryExpression e, Scope scope) {
		String op = e.getStringExpression();
		if (e instanceof EqualsTo && isContactId(e.getLeftExpression(), scope.sources())
				&& isContactId(e.getRightExpression(), scope.sources())) {
			Source left = resolveSource((Column) e.getLeftExpression(), scope.sources());
			Source right = resolveSource((Column) e.getRightExpression(), scope.sources());
			Frag f = Frag.compose(Type.BOOLEAN,
					"(" + left.sqlAlias() + ".contact_key = " + right.sqlAlias() + ".contact_key)");
			Set<String> aliases = new HashSet<>();
			for (Source s : List.of(left, right)) {
				if (s.event()) {
					aliases.add(s.sqlAlias());
				}
			}
			return f.withEvents(aliases);
		}
		Frag byId = contactIdEquality(e, scope);
		if (byId != null) {
			return byId;
		}
		Frag left = expr(e.getLeftExpression(), scope);
		Frag right = expr(e.getRightExpression(), scope);
		Frag[] unified = unify(left, right, e);
		String sqlOp = switch (op) {
			case "=", "==" -> "=";
			case "!=", "<>" -> "<>";
			case ">", ">=", "<", "<=" -> op;
			default -> throw error(where(e), "operator '" + op + "' is not allowed");
		};
		if (unified[0].type() == Type.BOOLEAN && !sqlOp.equals("=") && !sqlOp.equals("<>")) {
			throw error(where(e), "cannot order booleans with '" + op + "'");
		}
		Frag compared = Frag.compose(Type.BOOLEAN, "(", unified[0], " " + sqlOp + " ", unified[1], ")");
		boolean bounded = bound(unified[0], unified[1]) || bound(unified[1], unified[0]);
		return bounded ? compared.withClock(Frag.Clock.NONE) : compared;
	}

	/**
	 * contact_id = 'uuid' as a comparison on the uuid column, so that its unique index
	 * serves it.
	 */
	private Frag contactIdEquality(BinaryExpression e, Scope scope) {
		if (!(e instanceof EqualsTo || e instanceof NotEqualsTo)) {
			return null;
		}
		Expression column = e.getLeftExpression() instanceof Column ? e.getLeftExpression() : e.getRightExpression();
		Expression literal = column == e.getLeftExpression() ? e.getRightExpression() : e.getLeftExpression();
		if (!isContactId(column, scope.sources()) || !(literal instanceof StringValue value)
				|| resolveSource((Column) column, scope.sources()).event()) {
			return null;
		}
		String text = RawText.decodeString(value.getValue()).trim();
		UUID id;
		try {
			id = UUID.fromString(text);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		if (!id.toString().equalsIgnoreCase(text)) {
			return null;
		}
		this.contactColumns.add("contact_id");
		return Frag.compose(Type.BOOLEAN, e instanceof EqualsTo ? "(c.id = " : "(c.id <> ",
				new Frag.Param("?::uuid", id.toString()), ")");
	}

	/**
	 * Brings two operands to one comparable type, converting literals where they convert
	 * cleanly.
	 */
	private Frag[] unify(Frag left, Frag right, Expression where) {
		Frag l = left;
		Frag r = right;
		for (Frag f : List.of(l, r)) {
			if (f.type() == Type.LIST_IDS || f.type() == Type.TEXT_ARRAY || f.type() == Type.LIST) {
				throw error(where(where), "cannot compare " + f.type().label + " with '" + shorten(where.toString())
						+ "'; use array_contains(...)");
			}
		}
		if (l.type() == Type.NULL || r.type() == Type.NULL || l.type() == r.type()) {
			return new Frag[] { l, r };
		}
		if (r.isConstant()) {
			r = convert(r, l.type(), where);
		}
		else if (l.isConstant()) {
			l = convert(l, r.type(), where);
		}
		if (l.type() != r.type()) {
			throw error(where(where), "cannot compare " + l.type().label + " with " + r.type().label + " in '"
					+ shorten(where.toString()) + "'");
		}
		return new Frag[] { l, r };
	}

	private Frag convert(Frag literal, Type target, Expression where) {
		Object value = literal.constant();
		if (literal.type() == target || value == Frag.NULL_CONSTANT) {
			return literal;
		}
		if (value instanceof String s) {
			switch (target) {
				case TIMESTAMP:
					return Frag.timestamp(timestamp(s, where));
				case NUMBER:
					BigDecimal n;
					try {
						n = new BigDecimal(s.trim());
					}
					catch (NumberFormatException ex) {
						throw error(locateString(s, where), "'" + shorten(s) + "' is not a number");
					}
					return Frag.number(inRange(n, where));
				default:
					break;
			}
		}
		if (value instanceof BigDecimal n && target == Type.TEXT) {
			return Frag.text(n.toPlainString());
		}
		throw error(where(where), "cannot compare " + target.label + " with " + literal.type().label + " '"
				+ shorten(String.valueOf(value)) + "'");
	}

	private Frag in(InExpression in, Scope scope) {
		Expression right = in.getRightExpression();
		if (right instanceof ParenthesedSelect sub) {
			if (!isContactId(in.getLeftExpression(), scope.sources())) {
				throw error(where(in.getLeftExpression()),
						"only contact_id may be tested with IN (SELECT contact_id FROM event_data ...)");
			}
			Source outer = resolveSource((Column) in.getLeftExpression(), scope.sources());
			// contact_id is never NULL on either side, so NOT IN has exactly NOT EXISTS's
			// meaning
			return eventSubquery(sub, scope, outer, in.isNot(), false);
		}
		if (!(right instanceof ExpressionList<?> list)
				|| InPrecedence.group(right) != null && !(right instanceof ExpressionList<?>)) {
			throw error(where(right), "expected IN (value, ...) or IN (SELECT contact_id FROM event_data ...)");
		}
		Frag left = expr(in.getLeftExpression(), scope);
		if (left.type() == Type.LIST_IDS || left.type() == Type.TEXT_ARRAY) {
			throw error(where(in.getLeftExpression()),
					"cannot use IN with " + left.type().label + "; use array_contains(...)");
		}
		List<Frag> values = new ArrayList<>();
		boolean allConstant = true;
		boolean hasNull = false;
		for (Object o : list) {
			Frag v = expr((Expression) o, scope);
			if (v.constant() == Frag.NULL_CONSTANT) {
				hasNull = true;
				continue;
			}
			Frag[] unified = unify(left, v, (Expression) o);
			left = unified[0];
			values.add(unified[1]);
			allConstant &= unified[1].isConstant();
		}
		String not = in.isNot() ? " NOT" : "";
		if (values.isEmpty()) {
			return Frag.compose(Type.BOOLEAN, "(", left, " = NULL)");
		}
		Frag test;
		if (allConstant && left.type() != Type.BOOLEAN) {
			String[] array = new String[values.size()];
			for (int i = 0; i < array.length; i++) {
				Object c = values.get(i).constant();
				array[i] = c instanceof BigDecimal n ? n.toPlainString()
						: c instanceof Instant t ? t.toString() : c.toString();
			}
			String cast = switch (left.type()) {
				case NUMBER -> "numeric[]";
				case TIMESTAMP -> "timestamptz[]";
				default -> "text[]";
			};
			test = Frag.compose(Type.BOOLEAN, "(", left, in.isNot() ? " <> ALL(" : " = ANY(",
					new Frag.Param("?::" + cast, array), "))");
		}
		else {
			List<Object> parts = new ArrayList<>();
			parts.add("(");
			parts.add(left);
			parts.add(not + " IN (");
			for (int i = 0; i < values.size(); i++) {
				parts.add(i == 0 ? "" : ", ");
				parts.add(values.get(i));
			}
			parts.add("))");
			test = Frag.compose(Type.BOOLEAN, parts.toArray());
		}
		Frag.Clock clock = left.clock();
		for (Frag v : values) {
			clock = clock.join(v.clock());
		}
		test = test.withClock(clock);
		if (hasNull) {
			// SQL's meaning: a NULL in the list makes a miss unknown rather than false
			return Frag.compose(Type.BOOLEAN, "(", test, in.isNot() ? " AND NULL)" : " OR NULL)");
		}
		return test;
	}

	private Frag exists(ExistsExpression exists, Scope scope) {
		if (!(exists.getRightExpression() instanceof ParenthesedSelect sub)) {
			throw error(where(exists),
					"expected EXISTS (SELECT ... FROM event_data e WHERE e.contact_id = c.contact_id ...)");
		}
		return eventSubquery(sub, scope, null, exists.isNot(), true);
	}

	/**
	 * A subquery over event_data:
	 * {@code contact_id IN (SELECT contact_id FROM event_data ...)} or
	 * {@code EXISTS (SELECT ... FROM event_data e WHERE e.contact_id = c.contact_id ...)}.
	 * Both become a semi (or anti) join on email_event.
	 */
	private Frag eventSubquery(ParenthesedSelect parenthesed, Scope scope, Source outer, boolean not,
			boolean existsForm) {
		Select inner = parenthesed.getSelect();
		if (inner instanceof SetOperationList) {
			throw error(firstOf("UNION", "INTERSECT", "EXCEPT", "MINUS"),
					"UNION, INTERSECT and EXCEPT are not allowed; expected one SELECT ... FROM event_data");
		}
		if (parenthesed.getAlias() != null || !(inner instanceof PlainSelect select)) {
			throw error(where(parenthesed), "expected a plain SELECT ... FROM event_data subquery");
		}
		if (select.getWithItemsList() != null && !select.getWithItemsList().isEmpty()) {
			throw error(firstOf("WITH"), "WITH is not allowed");
		}
		onlyKnownClauses(select, "SELECT contact_id FROM event_data [alias] [WHERE ...]");
		if (select.getJoins() != null && !select.getJoins().isEmpty()) {
			throw error(nth("JOIN", 1),
					"a subquery may not join; expected SELECT contact_id FROM event_data [WHERE ...]");
		}
		if (select.getGroupBy() != null || select.getHaving() != null) {
			throw error(firstOf("GROUP", "HAVING"), "GROUP BY and HAVING are not allowed in a subquery");
		}
		if (!(select.getFromItem() instanceof Table table)) {
			throw error(where(parenthesed), "a subquery must read FROM event_data");
		}
		if (unquote(table.getName()).equalsIgnoreCase("contact_data")) {
			throw error(locateWord("contact_data", 2),
					"a subquery over contact_data is not allowed; subqueries read event_data");
		}
		checkTable(table, "event_data");
		this.events = true;
		Source event = new Source("event_data", alias(table), true, "e" + this.eventAliases++);
		List<Source> sources = new ArrayList<>();
		sources.add(event);
		sources.addAll(scope.sources());
		Scope innerScope = new Scope(List.copyOf(sources), false, false);
		List<SelectItem<?>> items = select.getSelectItems();
		if (!existsForm) {
			if (items.size() != 1 || !(items.get(0).getExpression() instanceof Column column)
					|| items.get(0).getAlias() != null || !isContactId(column, List.of(event))
					|| resolveSource(column, List.of(event)) != event) {
				throw error(where(items.get(0).getExpression()),
						"the subquery must select only contact_id of event_data");
			}
		}
		else if (items.size() != 1 || items.get(0).getAlias() != null
				|| !(items.get(0).getExpression() instanceof AllColumns
						|| items.get(0).getExpression() instanceof LongValue
						|| items.get(0).getExpression() instanceof Column c && isContactId(c, List.of(event)))) {
			throw error(where(items.get(0).getExpression()), "expected EXISTS (SELECT 1 FROM event_data e WHERE ...)");
		}
		List<Object> parts = new ArrayList<>();
		parts.add(not ? "NOT EXISTS (SELECT 1 FROM email_event " : "EXISTS (SELECT 1 FROM email_event ");
		parts.add(event.sqlAlias() + " WHERE ");
		boolean correlated = false;
		if (outer != null) {
			parts.add(event.sqlAlias() + ".contact_key = " + outer.sqlAlias() + ".contact_key");
			correlated = true;
		}
		boolean first = outer == null;
		for (Expression conjunct : conjuncts(InPrecedence.repair(select.getWhere()))) {
			if (conjunct instanceof EqualsTo eq && isContactId(eq.getLeftExpression(), innerScope.sources())
					&& isContactId(eq.getRightExpression(), innerScope.sources())) {
				Source a = resolveSource((Column) eq.getLeftExpression(), innerScope.sources());
				Source b = resolveSource((Column) eq.getRightExpression(), innerScope.sources());
				correlated |= (a == event) != (b == event);
			}
			parts.add(first ? "" : " AND ");
			first = false;
			parts.add(condition(conjunct, innerScope));
		}
		if (!correlated) {
			throw error(where(parenthesed),
					"the EXISTS subquery must be tied to the contact: expected WHERE e.contact_id = c.contact_id AND ...");
		}
		parts.add(")");
		Frag f = Frag.compose(Type.BOOLEAN, parts.toArray());
		Set<String> outerEvents = new HashSet<>(f.events());
		outerEvents.remove(event.sqlAlias());
		return new Frag(f.sql(), f.params(), Type.BOOLEAN, outerEvents, null, false, f.clock());
	}

	private Frag like(LikeExpression like, Scope scope) {
		if (like.getEscape() != null) {
			throw error(firstOf("ESCAPE"), "ESCAPE is not allowed; a backslash escapes % and _");
		}
		String keyword = switch (like.getLikeKeyWord()) {
			case LIKE -> "LIKE";
			case ILIKE -> "ILIKE";
			default -> throw error(where(like), "'" + like.getLikeKeyWord() + "' is not allowed; use LIKE or ILIKE");
		};
		if (like.isUseBinary()) {
			throw error(firstOf("BINARY"), "BINARY is not allowed");
		}
		Frag left = textual(expr(like.getLeftExpression(), scope), like.getLeftExpression());
		Frag right = textual(expr(like.getRightExpression(), scope), like.getRightExpression());
		if (right.constant() instanceof String pattern && endsWithLoneBackslash(pattern)) {
			// PostgreSQL refuses such a pattern at run time
			throw error(locateString(pattern, like.getRightExpression()),
					"a LIKE pattern must not end with a lone backslash; write \\\\ for a backslash");
		}
		return Frag.compose(Type.BOOLEAN, "(", left, like.isNot() ? " NOT " : " ", keyword + " ", right, ")");
	}

	private static boolean endsWithLoneBackslash(String pattern) {
		int count = 0;
		for (int i = pattern.length() - 1; i >= 0 && pattern.charAt(i) == '\\'; i--) {
			count++;
		}
		return count % 2 == 1;
	}

	private Frag textual(Frag f, Expression e) {
		if (f.type() == Type.TEXT || f.type() == Type.NULL) {
			return f;
		}
		if (f.isConstant() && f.constant() instanceof BigDecimal n) {
			return Frag.text(n.toPlainString());
		}
		throw error(where(e), "expected text, found " + f.type().label + " '" + shorten(e.toString()) + "'");
	}

	private Frag between(Between between, Scope scope) {
		Frag value = expr(between.getLeftExpression(), scope);
		Frag low = expr(between.getBetweenExpressionStart(), scope);
		Frag high = expr(between.getBetweenExpressionEnd(), scope);
		Frag[] a = unify(value, low, between);
		Frag[] b = unify(a[0], high, between);
		Frag compared = Frag.compose(Type.BOOLEAN, "(", b[0], between.isNot() ? " NOT BETWEEN " : " BETWEEN ", a[1],
				" AND ", b[1], ")");
		if (compared.clock() == Frag.Clock.NONE || b[0].clock() != Frag.Clock.NONE) {
			return compared;
		}
		boolean bounded = true;
		for (Frag limit : List.of(a[1], b[1])) {
			if (limit.clock() != Frag.Clock.NONE) {
				bounded &= bound(b[0], limit);
			}
		}
		return bounded ? compared.withClock(Frag.Clock.NONE) : compared;
	}

	// ---------------------------------------------------------------- values

	private Frag arithmetic(BinaryExpression e, Scope scope) {
		Frag left = expr(e.getLeftExpression(), scope);
		Frag right = expr(e.getRightExpression(), scope);
		boolean additive = e instanceof Addition || e instanceof Subtraction;
		boolean minus = e instanceof Subtraction;
		if (additive && (left.type() == Type.TIMESTAMP || left.type() == Type.INTERVAL || right.type() == Type.TIMESTAMP
				|| right.type() == Type.INTERVAL)) {
			if (left.isStringLiteral() && right.type() == Type.INTERVAL) {
				left = convert(left, Type.TIMESTAMP, e.getLeftExpression());
			}
			if (left.type() == Type.TIMESTAMP && right.type() == Type.INTERVAL) {
				return shift(left, right, minus);
			}
			if (!minus && left.type() == Type.INTERVAL && right.type() == Type.TIMESTAMP) {
				return shift(right, left, false);
			}
			throw error(where(e),
					"cannot compute '" + shorten(e.toString()) + "': a timestamp may only be shifted by an interval");
		}
		if (left.isStringLiteral()) {
			left = convert(left, Type.NUMBER, e.getLeftExpression());
		}
		if (right.isStringLiteral()) {
			right = convert(right, Type.NUMBER, e.getRightExpression());
		}
		if (left.type() == Type.NULL || right.type() == Type.NULL) {
			return Frag.of("NULL::numeric", Type.NUMBER);
		}
		if (left.type() != Type.NUMBER || right.type() != Type.NUMBER) {
			throw error(where(e), "arithmetic needs numbers, found " + left.type().label + " and " + right.type().label
					+ " in '" + shorten(e.toString()) + "'");
		}
		if (e instanceof Division || e instanceof Modulo) {
			// a zero divisor gives NULL (no member) instead of failing the whole
			// evaluation
			return Frag.compose(Type.NUMBER, "(", left, e instanceof Division ? " / NULLIF(" : " % NULLIF(", right,
					", 0))");
		}
		String op = e instanceof Addition ? " + " : e instanceof Subtraction ? " - " : " * ";
		return Frag.compose(Type.NUMBER, "(", left, op, right, ")");
	}

	/**
	 * Timestamp plus or minus an interval. Constants are folded here, in UTC, so that the
	 * SQL compares a column with one bound timestamp; otherwise the arithmetic happens in
	 * UTC too, so the session's time zone never changes an answer.
	 */
	private Frag shift(Frag timestamp, Frag interval, boolean minus) {
		// a constant interval added to a clock-derived time never makes it run backwards
		Frag.Clock clock = (interval.clock() == Frag.Clock.NONE) ? timestamp.clock() : Frag.Clock.OPAQUE;
		if (timestamp.constant() instanceof Instant t && interval.constant() instanceof Frag.Interval i) {
			return Frag.timestamp(plus(t, minus ? -i.amount() : i.amount(), i.unit(), null)).withClock(clock);
		}
		return Frag
			.compose(Type.TIMESTAMP, "(((", timestamp, " AT TIME ZONE 'UTC') " + (minus ? "-" : "+") + " ", interval,
					") AT TIME ZONE 'UTC')")
			.withClock(clock);
	}

	private Instant plus(Instant t, long amount, String unit, Expression where) {
		OffsetDateTime utc = t.atOffset(ZoneOffset.UTC);
		try {
			OffsetDateTime result = switch (unit) {
				case "second" -> utc.plusSeconds(amount);
				case "minute" -> utc.plusMinutes(amount);
				case "hour" -> utc.plusHours(amount);
				case "day" -> utc.plusDays(amount);
				case "week" -> utc.plusWeeks(amount);
				case "month" -> utc.plusMonths(amount);
				case "year" -> utc.plusYears(amount);
				default -> throw new IllegalStateException(unit);
			};
			Instant out = result.toInstant();
			if (out.isBefore(MIN_TIME) || out.isAfter(MAX_TIME)) {
				throw new java.time.DateTimeException("out of range");
			}
			return out;
		}
		catch (java.time.DateTimeException | ArithmeticException ex) {
			throw error(where == null ? Position.START : where(where), "the timestamp arithmetic goes out of range");
		}
	}

	private static final Instant MIN_TIME = Instant.parse("0001-01-01T00:00:00Z");

	private static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59Z");

	private Frag signed(SignedExpression signed, Scope scope) {
		Frag inner = expr(signed.getExpression(), scope);
		char sign = signed.getSign();
		if (sign != '-' && sign != '+') {
			throw error(where(signed), "operator '" + sign + "' is not allowed");
		}
		if (inner.constant() instanceof BigDecimal n) {
			return Frag.number(sign == '-' ? n.negate() : n);
		}
		if (inner.constant() instanceof Frag.Interval i) {
			return Frag.interval(new Frag.Interval(sign == '-' ? -i.amount() : i.amount(), i.unit()));
		}
		if (inner.type() == Type.NUMBER) {
			return sign == '-' ? Frag.compose(Type.NUMBER, "(- ", inner, ")") : inner;
		}
		throw error(where(signed), "a sign needs a number, found " + inner.type().label);
	}

	private Frag now() {
		this.clock = true;
		return Frag.timestamp(this.asOf).withClock(Frag.Clock.MONOTONE);
	}

	/**
	 * Records {@code value OP bound} when the bound moves with the clock and the value
	 * does not: between two instants the comparison can change only for values the bound
	 * swept past, so a refresh need look at those contacts alone. Returns whether it was
	 * recorded.
	 */
	private boolean bound(Frag value, Frag bound) {
		if (value.clock() != Frag.Clock.NONE || bound.clock() != Frag.Clock.MONOTONE) {
			return false;
		}
		Frag perRow = value;
		if (value.aggregate()) {
			perRow = this.aggregateArguments.get(value);
			if (perRow == null) {
				return false;
			}
		}
		if (perRow.events().size() > 1 || perRow.aggregate()) {
			return false;
		}
		String alias = perRow.events().isEmpty() ? null : perRow.events().iterator().next();
		this.boundaries.add(new ClockBoundary(perRow.sql(), perRow.params(), alias, bound.sql(), bound.params()));
		return true;
	}

	private Frag cast(CastExpression cast) {
		boolean timestampLiteral = !cast.isUseCastKeyword() && cast.getLeftExpression() instanceof StringValue
				&& cast.getColDataType() != null && cast.getColDataType().getDataType().equalsIgnoreCase("TIMESTAMP")
				&& cast.toString().regionMatches(true, 0, "TIMESTAMP", 0, 9);
		if (timestampLiteral) {
			StringValue value = (StringValue) cast.getLeftExpression();
			return Frag.timestamp(timestamp(RawText.decodeString(value.getValue()), cast));
		}
		Position at = cast.isUseCastKeyword() ? firstOf("CAST") : firstOf("::");
		if (at == null || at == Position.START) {
			at = where(cast.getLeftExpression());
		}
		throw error(at, "casts are not allowed ('" + shorten(cast.toString()) + "'); values convert automatically");
	}

	private Frag.Interval interval(IntervalExpression interval) {
		if (interval.getExpression() != null) {
			throw error(where(interval), "expected INTERVAL 10 DAY, INTERVAL '10' DAY or INTERVAL '10 days'");
		}
		String parameter = interval.getParameter();
		if (parameter == null) {
			throw error(firstOf("INTERVAL"), "expected INTERVAL 10 DAY, INTERVAL '10' DAY or INTERVAL '10 days'");
		}
		String text = parameter.trim();
		if (text.startsWith("'") && text.endsWith("'") && text.length() >= 2) {
			text = RawText.decodeString(text.substring(1, text.length() - 1)).trim();
		}
		String unit = interval.getIntervalType();
		if (unit == null) {
			String[] parts = text.split("\\s+");
			if (parts.length != 2) {
				throw error(firstOf("INTERVAL"),
						"cannot read interval '" + shorten(text) + "'; expected INTERVAL '10 days'");
			}
			text = parts[0];
			unit = parts[1];
		}
		long amount;
		try {
			amount = Long.parseLong(text);
		}
		catch (NumberFormatException ex) {
			throw error(firstOf("INTERVAL"),
					"cannot read interval amount '" + shorten(text) + "'; expected a whole number");
		}
		String normalized = unit(unit, firstOf("INTERVAL"));
		if (Math.abs(amount) > maxAmount(normalized)) {
			throw error(firstOf("INTERVAL"), "interval amount " + amount + " is out of range");
		}
		return new Frag.Interval(amount, normalized);
	}

	/**
	 * About 10,000 years in each unit: far beyond any real query, well inside
	 * PostgreSQL's range.
	 */
	private static long maxAmount(String unit) {
		return switch (unit) {
			case "second" -> 315_360_000_000L;
			case "minute" -> 5_256_000_000L;
			case "hour" -> 87_600_000L;
			case "day" -> 3_650_000L;
			case "week" -> 521_429L;
			case "month" -> 120_000L;
			default -> 10_000L;
		};
	}

	private String unit(String text, Position at) {
		String u = text.trim().toLowerCase(Locale.ROOT);
		if (u.startsWith("sql_tsi_")) {
			u = u.substring(8);
		}
		if (u.endsWith("s") && UNITS.contains(u.substring(0, u.length() - 1))) {
			u = u.substring(0, u.length() - 1);
		}
		if (!UNITS.contains(u)) {
			throw error(at, "unknown time unit '" + shorten(text) + "'; expected one of " + String.join(", ", UNITS));
		}
		return u;
	}

	private Frag values(ExpressionList<?> list, Scope scope, Expression where) {
		List<Frag> items = new ArrayList<>();
		if (list != null) {
			for (Object o : list) {
				Frag f = expr((Expression) o, scope);
				if (!f.isStringLiteral()) {
					throw error(where((Expression) o), "an array literal may hold only strings, like ['a', 'b']");
				}
				items.add(f);
			}
		}
		if (items.isEmpty()) {
			throw error(where(where), "an array literal needs at least one value");
		}
		return new Frag("", List.of(), Type.LIST, Set.of(), new Frag.Values(items), false, Frag.Clock.NONE);
	}

	// ---------------------------------------------------------------- columns

	private Frag column(Column column, Scope scope) {
		String name = unquote(column.getColumnName());
		String lower = name.toLowerCase(Locale.ROOT);
		if (column.getTable() == null && column.getColumnName().equals(name)) {
			if (lower.equals("true") || lower.equals("false")) {
				return Frag.bool(lower.equals("true"));
			}
			if (lower.equals("current_timestamp")) {
				return now();
			}
		}
		if (column.getTable() == null && scope.having()) {
			Expression aliased = this.selectAliases.get(lower);
			if (aliased != null) {
				return expr(aliased, scope);
			}
		}
		Source source = resolveSource(column, scope.sources());
		if (source == null) {
			throw unknownColumn(column, scope);
		}
		if (source.event()) {
			if (scope.having() && !scope.insideAggregate()) {
				throw error(where(column),
						"in HAVING, event columns must be inside MAX, MIN or COUNT: '" + column + "'");
			}
			Frag f = switch (lower) {
				case "event_source", "event_type", "singlesend_id", "automation_id", "template_id", "url" ->
					Frag.of(source.sqlAlias() + "." + lower, Type.TEXT);
				case "timestamp", "event_timestamp" -> Frag.of(source.sqlAlias() + ".occurred_at", Type.TIMESTAMP);
				case "contact_id" -> throw error(where(column),
						"event_data.contact_id may only be compared with contact_data.contact_id");
				case "data" ->
					throw error(where(column), "data is JSON: read a value with a path like DATA:payload.url");
				default -> throw unknownColumn(column, scope);
			};
			return f.withEvents(Set.of(source.sqlAlias()));
		}
		return contactColumn(lower, column, scope);
	}

	private Frag contactColumn(String lower, Column column, Scope scope) {
		String mapped = CONTACT_TEXT_COLUMNS.get(lower);
		if (mapped != null) {
			this.contactColumns.add(lower);
			return Frag.of(mapped, Type.TEXT);
		}
		switch (lower) {
			case "contact_id":
				this.contactColumns.add(lower);
				return Frag.of("c.id::text", Type.TEXT);
			case "created_at", "updated_at":
				this.contactColumns.add(lower);
				return Frag.of("c." + lower, Type.TIMESTAMP);
			case "alternate_emails", "email_domains":
				this.contactColumns.add(lower);
				return Frag.of("c." + lower, Type.TEXT_ARRAY);
			case "list_ids":
				return Frag.of("list_ids", Type.LIST_IDS);
			default:
				break;
		}
		CatalogField field = this.fields.find(lower).orElseThrow(() -> unknownColumn(column, scope));
		this.contactColumns.add(field.id());
		// ids come from our own catalog; the pattern check keeps even a corrupt one out
		// of the SQL text
		Object key = FIELD_ID.matcher(field.id()).matches() ? "'" + field.id() + "'"
				: new Frag.Param("?::text", field.id());
		return switch (field.type()) {
			case TEXT -> Frag.compose(Type.TEXT, "(c.custom_fields->>", key, ")");
			case NUMBER -> Frag.compose(Type.NUMBER, "(c.custom_fields->>", key, ")::numeric");
			case DATE -> Frag.compose(Type.TIMESTAMP, "to_timestamp((c.custom_fields->>", key, ")::double precision)");
		};
	}

	private Frag jsonPath(JsonExpression json, Scope scope) {
		if (!(json.getExpression() instanceof Column base) || !unquote(base.getColumnName()).equalsIgnoreCase("data")) {
			throw error(where(json), "a JSON path must start at event_data's DATA, like DATA:payload.url");
		}
		Source source = resolveSource(base, scope.sources().stream().filter(Source::event).toList());
		if (source == null) {
			throw error(where(json), "DATA:... needs event_data: JOIN event_data or use a subquery over event_data");
		}
		if (scope.having() && !scope.insideAggregate()) {
			throw error(where(json), "in HAVING, event columns must be inside MAX, MIN or COUNT");
		}
		List<String> operators = json.getOperators();
		List<Expression> idents = json.getIdents();
		if (operators.size() != 1 || !":".equals(operators.get(0)) || idents.size() != 1) {
			throw error(where(json), "expected a path like DATA:payload.unique_args.singlesend_id");
		}
		String path = idents.get(0).toString();
		String[] keys = path.split("\\.", -1);
		for (int i = 0; i < keys.length; i++) {
			keys[i] = unquote(keys[i]);
			if (!JSON_KEY.matcher(keys[i]).matches()) {
				throw error(where(json), "invalid JSON path '" + shorten(path)
						+ "'; expected names like payload.unique_args.singlesend_id");
			}
		}
		return Frag.compose(Type.TEXT, "(" + source.sqlAlias() + ".data #>> ", new Frag.Param("?::text[]", keys), ")")
			.withEvents(Set.of(source.sqlAlias()));
	}

	private QueryException unknownColumn(Column column, Scope scope) {
		String name = unquote(column.getColumnName());
		Position at = locateWord(name);
		if (column.getTable() != null && column.getTable().getName() != null) {
			String qualifier = unquote(column.getTable().getName());
			boolean known = scope.sources().stream().anyMatch(s -> s.answersTo(qualifier));
			if (!known) {
				return error(locateWord(qualifier), "unknown table or alias '" + qualifier + "'");
			}
		}
		List<String> candidates = new ArrayList<>(CONTACT_COLUMNS);
		if (scope.sources().stream().anyMatch(Source::event)) {
			candidates.addAll(EVENT_COLUMNS);
		}
		for (CatalogField f : this.fields.fields()) {
			candidates.add(f.name());
		}
		String suggestion = DidYouMean.closest(name, candidates);
		return QueryException.at(at == null ? Position.START : at, "unknown column '" + name + "'",
				suggestion == null ? "" : "; did you mean '" + suggestion + "'?");
	}

	/**
	 * The source a column belongs to: by qualifier, or the innermost one that has such a
	 * column.
	 */
	private Source resolveSource(Column column, List<Source> sources) {
		String name = unquote(column.getColumnName()).toLowerCase(Locale.ROOT);
		Table table = column.getTable();
		if (table != null && table.getName() != null) {
			if (table.getSchemaName() != null) {
				return null;
			}
			String qualifier = unquote(table.getName());
			for (Source s : sources) {
				if (s.answersTo(qualifier)) {
					return has(s, name) ? s : null;
				}
			}
			return null;
		}
		// contact columns win over a joined event's for unqualified names, except inside
		// a subquery
		// whose own event_data comes first
		for (Source s : sources) {
			if (has(s, name)) {
				return s;
			}
		}
		return null;
	}

	private boolean has(Source s, String lowerName) {
		if (s.event()) {
			return EVENT_COLUMNS.contains(lowerName);
		}
		return CONTACT_COLUMNS.contains(lowerName) || this.fields.find(lowerName).isPresent();
	}

	private boolean isContactId(Expression e, List<Source> sources) {
		return e instanceof Column column && unquote(column.getColumnName()).equalsIgnoreCase("contact_id")
				&& resolveSource(column, sources) != null;
	}

	// ---------------------------------------------------------------- functions

	private Frag function(Function f, Scope scope) {
		String name = f.getName() == null ? "" : unquote(f.getName()).toLowerCase(Locale.ROOT);
		if (f.getMultipartName() != null && f.getMultipartName().size() > 1) {
			throw error(locateCall(f), "function '" + f.getName() + "' is not allowed");
		}
		if (List.of("max", "min", "count").contains(name)) {
			return aggregate(f, name, scope);
		}
		if (!FUNCTIONS.contains(name)) {
			throw QueryException.at(locateCall(f), "function '" + f.getName() + "' is not allowed",
					"; allowed functions are " + String.join(", ", FUNCTIONS));
		}
		if (f.isDistinct() || f.isAllColumns() || !isPlainCall(f)) {
			throw error(locateCall(f), "unexpected modifiers in '" + shorten(f.toString()) + "'");
		}
		List<Expression> args = new ArrayList<>();
		if (f.getParameters() != null) {
			for (Object o : f.getParameters()) {
				args.add((Expression) o);
			}
		}
		return switch (name) {
			case "now" -> {
				arity(f, args, 0);
				yield now();
			}
			case "lower", "upper", "trim" -> {
				arity(f, args, 1);
				yield Frag.compose(Type.TEXT, name + "(", textual(expr(args.get(0), scope), args.get(0)), ")");
			}
			case "length" -> {
				arity(f, args, 1);
				yield Frag.compose(Type.NUMBER, "char_length(", textual(expr(args.get(0), scope), args.get(0)), ")");
			}
			case "concat" -> {
				if (args.isEmpty()) {
					throw error(locateCall(f), "concat needs at least one argument");
				}
				List<Object> parts = new ArrayList<>();
				parts.add("concat(");
				for (int i = 0; i < args.size(); i++) {
					Frag a = expr(args.get(i), scope);
					if (a.type() == Type.LIST_IDS || a.type() == Type.LIST || a.type() == Type.TEXT_ARRAY) {
						throw error(where(args.get(i)), "concat takes text, numbers or timestamps");
					}
					parts.add(i == 0 ? "" : ", ");
					parts.add(a);
				}
				parts.add(")");
				yield Frag.compose(Type.TEXT, parts.toArray());
			}
			case "coalesce" -> coalesce(f, args, scope);
			case "date_trunc" -> {
				arity(f, args, 2);
				String unit = unitArgument(args.get(0));
				Frag ts = expr(args.get(1), scope);
				if (ts.isStringLiteral()) {
					ts = convert(ts, Type.TIMESTAMP, args.get(1));
				}
				if (ts.type() == Type.NULL) {
					ts = Frag.of("NULL::timestamptz", Type.TIMESTAMP);
				}
				if (ts.type() != Type.TIMESTAMP) {
					throw error(where(args.get(1)), "date_trunc needs a timestamp, found " + ts.type().label);
				}
				// truncation is a staircase: it never decreases as the clock runs
				yield Frag.compose(Type.TIMESTAMP, "date_trunc(", new Frag.Param("?::text", unit), ", ", ts, ", 'UTC')")
					.withClock(ts.clock());
			}
			case "timestampadd" -> timestampadd(f, args, scope);
			case "array_contains", "contains" -> arrayContains(f, args, scope);
			default -> throw new IllegalStateException(name);
		};
	}

	/**
	 * Whether the call is name(args) with at most DISTINCT: no FILTER, OVER, KEEP, ORDER
	 * BY, ...
	 */
	private static boolean isPlainCall(Function f) {
		Function plain = new Function();
		plain.setName(f.getName());
		plain.setParameters(f.getParameters());
		plain.setDistinct(f.isDistinct());
		plain.setAllColumns(f.isAllColumns());
		return f.getNamedParameters() == null && plain.toString().equals(f.toString());
	}

	private void arity(Function f, List<Expression> args, int expected) {
		if (args.size() != expected) {
			throw error(locateCall(f), "function '" + f.getName() + "' takes " + expected + " argument"
					+ (expected == 1 ? "" : "s") + ", found " + args.size());
		}
	}

	private String unitArgument(Expression e) {
		if (e instanceof Column column && column.getTable() == null) {
			return unit(unquote(column.getColumnName()), where(e));
		}
		if (e instanceof StringValue s) {
			return unit(RawText.decodeString(s.getValue()), where(e));
		}
		throw error(where(e), "expected a time unit like day");
	}

	private Frag coalesce(Function f, List<Expression> args, Scope scope) {
		if (args.isEmpty()) {
			throw error(locateCall(f), "coalesce needs at least one argument");
		}
		List<Frag> values = new ArrayList<>();
		Type type = null;
		for (Expression a : args) {
			Frag v = expr(a, scope);
			values.add(v);
			if (type == null && v.type() != Type.NULL && !v.isConstant()) {
				type = v.type();
			}
		}
		if (type == null) {
			type = values.stream().map(Frag::type).filter(t -> t != Type.NULL).findFirst().orElse(Type.NULL);
		}
		if (type == Type.LIST_IDS || type == Type.LIST) {
			throw error(locateCall(f), "coalesce takes values, not lists");
		}
		List<Object> parts = new ArrayList<>();
		parts.add("coalesce(");
		for (int i = 0; i < values.size(); i++) {
			Frag v = values.get(i);
			if (v.type() != type && v.type() != Type.NULL) {
				if (!v.isConstant()) {
					throw error(where(args.get(i)),
							"coalesce arguments must have one type: found " + type.label + " and " + v.type().label);
				}
				v = convert(v, type, args.get(i));
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
		Frag amount = expr(args.get(1), scope);
		if (amount.isStringLiteral()) {
			amount = convert(amount, Type.NUMBER, args.get(1));
		}
		if (amount.type() != Type.NUMBER) {
			throw error(where(args.get(1)), "timestampadd needs a number of units, found " + amount.type().label);
		}
		Frag ts = expr(args.get(2), scope);
		if (ts.isStringLiteral()) {
			ts = convert(ts, Type.TIMESTAMP, args.get(2));
		}
		if (ts.type() == Type.NULL) {
			ts = Frag.of("NULL::timestamptz", Type.TIMESTAMP);
		}
		if (amount.type() == Type.NULL) {
			amount = Frag.of("NULL::numeric", Type.NUMBER);
		}
		if (ts.type() != Type.TIMESTAMP) {
			throw error(where(args.get(2)), "timestampadd needs a timestamp, found " + ts.type().label);
		}
		if (amount.constant() instanceof BigDecimal n) {
			long whole;
			try {
				whole = n.longValueExact();
			}
			catch (ArithmeticException ex) {
				throw error(where(args.get(1)),
						"timestampadd needs a whole number of units, found " + n.toPlainString());
			}
			if (Math.abs(whole) > maxAmount(unit)) {
				throw error(where(args.get(1)), "timestampadd amount " + whole + " is out of range");
			}
			if (ts.constant() instanceof Instant t) {
				return Frag.timestamp(plus(t, whole, unit, f)).withClock(ts.clock());
			}
			return shift(ts, Frag.interval(new Frag.Interval(whole, unit)), false);
		}
		return Frag.compose(Type.TIMESTAMP, "(((", ts, " AT TIME ZONE 'UTC') + (", amount, ") * ",
				new Frag.Param("?::interval", "1 " + unit), ") AT TIME ZONE 'UTC')");
	}

	private Frag arrayContains(Function f, List<Expression> args, Scope scope) {
		arity(f, args, 2);
		Frag array = expr(args.get(0), scope);
		Frag value = expr(args.get(1), scope);
		if (array.type() == Type.LIST_IDS) {
			String alias = "lm" + this.listAliases++;
			String head = "EXISTS (SELECT 1 FROM list_member " + alias + " WHERE " + alias
					+ ".contact_key = c.contact_key AND " + alias + ".list_id";
			if (value.constant() instanceof Frag.Values values) {
				String[] ids = new String[values.items().size()];
				for (int i = 0; i < ids.length; i++) {
					ids[i] = listId((String) values.items().get(i).constant(), args.get(1));
				}
				return Frag.compose(Type.BOOLEAN, head + " = ANY(", new Frag.Param("?::uuid[]", ids), "))");
			}
			if (value.isStringLiteral()) {
				return Frag.compose(Type.BOOLEAN, head + " = ",
						new Frag.Param("?::uuid", listId((String) value.constant(), args.get(1))), ")");
			}
			if (value.type() == Type.TEXT) {
				// a computed id: any list's membership may matter
				this.anyList = true;
				return Frag.compose(Type.BOOLEAN, head + "::text = ", value, ")");
			}
			throw error(where(args.get(1)), "expected a list id or ['id', ...], found " + value.type().label);
		}
		if (array.type() != Type.TEXT_ARRAY) {
			throw error(where(args.get(0)),
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
		throw error(where(args.get(1)), "expected a text value or ['a', ...], found " + value.type().label);
	}

	private String listId(String text, Expression where) {
		try {
			UUID id = UUID.fromString(text.trim());
			if (!id.toString().equalsIgnoreCase(text.trim())) {
				throw new IllegalArgumentException();
			}
			this.listIds.add(id);
			return id.toString();
		}
		catch (IllegalArgumentException ex) {
			throw error(locateString(text, where), "'" + shorten(text) + "' is not a list id; expected a list's uuid");
		}
	}

	private Frag aggregate(Function f, String name, Scope scope) {
		if (!scope.having()) {
			throw error(locateCall(f),
					"aggregate '" + f.getName() + "' is allowed only in HAVING (with GROUP BY contact_id)");
		}
		if (scope.insideAggregate()) {
			throw error(locateCall(f), "aggregates cannot be nested");
		}
		Scope inner = scope.aggregateArgument();
		List<Expression> args = new ArrayList<>();
		if (f.getParameters() != null) {
			for (Object o : f.getParameters()) {
				args.add((Expression) o);
			}
		}
		if (!isPlainCall(f)) {
			throw error(locateCall(f), "unexpected modifiers in '" + shorten(f.toString()) + "'");
		}
		if (name.equals("count")) {
			if (f.isAllColumns() || args.size() == 1 && args.get(0) instanceof AllColumns) {
				if (f.isDistinct()) {
					throw error(locateCall(f), "expected COUNT(*) or COUNT(DISTINCT column)");
				}
				return Frag.of("count(*)", Type.NUMBER).markAggregate();
			}
			arity(f, args, 1);
			Frag value = expr(args.get(0), inner);
			return Frag.compose(Type.NUMBER, f.isDistinct() ? "count(DISTINCT " : "count(", value, ")").markAggregate();
		}
		if (f.isDistinct() || f.isAllColumns()) {
			throw error(locateCall(f), "expected " + name.toUpperCase(Locale.ROOT) + "(column)");
		}
		arity(f, args, 1);
		Frag value = expr(args.get(0), inner);
		if (value.type() != Type.TIMESTAMP && value.type() != Type.NUMBER && value.type() != Type.TEXT) {
			throw error(where(args.get(0)), name.toUpperCase(Locale.ROOT) + " needs a timestamp, number or text");
		}
		Frag aggregated = Frag.compose(value.type(), name + "(", value, ")").markAggregate();
		this.aggregateArguments.put(aggregated, value);
		return aggregated;
	}

	// ---------------------------------------------------------------- literals

	/**
	 * Reads an ISO-8601 timestamp; a date alone is midnight UTC, no offset means UTC.
	 * Null if unreadable.
	 */
	static Instant parseTimestamp(String text) {
		String s = text.trim();
		try {
			if (s.length() == 10) {
				return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
			}
			String t = s.replace(' ', 'T');
			if (t.matches(".*[+-]\\d\\d$")) {
				t = t + ":00";
			}
			if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
				return OffsetDateTime.parse(t).toInstant();
			}
			return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private Instant timestamp(String text, Expression where) {
		Instant instant = parseTimestamp(text);
		if (instant == null || instant.isBefore(MIN_TIME) || instant.isAfter(MAX_TIME)) {
			throw error(locateString(text, where), "invalid timestamp '" + shorten(text)
					+ "'; expected ISO-8601 like '2024-06-19T00:00:00Z' or a date like '2024-06-19'");
		}
		return instant;
	}

	private BigDecimal number(String text, Expression where) {
		BigDecimal value;
		try {
			value = new BigDecimal(text);
		}
		catch (NumberFormatException ex) {
			throw error(where(where), "cannot read number '" + shorten(text) + "'");
		}
		return inRange(value, where);
	}

	/**
	 * Keeps numbers well inside PostgreSQL's numeric range, so a run never fails on one.
	 */
	private BigDecimal inRange(BigDecimal value, Expression where) {
		if (value.signum() != 0 && (value.precision() - value.scale() > 100 || value.scale() > 100)) {
			throw error(where(where), "number '" + shorten(value.toString()) + "' is out of range");
		}
		return value;
	}

	// ---------------------------------------------------------------- positions and
	// messages

	private QueryException error(Position at, String message) {
		return QueryException.at(at == null ? Position.START : at, message);
	}

	private Position firstOf(String... words) {
		for (String word : words) {
			Position p = word.length() <= 2 && !Character.isLetter(word.charAt(0)) ? symbol(word)
					: this.raw.findWord(word);
			if (p != null) {
				return p;
			}
		}
		return Position.START;
	}

	private Position symbol(String symbol) {
		if (symbol.equals("::")) {
			List<RawText.Token> tokens = this.raw.tokens();
			for (int i = 0; i + 1 < tokens.size(); i++) {
				if (tokens.get(i).isSymbol(":") && tokens.get(i + 1).isSymbol(":")) {
					return tokens.get(i).position();
				}
			}
			return null;
		}
		return this.raw.findSymbol(symbol);
	}

	private Position nth(String word, int n) {
		int seen = 0;
		for (RawText.Token t : this.raw.tokens()) {
			if (t.isWord(word) && ++seen == n) {
				return t.position();
			}
		}
		return firstOf(word);
	}

	private Position locateWord(String word) {
		Position p = this.raw.findWord(word);
		return p == null ? Position.START : p;
	}

	private Position locateWord(String word, int n) {
		int seen = 0;
		for (RawText.Token t : this.raw.tokens()) {
			if ((t.kind() == RawText.Kind.WORD || t.kind() == RawText.Kind.QUOTED_WORD)
					&& t.value().equalsIgnoreCase(word) && ++seen == n) {
				return t.position();
			}
		}
		return locateWord(word);
	}

	private Position locateCall(Function f) {
		Position p = this.raw.findCall(f.getName());
		return p == null ? Position.START : p;
	}

	private Position locateString(String value, Expression fallback) {
		Position p = this.raw.findString(value);
		return p != null ? p : where(fallback);
	}

	/**
	 * Where an expression starts, found through its first identifier, call or literal.
	 */
	private Position where(Expression e) {
		Position p = find(e, 0);
		return p == null ? Position.START : p;
	}

	private Position find(Expression e, int depth) {
		if (e == null || depth > 50) {
			return null;
		}
		if (e instanceof Column column) {
			Table table = column.getTable();
			if (table != null && table.getName() != null) {
				Position p = this.raw.findWord(unquote(table.getName()));
				if (p != null) {
					return p;
				}
			}
			return this.raw.findWord(unquote(column.getColumnName()));
		}
		if (e instanceof Function f && f.getName() != null) {
			return this.raw.findCall(f.getName());
		}
		if (e instanceof StringValue s) {
			return this.raw.findString(RawText.decodeString(s.getValue()));
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
			return find(s.getExpression(), depth + 1);
		}
		if (e instanceof CastExpression c) {
			return find(c.getLeftExpression(), depth + 1);
		}
		if (e instanceof ExistsExpression) {
			return this.raw.findWord("EXISTS");
		}
		if (e instanceof ParenthesedSelect) {
			return this.raw.findWord("SELECT") == null ? null : nth("SELECT", 2);
		}
		if (e instanceof IntervalExpression) {
			return this.raw.findWord("INTERVAL");
		}
		if (e instanceof ExpressionList<?> list && !list.isEmpty()) {
			return find((Expression) list.get(0), depth + 1);
		}
		if (e instanceof ArrayConstructor a && a.getExpressions() != null && !a.getExpressions().isEmpty()) {
			return find((Expression) a.getExpressions().get(0), depth + 1);
		}
		return null;
	}

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

	static String shorten(String text) {
		String oneLine = text.replaceAll("\\s+", " ");
		return oneLine.length() > 60 ? oneLine.substring(0, 57) + "..." : oneLine;
	}

}
