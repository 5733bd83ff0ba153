package io.segmat.query;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import net.sf.jsqlparser.expression.Expression;

/**
 * What compiling one query gathers on the way: the columns and lists it reads, whether it
 * reads events and the clock, the SQL aliases handed out, and the select list's aliases
 * that HAVING may use. One per compilation; not thread-safe.
 */
final class CompileContext {

	private final FieldCatalog fields;

	private final ClockBounds clock;

	private final Set<String> contactColumns = new LinkedHashSet<>();

	private final Set<UUID> listIds = new LinkedHashSet<>();

	private final Map<String, Expression> selectAliases = new LinkedHashMap<>();

	private final IdentityHashMap<Frag, KeySet> keySets = new IdentityHashMap<>();

	private boolean anyList;

	private boolean events;

	private int eventAliases;

	private int listAliases;

	CompileContext(FieldCatalog fields, ClockBounds clock) {
		this.fields = fields;
		this.clock = clock;
	}

	FieldCatalog fields() {
		return this.fields;
	}

	ClockBounds clock() {
		return this.clock;
	}

	/** A contact column or custom field id the query reads. */
	void readsColumn(String column) {
		this.contactColumns.add(column);
	}

	void readsList(UUID listId) {
		this.listIds.add(listId);
	}

	/** A list id computed at run time: any list's membership may matter. */
	void readsAnyList() {
		this.anyList = true;
	}

	/** A new SQL alias for an event row (e0, e1, ...); the query reads events. */
	String eventAlias() {
		this.events = true;
		return "e" + this.eventAliases++;
	}

	/** A new SQL alias for a list membership row (lm0, lm1, ...). */
	String listAlias() {
		return "lm" + this.listAliases++;
	}

	void selectAlias(String lowerName, Expression aggregate) {
		this.selectAliases.put(lowerName, aggregate);
	}

	/** The aggregate the select list named so, or null. */
	Expression selectAlias(String lowerName) {
		return this.selectAliases.get(lowerName);
	}

	/**
	 * Records that {@code condition}, wherever it stands as a top-level conjunct, selects
	 * exactly the contacts of {@code keys}; returns the condition. Kept by identity: a
	 * condition wrapped in NOT or OR is a new fragment, without a key set.
	 */
	Frag keyed(Frag condition, KeySet keys) {
		this.keySets.put(condition, keys);
		return condition;
	}

	/** The key set recorded for this very fragment, or null. */
	KeySet keySet(Frag condition) {
		return this.keySets.get(condition);
	}

	QueryDependencies dependencies() {
		return new QueryDependencies(this.contactColumns, this.listIds, this.anyList, this.events, this.clock.read());
	}

}
