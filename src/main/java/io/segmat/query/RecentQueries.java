package io.segmat.query;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import net.sf.jsqlparser.statement.Statement;

/**
 * What a compiler remembers of the queries it compiled lately, so that compiling one
 * again costs little: a refresh compiles a clock segment's query three times (at its
 * instant, at the last evaluation's, at a later one to prove the next crossing) and every
 * other query once per evaluation, each time from the same text.
 * <p>
 * A text that scanned and parsed keeps its parse tree, which translation reads and never
 * changes. A text that compiled against a field catalogue under a parent list keeps its
 * result: a query that does not read the clock compiles to the same result at any instant
 * (the instant only reaches the output through CURRENT_TIMESTAMP), and one that does
 * keeps its results at its last few instants, the previous evaluation's among them.
 * Compiling it at another instant only translates the kept tree again. Bounded in
 * entries, and only short texts are kept: the limits allow 100,000 characters, whose tree
 * would weigh on the heap. Thread-safe.
 */
final class RecentQueries {

	static final int QUERIES = 256;

	private static final int LENGTH = 2_000;

	/**
	 * Instants kept per query that reads the clock: an evaluation's, the previous one's,
	 * a later one the crossing proof tried, and one more.
	 */
	private static final int INSTANTS = 4;

	/**
	 * Translation recurses over the tree, whose depth the token count bounds; up to this
	 * many tokens a translation needs far less stack than any thread's default (measured
	 * in RecentQueriesTests), so it runs on the caller's thread, without the hand-off to
	 * the large-stack pool, which costs a wake-up of another thread on a busy machine.
	 */
	static final int INLINE_TOKENS = 400;

	/** A text that scanned and parsed. */
	record Parsed(RawText raw, Statement statement) {
	}

	private final Map<String, Parsed> parsed = lru(QUERIES);

	private final Map<Key, Compiled> compiled = lru(QUERIES);

	/** The kept parse of this text, or null. */
	Parsed parsed(String text) {
		return (text == null || text.length() > LENGTH) ? null : this.parsed.get(text);
	}

	void parsed(Parsed parse) {
		if (parse.raw().text().length() <= LENGTH) {
			this.parsed.put(parse.raw().text(), parse);
		}
	}

	/** What compiling this text against these fields under this parent gave, or null. */
	Compiled compiled(String text, FieldCatalog fields, UUID parentListId) {
		return (text == null || text.length() > LENGTH) ? null : this.compiled.get(new Key(text, fields, parentListId));
	}

	/** Keeps a result of compiling a parsed text; returns it. */
	CompiledQuery compiled(Parsed parse, FieldCatalog fields, UUID parentListId, Instant asOf, CompiledQuery result) {
		if (parse.raw().text().length() > LENGTH) {
			return result;
		}
		Key key = new Key(parse.raw().text(), fields, parentListId);
		Compiled known = this.compiled.get(key);
		if (known == null) {
			known = new Compiled(parse, result.normalizedQuery(), result.dependencies().clock() ? null : result);
			this.compiled.put(key, known);
		}
		known.at(asOf, result);
		return result;
	}

	/**
	 * One text compiled against one field catalogue under one parent list. Compiling it
	 * at another instant translates the kept tree again, with every check: the timestamp
	 * arithmetic may go out of range at one instant and not at another.
	 */
	static final class Compiled {

		private final Parsed parse;

		private final String normalizedQuery;

		/** The result at any instant, when the query does not read the clock. */
		private final CompiledQuery anyInstant;

		private final Map<Instant, CompiledQuery> instants = lru(INSTANTS);

		private Compiled(Parsed parse, String normalizedQuery, CompiledQuery anyInstant) {
			this.parse = parse;
			this.normalizedQuery = normalizedQuery;
			this.anyInstant = anyInstant;
		}

		Parsed parse() {
			return this.parse;
		}

		String normalizedQuery() {
			return this.normalizedQuery;
		}

		/** The result at this instant if kept, or null. */
		CompiledQuery at(Instant asOf) {
			return (this.anyInstant != null) ? this.anyInstant : this.instants.get(asOf);
		}

		private void at(Instant asOf, CompiledQuery result) {
			if (this.anyInstant == null) {
				this.instants.put(asOf, result);
			}
		}

		boolean inline() {
			return this.parse.raw().tokens().size() <= INLINE_TOKENS;
		}

	}

	/**
	 * The field catalogue by content: a refresh loads a new one per evaluation, and
	 * checking reads nothing else of it.
	 */
	private record Key(String text, FieldCatalog fields, UUID parentListId) {

		@Override
		public boolean equals(Object other) {
			return other instanceof Key key && this.text.equals(key.text) && this.fields.sameContent(key.fields)
					&& Objects.equals(this.parentListId, key.parentListId);
		}

		@Override
		public int hashCode() {
			return Objects.hash(this.text, this.fields.contentHash(), this.parentListId);
		}

	}

	private static <K, V> Map<K, V> lru(int size) {
		return Collections.synchronizedMap(new LinkedHashMap<>(size, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
				return size() > size;
			}

		});
	}

}
