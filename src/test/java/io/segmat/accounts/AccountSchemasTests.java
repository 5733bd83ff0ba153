package io.segmat.accounts;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import io.segmat.SegmatApplication;
import io.segmat.db.AdvisoryLock;
import io.segmat.refresh.RefreshLauncher;
import io.segmat.refresh.RefreshRun;
import io.segmat.segments.Segments;
import io.segmat.testsupport.TestData;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two accounts, two schemas of one database, each with the application as a command runs
 * it: nothing of one is seen, changed or waited for by the other.
 */
class AccountSchemasTests {

	private static final String UK = "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'";

	private static final TestDatabase database = TestDatabase.create();

	private static ConfigurableApplicationContext accountA;

	private static ConfigurableApplicationContext accountB;

	@BeforeAll
	static void twoAccounts() {
		accountA = start("acct_a");
		accountB = start("acct_b");
		// Spring Batch keeps the job and step scopes of a JVM in static maps keyed by
		// execution id, and each account numbers its executions from 1: two accounts
		// running at once in one JVM would share their scoped beans. A process serves one
		// account (--all-schemas runs them one after another), so only this test, which
		// runs both in its JVM, needs the ids apart.
		jdbc(accountB).sql("""
				ALTER SEQUENCE batch_job_instance_seq RESTART 1000000;
				ALTER SEQUENCE batch_job_execution_seq RESTART 1000000;
				ALTER SEQUENCE batch_step_execution_seq RESTART 1000000
				""").update();
		TestData a = new TestData(jdbc(accountA));
		a.contact("ada@example.com", "Ada", "UK");
		a.contact("bob@example.com", "Bob", "US");
		TestData b = new TestData(jdbc(accountB));
		b.contact("cy@example.com", "Cy", "UK");
		b.contact("dee@example.com", "Dee", "UK");
		b.contact("eve@example.com", "Eve", "FR");
		// the same name in both: names are unique per account, not per database
		accountA.getBean(Segments.class).create("uk", UK, null);
		accountB.getBean(Segments.class).create("uk", UK, null);
	}

	@AfterAll
	static void close() {
		accountA.close();
		accountB.close();
	}

	@Test
	void eachAccountIsMigratedIntoItsOwnSchemaAndWorksThere() {
		// given, when: the two contexts started

		// then
		assertThat(jdbc(accountA).sql("SELECT current_schema()").query(String.class).single()).isEqualTo("acct_a");
		assertThat(jdbc(accountB).sql("SELECT current_schema()").query(String.class).single()).isEqualTo("acct_b");
		JdbcClient catalog = JdbcClient.create(database.dataSource());
		for (String table : List.of("contact", "segment", "segment_member", "batch_job_execution",
				"flyway_schema_history")) {
			assertThat(catalog.sql("SELECT to_regclass(?) IS NOT NULL")
				.param("acct_a." + table)
				.query(Boolean.class)
				.single()).as("acct_a.%s", table).isTrue();
			assertThat(catalog.sql("SELECT to_regclass(?) IS NOT NULL")
				.param("acct_b." + table)
				.query(Boolean.class)
				.single()).as("acct_b.%s", table).isTrue();
		}
		assertThat(emails(accountA, "SELECT email FROM contact")).containsExactly("ada@example.com", "bob@example.com");
		assertThat(emails(accountB, "SELECT email FROM contact")).containsExactly("cy@example.com", "dee@example.com",
				"eve@example.com");
		assertThat(catalog.sql("SELECT count(*) FROM public.contact").query(Long.class).single()).isZero();
	}

	@Test
	void twoAccountsRefreshedAtOnceKeepTheirOwnMembershipsAndBatchMetadata() {
		// given
		String slot = "2026-11-28T10:00:00Z";

		// when
		CompletableFuture<RefreshRun> runA = CompletableFuture
			.supplyAsync(() -> accountA.getBean(RefreshLauncher.class).launch(slot, slot, 2));
		CompletableFuture<RefreshRun> runB = CompletableFuture
			.supplyAsync(() -> accountB.getBean(RefreshLauncher.class).launch(slot, slot, 2));
		RefreshRun a = runA.join();
		RefreshRun b = runB.join();
		System.out.println("DEBUG A " + a + "\nDEBUG B " + b);
		System.out.println(jdbc(accountA).sql("SELECT step_name, status, exit_message FROM batch_step_execution")
			.query()
			.listOfRows());

		// then
		assertThat(a.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(b.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(members(accountA, "uk")).containsExactly("ada@example.com");
		assertThat(members(accountB, "uk")).containsExactly("cy@example.com", "dee@example.com");
		assertThat(
				jdbc(accountA).sql("SELECT contacts_count FROM segment WHERE name = 'uk'").query(Long.class).single())
			.isEqualTo(1);
		assertThat(
				jdbc(accountB).sql("SELECT contacts_count FROM segment WHERE name = 'uk'").query(Long.class).single())
			.isEqualTo(2);
		// each account's Batch metadata holds its own run, and its evaluations point at
		// it
		assertThat(executions(accountA, slot)).containsExactly(a.executionId());
		assertThat(executions(accountB, slot)).containsExactly(b.executionId());
		assertThat(
				jdbc(accountA).sql("SELECT DISTINCT job_execution_id FROM segment_evaluation").query(Long.class).list())
			.containsExactly(a.executionId());
		assertThat(
				jdbc(accountB).sql("SELECT DISTINCT job_execution_id FROM segment_evaluation").query(Long.class).list())
			.containsExactly(b.executionId());
		assertThat(JdbcClient.create(database.dataSource())
			.sql("SELECT count(*) FROM public.batch_job_execution")
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void oneAccountHoldingItsRefreshLockDoesNotBlockAnothersRefresh() throws Exception {
		// given
		String slot = "2026-11-28T11:00:00Z";
		try (Connection heldForA = dataSource(accountA).getConnection()) {
			AdvisoryLock.REFRESH.lock(heldForA);

			// when
			RefreshRun b = accountB.getBean(RefreshLauncher.class).launch(slot, slot, 2);
			RefreshRun a = accountA.getBean(RefreshLauncher.class).launch(slot, slot, 2);

			// then
			assertThat(b.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
			assertThat(a.outcome()).isEqualTo(RefreshRun.Outcome.LOCKED);
			assertThat(AdvisoryLock.REFRESH.isHeld(jdbc(accountA))).isTrue();
			assertThat(AdvisoryLock.REFRESH.isHeld(jdbc(accountB))).isFalse();
			AdvisoryLock.REFRESH.unlock(heldForA);
		}
		assertThat(executions(accountB, slot)).hasSize(1);
		assertThat(executions(accountA, slot)).isEmpty();
	}

	private static ConfigurableApplicationContext start(String schema) {
		return new SpringApplicationBuilder(SegmatApplication.class).web(WebApplicationType.NONE)
			.run("--spring.datasource.url=" + database.jdbcUrl(), "--spring.datasource.username=" + TestDatabase.user(),
					"--segmat.db.schema=" + schema);
	}

	private static JdbcClient jdbc(ConfigurableApplicationContext context) {
		return context.getBean(JdbcClient.class);
	}

	private static DataSource dataSource(ConfigurableApplicationContext context) {
		return context.getBean(DataSource.class);
	}

	private static List<String> emails(ConfigurableApplicationContext context, String sql) {
		return jdbc(context).sql(sql + " ORDER BY email").query(String.class).list();
	}

	private static List<String> members(ConfigurableApplicationContext context, String segment) {
		return jdbc(context)
			.sql("""
					SELECT c.email FROM segment_member m JOIN segment s USING (segment_key) JOIN contact c USING (contact_key)
					WHERE s.name = ? ORDER BY c.email
					""")
			.param(segment)
			.query(String.class)
			.list();
	}

	private static List<Long> executions(ConfigurableApplicationContext context, String slot) {
		return jdbc(context).sql("""
				SELECT e.job_execution_id FROM batch_job_execution e
				JOIN batch_job_execution_params p USING (job_execution_id)
				WHERE p.parameter_name = 'slot' AND p.parameter_value LIKE ?
				ORDER BY e.job_execution_id
				""").param(slot.substring(0, 16) + "%").query(Long.class).list();
	}

}
