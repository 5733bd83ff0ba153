package io.segmat.query;

import java.util.Set;
import java.util.UUID;

/**
 * What a query's membership can depend on, so that a refresh can skip a segment when none
 * of it changed.
 *
 * @param contactColumns reserved {@code contact_data} columns (lower-case) and custom
 * field ids read by the query's predicates
 * @param listIds the list ids named in the query, plus the parent list
 * @param anyList whether a change to any list membership may matter
 * @param events whether the query reads {@code event_data}
 * @param clock whether the query reads {@code CURRENT_TIMESTAMP}/{@code NOW()}
 */
public record QueryDependencies(Set<String> contactColumns, Set<UUID> listIds, boolean anyList, boolean events,
		boolean clock) {

	public QueryDependencies {
		contactColumns = Set.copyOf(contactColumns);
		listIds = Set.copyOf(listIds);
	}

}
