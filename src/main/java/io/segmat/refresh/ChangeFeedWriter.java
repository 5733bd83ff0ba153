package io.segmat.refresh;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;

import io.segmat.changes.ChangeSettings;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Records in segment_change what a membership rewrite did, in the rewrite's transaction,
 * so that the feed and the membership never disagree. A difference is recorded contact by
 * contact, from the rewrite's own statement; a load into an empty membership as one
 * 'initial' row, which readers expand from the membership
 * ({@link io.segmat.changes.ChangeFeed}), so that a first materialization of 600,000
 * members costs one row and not 600,000.
 */
@Component
class ChangeFeedWriter {

	// Appended to the WITH list of a rewrite whose `removed` and `added` return the
	// contact_key of each row they deleted and inserted: the feed costs the
	// difference's own rows, read again from memory.
	private static final String DIFFERENCE = """
			,
			recorded AS (
			    INSERT INTO segment_change (segment_key, contact_key, change, evaluation_id, recorded_at)
			    SELECT CAST(? AS integer), d.contact_key, d.change, CAST(? AS bigint), CAST(? AS timestamptz)
			    FROM (SELECT contact_key, 'left' AS change FROM removed
			          UNION ALL
			          SELECT contact_key, 'entered' FROM added) d)
			""";

	private static final String INITIAL = """
			INSERT INTO segment_change (segment_key, contact_key, change, evaluation_id, recorded_at)
			VALUES (?, NULL, 'initial', ?, ?)
			""";

	private final JdbcClient jdbc;

	private final Clock clock;

	private final boolean enabled;

	ChangeFeedWriter(JdbcClient jdbc, Clock clock, ChangeSettings settings) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.enabled = settings.enabled();
	}

	/**
	 * The CTE recording a difference, to append after the statement's last CTE: empty
	 * when the feed is off.
	 */
	String differenceCte() {
		return this.enabled ? DIFFERENCE : "";
	}

	/** The parameters of {@link #differenceCte()}, in text order. */
	List<Object> differenceParameters(LockedSegment segment, long evaluationId) {
		if (!this.enabled) {
			return List.of();
		}
		return List.of(segment.key(), evaluationId, Timestamp.from(this.clock.instant()));
	}

	/**
	 * Records a load into an empty membership: whoever is a member now entered.
	 * @param entered how many entered; none, nothing to record
	 */
	void initialLoad(LockedSegment segment, long evaluationId, long entered) {
		if (this.enabled && entered > 0) {
			this.jdbc.sql(INITIAL).params(segment.key(), evaluationId, Timestamp.from(this.clock.instant())).update();
		}
	}

}
