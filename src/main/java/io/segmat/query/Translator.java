package io.segmat.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.statement.Statement;

import io.segmat.query.Frag.Type;

/**
 * Compiles a parsed statement to PostgreSQL over segmat's schema: checks its shape, then
 * assembles one SELECT of contact_key from the compiled conditions. Every identifier in
 * the output is one the compiler chose; every literal is a bound parameter. One instance
 * per compilation.
 */
final class Translator {

	static final int MAX_PARAMETERS = 30_000;

	private final CompileContext context;

	private final ExpressionCompiler expressions;

	private final StatementShape shape;

	Translator(RawText raw, FieldCatalog fields, Instant asOf) {
		SourcePositions positions = new SourcePositions(raw);
		SelectChecks checks = new SelectChecks(positions);
		this.context = new CompileContext(fields, new ClockBounds(asOf));
		this.expressions = new ExpressionCompiler(this.context, positions, checks);
		this.shape = new StatementShape(this.context, positions, checks, this.expressions.columns());
	}

	record Result(String sql, List<Object> parameters, QueryDependencies dependencies, List<ClockBoundary> boundaries,
			boolean clockBounded) {
	}

	Result translate(Statement statement, UUID parentListId) {
		StatementShape.Shape checked = this.shape.check(statement);
		Source joined = checked.joined();
		Scope scope = checked.scope();
		List<Frag> contactSide = new ArrayList<>();
		List<Frag> eventSide = new ArrayList<>();
		for (Expression conjunct : Conditions.conjuncts(InPrecedence.repair(checked.select().getWhere()))) {
			Frag condition = this.expressions.condition(conjunct, scope);
			if (joined != null && condition.events().contains(joined.sqlAlias())) {
				eventSide.add(condition);
			}
			else {
				contactSide.add(condition);
			}
		}
		List<Object> where = new ArrayList<>(contactSide);
		if (joined != null) {
			where.add(joinedEvent(checked, eventSide, scope));
		}
		if (parentListId != null) {
			this.context.readsList(parentListId);
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
		if (sql.params().size() > MAX_PARAMETERS) {
			throw QueryException.at(Position.START, "the query has too many literal values: " + sql.params().size()
					+ ", the limit is " + MAX_PARAMETERS);
		}
		return new Result(sql.sql(), sql.params(), this.context.dependencies(), this.context.clock().boundaries(),
				sql.clock() == Frag.Clock.NONE);
	}

	/**
	 * The JOIN: some event of the contact satisfies the event-side conditions (and, with
	 * GROUP BY, the contact's matching events satisfy HAVING).
	 */
	private Frag joinedEvent(StatementShape.Shape checked, List<Frag> eventSide, Scope scope) {
		String alias = checked.joined().sqlAlias();
		List<Object> parts = new ArrayList<>();
		parts.add("EXISTS (SELECT 1 FROM email_event " + alias + " WHERE " + alias + ".contact_key = c.contact_key");
		for (Frag f : eventSide) {
			parts.add(" AND ");
			parts.add(f);
		}
		if (checked.grouped() && checked.select().getHaving() != null) {
			Frag having = this.expressions.condition(InPrecedence.repair(checked.select().getHaving()),
					scope.forHaving());
			// an aggregate over no rows is one row in SQL, but a contact without events
			// is
			// no group
			parts.add(" HAVING count(*) > 0 AND ");
			parts.add(having);
		}
		parts.add(")");
		return Frag.compose(Type.BOOLEAN, parts.toArray());
	}

}
