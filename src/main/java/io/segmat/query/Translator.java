package io.segmat.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

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

	/** SQL that reads the contact: every contact column is compiled as {@code c.}. */
	private static final Pattern READS_CONTACT = Pattern.compile("\\bc\\.");

	/** SQL that reads more of the contact than its key. */
	private static final Pattern READS_CONTACT_ROW = Pattern.compile("\\bc\\.(?!contact_key\\b)");

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

	/**
	 * @param sql the query as one scan of the base: an event aggregate is one grouped
	 * pass over email_event
	 * @param probeSql the same query with every event aggregate correlated to the
	 * contact, for when a few named contacts are evaluated; same parameters, in the same
	 * order
	 * @param probeKeyed whether the probe's conditions need nothing of a contact but its
	 * key and hold only for keys present in the contact's own rows elsewhere (list
	 * memberships, events), so that it may test keys without reading the contact
	 */
	record Result(String sql, String probeSql, boolean probeKeyed, List<Object> parameters,
			QueryDependencies dependencies, List<ClockBoundary> boundaries, boolean clockBounded) {
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
		Frag having = null;
		if (joined != null && checked.grouped() && checked.select().getHaving() != null) {
			having = this.expressions.condition(InPrecedence.repair(checked.select().getHaving()), scope.forHaving());
		}
		Frag parent = null;
		if (parentListId != null) {
			this.context.readsList(parentListId);
			Frag.Param id = new Frag.Param("?::uuid", parentListId.toString());
			parent = this.context.keyed(Frag.compose(Type.BOOLEAN,
					"EXISTS (SELECT 1 FROM list_member lm WHERE lm.contact_key = c.contact_key AND lm.list_id = ", id,
					")"),
					new KeySet(Frag.compose(Type.BOOLEAN,
							"SELECT lm.contact_key FROM list_member lm WHERE lm.list_id = ", id), true));
		}
		Frag probe = select(contactSide,
				(joined != null) ? correlatedEvent(joined.sqlAlias(), eventSide, having) : null, parent);
		Frag event = null;
		if (joined != null) {
			event = (having != null) ? groupedEvents(joined.sqlAlias(), eventSide, having)
					: someEvent(joined.sqlAlias(), eventSide);
		}
		Frag scan = keyed(contactSide, event, parent);
		// Every condition a key set: each holds only for contacts with rows of their
		// own in list_member or email_event, which a deleted contact no longer has.
		boolean probeKeyed = scan != null && !READS_CONTACT_ROW.matcher(probe.sql()).find();
		if (scan == null) {
			scan = (having != null) ? select(contactSide, event, parent) : probe;
		}
		if (scan.params().size() > MAX_PARAMETERS) {
			throw QueryException.at(Position.START, "the query has too many literal values: " + scan.params().size()
					+ ", the limit is " + MAX_PARAMETERS);
		}
		if (joined != null) {
			this.context.clock().filterEvents(joined.sqlAlias(), eventSide, having == null);
		}
		List<ClockBoundary> boundaries = this.context.clock().boundaries();
		return new Result(scan.sql(), probe.sql(), probeKeyed, scan.params(), this.context.dependencies(), boundaries,
				scan.clock() == Frag.Clock.NONE);
	}

	private static Frag select(List<Frag> contactSide, Frag event, Frag parent) {
		List<Object> parts = new ArrayList<>();
		parts.add(CompiledQuery.PROBE_FROM);
		List<Frag> where = conjuncts(contactSide, event, parent);
		for (int i = 0; i < where.size(); i++) {
			parts.add(i == 0 ? " WHERE " : " AND ");
			parts.add(where.get(i));
		}
		return Frag.compose(Type.BOOLEAN, parts.toArray());
	}

	private static List<Frag> conjuncts(List<Frag> contactSide, Frag event, Frag parent) {
		List<Frag> where = new ArrayList<>(contactSide);
		if (event != null) {
			where.add(event);
		}
		if (parent != null) {
			where.add(parent);
		}
		return where;
	}

	/**
	 * The query without the contact table, when every condition is a key set: the first
	 * drives, the others are semi-joins to it. Null when a condition needs the contact's
	 * row, or there is none. The parameters keep the conditions' order, the probe's.
	 */
	private Frag keyed(List<Frag> contactSide, Frag event, Frag parent) {
		List<KeySet> keys = new ArrayList<>();
		for (Frag condition : conjuncts(contactSide, event, parent)) {
			KeySet set = this.context.keySet(condition);
			if (set == null) {
				return null;
			}
			keys.add(set);
		}
		if (keys.isEmpty()) {
			return null;
		}
		KeySet driver = keys.get(0);
		if (keys.size() == 1 && driver.unique()) {
			return driver.select();
		}
		List<Object> parts = new ArrayList<>();
		parts.add(driver.unique() ? "SELECT k.contact_key FROM (" : "SELECT DISTINCT k.contact_key FROM (");
		parts.add(driver.select());
		parts.add(") k");
		for (int i = 1; i < keys.size(); i++) {
			parts.add(i == 1 ? " WHERE k.contact_key IN (" : " AND k.contact_key IN (");
			parts.add(keys.get(i).select());
			parts.add(")");
		}
		return Frag.compose(Type.BOOLEAN, parts.toArray());
	}

	static boolean readsContact(Frag f) {
		return readsContact(f.sql());
	}

	/** Whether SQL the compiler wrote reads the contact under its alias {@code c}. */
	static boolean readsContact(String sql) {
		return READS_CONTACT.matcher(sql).find();
	}

	/**
	 * The JOIN: some event of the contact satisfies the event-side conditions (and, with
	 * GROUP BY, the contact's matching events satisfy HAVING). Correlated to the contact:
	 * an index probe per contact, the right shape for a few of them.
	 */
	private static Frag correlatedEvent(String alias, List<Frag> eventSide, Frag having) {
		List<Object> parts = new ArrayList<>();
		parts.add("EXISTS (SELECT 1 FROM email_event " + alias + " WHERE " + alias + ".contact_key = c.contact_key");
		for (Frag f : eventSide) {
			parts.add(" AND ");
			parts.add(f);
		}
		if (having != null) {
			// an aggregate over no rows is one row in SQL, but a contact without events
			// is no group
			parts.add(" HAVING count(*) > 0 AND ");
			parts.add(having);
		}
		parts.add(")");
		return Frag.compose(Type.BOOLEAN, parts.toArray());
	}

	/**
	 * The JOIN without GROUP BY, for a scan: the correlated test, keyed by the matching
	 * events' contacts when no condition reads the contact.
	 */
	private Frag someEvent(String alias, List<Frag> eventSide) {
		Frag condition = correlatedEvent(alias, eventSide, null);
		if (eventSide.stream().anyMatch(Translator::readsContact)) {
			return condition;
		}
		List<Object> parts = new ArrayList<>();
		parts.add("SELECT " + alias + ".contact_key FROM email_event " + alias);
		for (int i = 0; i < eventSide.size(); i++) {
			parts.add(i == 0 ? " WHERE " : " AND ");
			parts.add(eventSide.get(i));
		}
		return this.context.keyed(condition, new KeySet(Frag.compose(Type.BOOLEAN, parts.toArray()), false));
	}

	/**
	 * GROUP BY/HAVING as one grouped pass over the events, which the planner hashes (and
	 * semi-joins to contact when other conditions read it); the correlated form would
	 * aggregate once per contact. When the conditions read the contact too, the contact
	 * is joined inside, under the same alias, and grouped by its key, so HAVING may read
	 * its columns. Keyed by the groups, one per contact.
	 */
	private Frag groupedEvents(String alias, List<Frag> eventSide, Frag having) {
		boolean readsContact = readsContact(having) || eventSide.stream().anyMatch(Translator::readsContact);
		List<Object> parts = new ArrayList<>();
		if (readsContact) {
			parts.add("SELECT c.contact_key FROM contact c JOIN email_event " + alias + " ON " + alias
					+ ".contact_key = c.contact_key");
		}
		else {
			parts.add("SELECT " + alias + ".contact_key FROM email_event " + alias);
		}
		for (int i = 0; i < eventSide.size(); i++) {
			parts.add(i == 0 ? " WHERE " : " AND ");
			parts.add(eventSide.get(i));
		}
		parts.add(" GROUP BY " + (readsContact ? "c" : alias) + ".contact_key HAVING ");
		parts.add(having);
		Frag groups = Frag.compose(Type.BOOLEAN, parts.toArray());
		return this.context.keyed(Frag.compose(Type.BOOLEAN, "c.contact_key IN (", groups, ")"),
				new KeySet(groups, true));
	}

}
