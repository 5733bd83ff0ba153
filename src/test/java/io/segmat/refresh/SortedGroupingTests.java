package io.segmat.refresh;

import java.util.List;

import io.segmat.testsupport.SpringTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A statement that yields a whole membership in contact_key order groups by sorting, a
 * full difference also joins by merging, and the rest of the evaluation plans as the
 * server would.
 */
class SortedGroupingTests extends SpringTestSupport {

	// A million rows in a few groups, as PostgreSQL estimates them: hashing wins the
	// planner's estimate (a test's near-empty tables would be sorted either way).
	private static final String GROUPED = """
			EXPLAIN SELECT 1 AS segment_key, q.contact_key
			FROM (SELECT DISTINCT g % 1000 AS contact_key FROM generate_series(1, 1000000) g) q ORDER BY q.contact_key
			""";

	// A million keys and a thousand joined, unsorted as PostgreSQL sees them: hashing
	// the thousand wins the planner's estimate.
	private static final String JOINED = """
			EXPLAIN SELECT coalesce(a.k, b.k) AS contact_key
			FROM generate_series(1, 1000000) a(k) FULL JOIN generate_series(1, 1000) b(k) ON b.k = a.k
			""";

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private TransactionTemplate transaction;

	@Autowired
	private PlatformTransactionManager transactionManager;

	@Test
	void theStatementGroupsBySortingAndTheSettingIsBackAfterIt() {
		this.transaction.executeWithoutResult((status) -> {
			// when a grouped statement runs with sorted grouping
			List<String> plan = SortedGrouping.run(this.jdbc, () -> this.jdbc.sql(GROUPED).query(String.class).list());

			// then it was planned without hashing its groups, and the next statement
			// plans with the server's setting again
			assertThat(String.join("\n", plan)).doesNotContain("HashAggregate");
			assertThat(hashAggregation()).isEqualTo("on");
		});
	}

	@Test
	void aFullDifferenceJoinsByMergingAndTheSettingIsBackAfterIt() {
		this.transaction.executeWithoutResult((status) -> {
			// when a join runs as a full difference does
			List<String> plan = SortedGrouping.merging(this.jdbc,
					() -> this.jdbc.sql(JOINED).query(String.class).list());

			// then it was planned as a merge, and the next statement plans with the
			// server's settings again
			assertThat(String.join("\n", plan)).contains("Merge Full Join").doesNotContain("Hash");
			assertThat(hashJoins()).isEqualTo("on");
			assertThat(hashAggregation()).isEqualTo("on");
		});
	}

	@Test
	void aFirstLoadLeavesItsJoinsToThePlanner() {
		this.transaction.executeWithoutResult((status) -> {
			// when a join runs with sorted grouping only, as a first load's statement
			List<String> plan = SortedGrouping.run(this.jdbc, () -> this.jdbc.sql(JOINED).query(String.class).list());

			// then the planner chose as it would have
			assertThat(String.join("\n", plan)).contains("Hash Full Join");
		});
	}

	@Test
	void theSettingTheTransactionHadIsTheOneRestored() {
		this.transaction.executeWithoutResult((status) -> {
			// given a transaction that had turned hashed grouping and hash joins off
			// itself
			this.jdbc.sql("SET LOCAL enable_hashagg = off").update();
			this.jdbc.sql("SET LOCAL enable_hashjoin = off").update();

			// when statements run with sorted grouping, and with merging too
			SortedGrouping.run(this.jdbc, () -> this.jdbc.sql(GROUPED).query(String.class).list());
			SortedGrouping.merging(this.jdbc, () -> this.jdbc.sql(JOINED).query(String.class).list());

			// then the transaction's own settings stand
			assertThat(hashAggregation()).isEqualTo("off");
			assertThat(hashJoins()).isEqualTo("off");
		});
	}

	@Test
	void aFailedStatementLeavesTheSettingToTheRollbackOfItsSavepoint() {
		TransactionTemplate savepoint = new TransactionTemplate(this.transactionManager);
		savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		this.transaction.executeWithoutResult((status) -> {
			// when the statement fails behind a savepoint, as an evaluation's does
			assertThatExceptionOfType(BadSqlGrammarException.class)
				.isThrownBy(() -> savepoint.executeWithoutResult((nested) -> SortedGrouping.merging(this.jdbc,
						() -> this.jdbc.sql("SELECT no_such_column FROM email_event").query(String.class).list())));

			// then the rollback to the savepoint undid the settings with the rest
			assertThat(hashAggregation()).isEqualTo("on");
			assertThat(hashJoins()).isEqualTo("on");
		});
	}

	private String hashAggregation() {
		return this.jdbc.sql("SELECT current_setting('enable_hashagg')").query(String.class).single();
	}

	private String hashJoins() {
		return this.jdbc.sql("SELECT current_setting('enable_hashjoin')").query(String.class).single();
	}

}
