package io.segmat.refresh;

import java.util.ArrayList;
import java.util.List;

import io.segmat.query.CompiledQuery;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A segment's partition of segment_member (V9): segment_member_&lt;segment_key&gt;. A
 * first materialization loads it as a fresh table, indexes it after the load and attaches
 * it, all inside the evaluation's transaction: readers go on seeing no partition (an
 * empty membership) until the commit, and a killed evaluation leaves nothing behind. The
 * name is made of our own integer key, never of user text.
 * <p>
 * Created and filled in one transaction, the table and its index write no WAL on a server
 * with {@code wal_level=minimal}, as the embedded one runs
 * ({@code Database.EMBEDDED_SERVER_SETTINGS}): they are written out at the commit.
 */
@Component
class MemberPartition {

	// CREATE TABLE AS gets a parallel plan, where INSERT ... SELECT gets none (measured:
	// 1.6x slower at 180,000 rows). The ORDER BY pays for itself: the primary key's sort
	// then runs over presorted input, and without it the load saved less (~70 ms at
	// 180,000 rows) than the index build lost (~90 ms); and readers' range scans read
	// the heap in order.
	private static final String LOAD = """
			CREATE TABLE %1$s AS SELECT %2$d::integer AS segment_key, q.contact_key
			FROM (%3$s) q ORDER BY q.contact_key
			""";

	// One ALTER, one scan: the NOT NULLs and the CHECK are verified together. The
	// CHECK lets ATTACH skip its own validation scan, and the primary key is the
	// index ATTACH adopts as the partition's share of the parent's (an index alone
	// would not do: the parent's is a constraint, so the child's must be too).
	private static final String CONSTRAIN = """
			ALTER TABLE %1$s ALTER COLUMN segment_key SET NOT NULL, ALTER COLUMN contact_key SET NOT NULL,
			    ADD CONSTRAINT %2$s CHECK (segment_key = %3$d)
			""";

	private static final String INDEX = "ALTER TABLE %1$s ADD CONSTRAINT %2$s PRIMARY KEY (segment_key, contact_key)";

	// SHARE UPDATE EXCLUSIVE on segment_member: readers and writers of other segments
	// go on; a second attach waits for this transaction's end, so it comes last.
	private static final String ATTACH = "ALTER TABLE %1$s.segment_member ATTACH PARTITION %2$s FOR VALUES IN (%3$d)";

	private final JdbcClient jdbc;

	MemberPartition(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	private static final String NAME_PREFIX = "segment_member_";

	/** The partition's name for a segment key. */
	static String name(int segmentKey) {
		return NAME_PREFIX + segmentKey;
	}

	/**
	 * {@link #name}'s convention in SQL, for queries that find a segment's partition in
	 * the catalogue: the name for the integer expression {@code segmentKey}.
	 */
	static String nameSql(String segmentKey) {
		return "CAST('" + NAME_PREFIX + "' || " + segmentKey + " AS name)";
	}

	/** A POSIX pattern that the name of every partition, and no other table, matches. */
	static String namePattern() {
		return "^" + NAME_PREFIX + "[0-9]+$";
	}

	/**
	 * Evaluates {@code query} into a new partition for the segment and attaches it; the
	 * segment must have none, as {@code state} read in the same transaction says. The
	 * table's name is free: segment keys are identity values, never reused, and a load's
	 * table is attached in the transaction that creates it.
	 * @return the number of members loaded
	 */
	long load(int segmentKey, State state, CompiledQuery query) {
		String table = quote(state.schema()) + "." + quote(name(segmentKey));
		List<Object> parameters = new ArrayList<>(query.parameters());
		long loaded = SortedGrouping.run(this.jdbc,
				() -> this.jdbc.sql(LOAD.formatted(table, segmentKey, query.sql())).params(parameters).update());
		this.jdbc.sql(CONSTRAIN.formatted(table, quote(name(segmentKey) + "_key"), segmentKey)).update();
		this.jdbc.sql(INDEX.formatted(table, quote(name(segmentKey) + "_pkey"))).update();
		this.jdbc.sql(ATTACH.formatted(quote(state.schema()), table, segmentKey)).update();
		return loaded;
	}

	/** An identifier quoted as PostgreSQL's quote_ident would. */
	static String quote(String identifier) {
		return "\"" + identifier.replace("\"", "\"\"") + "\"";
	}

	/**
	 * Where a segment's partition stands, as the evaluation's lock reads it
	 * ({@link LockedSegment#lockForEvaluation}): whether the rows have a place and, for a
	 * first load, where the new table goes. The schema is segment_member's own (an
	 * account's schema, README), so the table lands beside it whatever the search path
	 * holds.
	 *
	 * @param schema segment_member's schema, where the partition goes
	 * @param attached whether the segment's partition is attached
	 */
	record State(String schema, boolean attached) {
	}

}
