package io.segmat.query;

import java.util.List;

/**
 * What an expression may see: sources innermost first, and whether aggregates are allowed
 * (in HAVING) or already open (inside an aggregate's argument).
 */
record Scope(List<Source> sources, boolean having, boolean insideAggregate) {

	Scope {
		sources = List.copyOf(sources);
	}

	Scope aggregateArgument() {
		return new Scope(this.sources, this.having, true);
	}

	Scope forHaving() {
		return new Scope(this.sources, true, false);
	}

	boolean seesEvents() {
		return this.sources.stream().anyMatch(Source::event);
	}

}
