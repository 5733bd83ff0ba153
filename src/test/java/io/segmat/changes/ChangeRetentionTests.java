package io.segmat.changes;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import io.segmat.testsupport.SpringTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention finds the newest expired change from the expired rows alone: the changes it
 * keeps, a whole retention's worth on a busy account, are not read on every run.
 */
class ChangeRetentionTests extends SpringTestSupport {

	private static final Instant CUTOFF = Instant.parse("2026-06-01T00:00:00Z");

	@Autowired
	private JdbcClient jdbc;

	@BeforeEach
	void feed() {
		database.truncateAll();
		// given 30 expired changes, then 20,000 retained ones, in time order as the
		// refresh writes them
		this.jdbc.sql("""
				INSERT INTO segment_change (segment_key, contact_key, change, evaluation_id, recorded_at)
				SELECT 1, g, 'entered', 1, ?::timestamptz + (g - 31) * interval '1 second'
				FROM generate_series(1, 20030) g
				""").param(Timestamp.from(CUTOFF)).update();
		this.jdbc.sql("ANALYZE segment_change").update();
	}

	@Test
	void theNewestExpiredChangeIsFound() {
		// when the horizon is looked up / then it is the 30th change, the last before the
		// cutoff
		long horizon = this.jdbc.sql(ChangeRetention.NEWEST_EXPIRED)
			.param(Timestamp.from(CUTOFF))
			.query(Long.class)
			.single();

		assertThat(horizon).isEqualTo(this.jdbc.sql("SELECT seq FROM segment_change ORDER BY seq OFFSET 29 LIMIT 1")
			.query(Long.class)
			.single());
	}

	@Test
	void theRetainedChangesAreNotReadToFindIt() {
		// when the lookup runs
		List<String> plan = this.jdbc.sql("EXPLAIN (ANALYZE, COSTS OFF) " + ChangeRetention.NEWEST_EXPIRED)
			.param(Timestamp.from(CUTOFF))
			.query(String.class)
			.list();

		// then it does not walk the changes back from the newest one, filtering each
		assertThat(plan).noneMatch((line) -> line.contains("Backward"))
			.noneMatch((line) -> line.matches(".*Rows Removed by Filter: [0-9]{4,}.*"));
	}

}
