package io.segmat.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JsonExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;

import io.segmat.query.Frag.Type;

/**
 * Resolves a column name to the source in scope that has it, and compiles the read: a
 * contact column, a custom field, an event column or a path into an event's DATA.
 */
final class ColumnResolver {

	private static final Pattern JSON_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	private final CompileContext context;

	private final SourcePositions positions;

	private final ExpressionCompiler expressions;

	ColumnResolver(CompileContext context, SourcePositions positions, ExpressionCompiler expressions) {
		this.context = context;
		this.positions = positions;
		this.expressions = expressions;
	}

	Frag column(Column column, Scope scope) {
		String name = Identifiers.unquote(column.getColumnName());
		String lower = name.toLowerCase(Locale.ROOT);
		if (column.getTable() == null && column.getColumnName().equals(name)) {
			if (lower.equals("true") || lower.equals("false")) {
				return Frag.bool(lower.equals("true"));
			}
			if (lower.equals("current_timestamp")) {
				return this.context.clock().now();
			}
		}
		if (column.getTable() == null && scope.having()) {
			Expression aliased = this.context.selectAlias(lower);
			if (aliased != null) {
				return this.expressions.expr(aliased, scope);
			}
		}
		Source source = resolveSource(column, scope.sources());
		if (source == null) {
			throw unknownColumn(column, scope);
		}
		if (source.event()) {
			return eventColumn(lower, column, source, scope);
		}
		return contactColumn(lower, column, scope);
	}

	private Frag eventColumn(String lower, Column column, Source source, Scope scope) {
		if (scope.having() && !scope.insideAggregate()) {
			throw this.positions.error(column,
					"in HAVING, event columns must be inside MAX, MIN or COUNT: '" + column + "'");
		}
		Frag f = switch (lower) {
			case "event_source", "event_type", "singlesend_id", "automation_id", "template_id", "url" ->
				Frag.of(source.sqlAlias() + "." + lower, Type.TEXT);
			case "timestamp", "event_timestamp" -> Frag.of(source.sqlAlias() + ".occurred_at", Type.TIMESTAMP);
			case "contact_id" -> throw this.positions.error(column,
					"event_data.contact_id may only be compared with contact_data.contact_id");
			case "data" ->
				throw this.positions.error(column, "data is JSON: read a value with a path like DATA:payload.url");
			default -> throw unknownColumn(column, scope);
		};
		return f.withEvents(Set.of(source.sqlAlias()));
	}

	private Frag contactColumn(String lower, Column column, Scope scope) {
		Optional<ContactColumn> reserved = ContactColumn.byFieldName(lower);
		if (reserved.isPresent()) {
			return reservedColumn(reserved.get());
		}
		CatalogField field = this.context.fields().find(lower).orElseThrow(() -> unknownColumn(column, scope));
		this.context.readsColumn(field.id());
		// ids come from our own catalog; the pattern check keeps even a corrupt one out
		// of the SQL text
		Object key = FieldId.isFieldId(field.id()) ? "'" + field.id() + "'" : new Frag.Param("?::text", field.id());
		return switch (field.type()) {
			case TEXT -> Frag.compose(Type.TEXT, "(c.custom_fields->>", key, ")");
			case NUMBER -> Frag.compose(Type.NUMBER, "(c.custom_fields->>", key, ")::numeric");
			case DATE -> Frag.compose(Type.TIMESTAMP, "to_timestamp((c.custom_fields->>", key, ")::double precision)");
		};
	}

	private Frag reservedColumn(ContactColumn column) {
		if (column == ContactColumn.LIST_IDS) {
			// membership, not a column: the list conditions record which lists they read
			return Frag.of("list_ids", Type.LIST_IDS);
		}
		this.context.readsColumn(column.fieldName());
		String sql = "c." + column.tableColumn().orElseThrow();
		return switch (column.kind()) {
			case ID -> Frag.of(sql + "::text", Type.TEXT);
			case TEXT -> Frag.of(sql, Type.TEXT);
			case TEXT_LIST, DERIVED_LIST -> Frag.of(sql, Type.TEXT_ARRAY);
			case TIMESTAMP -> Frag.of(sql, Type.TIMESTAMP);
		};
	}

	Frag jsonPath(JsonExpression json, Scope scope) {
		if (!(json.getExpression() instanceof Column base)
				|| !Identifiers.unquote(base.getColumnName()).equalsIgnoreCase("data")) {
			throw this.positions.error(json, "a JSON path must start at event_data's DATA, like DATA:payload.url");
		}
		Source source = resolveSource(base, scope.sources().stream().filter(Source::event).toList());
		if (source == null) {
			throw this.positions.error(json,
					"DATA:... needs event_data: JOIN event_data or use a subquery over event_data");
		}
		if (scope.having() && !scope.insideAggregate()) {
			throw this.positions.error(json, "in HAVING, event columns must be inside MAX, MIN or COUNT");
		}
		List<String> operators = json.getOperators();
		List<Expression> idents = json.getIdents();
		if (operators.size() != 1 || !":".equals(operators.get(0)) || idents.size() != 1) {
			throw this.positions.error(json, "expected a path like DATA:payload.unique_args.singlesend_id");
		}
		String path = idents.get(0).toString();
		String[] keys = path.split("\\.", -1);
		for (int i = 0; i < keys.length; i++) {
			keys[i] = Identifiers.unquote(keys[i]);
			if (!JSON_KEY.matcher(keys[i]).matches()) {
				throw this.positions.error(json, "invalid JSON path '" + Identifiers.shorten(path)
						+ "'; expected names like payload.unique_args.singlesend_id");
			}
		}
		return Frag.compose(Type.TEXT, "(" + source.sqlAlias() + ".data #>> ", new Frag.Param("?::text[]", keys), ")")
			.withEvents(Set.of(source.sqlAlias()));
	}

	QueryException unknownColumn(Column column, Scope scope) {
		String name = Identifiers.unquote(column.getColumnName());
		if (column.getTable() != null && column.getTable().getName() != null) {
			String qualifier = Identifiers.unquote(column.getTable().getName());
			boolean known = scope.sources().stream().anyMatch(s -> s.answersTo(qualifier));
			if (!known) {
				return SourcePositions.error(this.positions.qualifier(column),
						"unknown table or alias '" + qualifier + "'");
			}
		}
		List<String> candidates = new ArrayList<>(ContactDataColumns.CONTACT_COLUMNS);
		if (scope.seesEvents()) {
			candidates.addAll(ContactDataColumns.EVENT_COLUMNS);
		}
		for (CatalogField f : this.context.fields().fields()) {
			candidates.add(f.name());
		}
		String suggestion = DidYouMean.closest(name, candidates);
		return QueryException.at(this.positions.columnName(column), "unknown column '" + name + "'",
				suggestion == null ? "" : "; did you mean '" + suggestion + "'?");
	}

	/**
	 * The source a column belongs to: by qualifier, or the innermost one that has such a
	 * column.
	 */
	Source resolveSource(Column column, List<Source> sources) {
		String name = Identifiers.unquote(column.getColumnName()).toLowerCase(Locale.ROOT);
		Table table = column.getTable();
		if (table != null && table.getName() != null) {
			if (table.getSchemaName() != null) {
				return null;
			}
			String qualifier = Identifiers.unquote(table.getName());
			for (Source s : sources) {
				if (s.answersTo(qualifier)) {
					return has(s, name) ? s : null;
				}
			}
			return null;
		}
		// contact columns win over a joined event's for unqualified names, except inside
		// a subquery whose own event_data comes first
		for (Source s : sources) {
			if (has(s, name)) {
				return s;
			}
		}
		return null;
	}

	private boolean has(Source s, String lowerName) {
		if (s.event()) {
			return ContactDataColumns.EVENT_COLUMNS.contains(lowerName);
		}
		return ContactDataColumns.CONTACT_COLUMNS.contains(lowerName)
				|| this.context.fields().find(lowerName).isPresent();
	}

	boolean isContactId(Expression e, List<Source> sources) {
		return e instanceof Column column && Identifiers.unquote(column.getColumnName()).equalsIgnoreCase("contact_id")
				&& resolveSource(column, sources) != null;
	}

}
