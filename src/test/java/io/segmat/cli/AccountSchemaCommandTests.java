package io.segmat.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.segmat.db.AdvisoryLock;
import io.segmat.testsupport.Cli;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --db-schema}, SEGMAT_DB_SCHEMA and {@code refresh --all-schemas}. */
class AccountSchemaCommandTests {

	private static final String SLOT = "2026-06-01T10:15:00Z";

	private static final String UK = "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'";

	private final TestDatabase database = TestDatabase.create();

	private final Cli cli = new Cli(this.database);

	private final JdbcClient jdbc = JdbcClient.create(this.database.dataSource());

	@Test
	void allSchemasRefreshesEachAccountUnderItsOwnLockAndExitsWithTheWorst() throws Exception {
		// given: public (migrated with the database), and two accounts made by their
		// first
		// command
		assertThat(this.cli.run("--db-schema", "acct_one", "segments", "create", "--name", "uk", "--query-dsl", UK)
			.exitCode()).isZero();
		assertThat(this.cli.run("--db-schema", "acct_two", "segments", "create", "--name", "uk", "--query-dsl", UK)
			.exitCode()).isZero();
		this.jdbc.sql("CREATE SCHEMA unrelated").update();
		this.jdbc.sql("CREATE TABLE unrelated.segment (id int)").update();
		try (Connection two = inSchema("acct_two").getConnection()) {
			AdvisoryLock.REFRESH.lock(two);

			// when
			Cli.Result result = this.cli.run("refresh", "--all-schemas", "--slot", SLOT, "--as-of", SLOT);

			// then
			assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.LOCKED);
			assertThat(result.err()).contains("schema acct_one:", "schema acct_two:", "schema public:")
				.contains("another materialization run holds the lock")
				.doesNotContain("unrelated");
			assertThat(result.out()).contains("\"schema\" : \"acct_one\"", "\"schema\" : \"public\"")
				.doesNotContain("\"schema\" : \"acct_two\"");
		}
		assertThat(executions("acct_one")).isEqualTo(1);
		assertThat(executions("public")).isEqualTo(1);
		assertThat(executions("acct_two")).isZero();
		assertThat(this.jdbc.sql("SELECT contacts_count FROM acct_one.segment").query(Long.class).single()).isZero();
	}

	@Test
	void allSchemasAndDbSchemaExcludeEachOther() {
		Cli.Result result = this.cli.run("--db-schema", "acct_one", "refresh", "--all-schemas");

		assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(result.err()).contains("--all-schemas").contains("--db-schema");
	}

	@Test
	void theWorstExitCodeIsUsageThenFailureThenLockedThenFailedSegments() {
		assertThat(RefreshCommand.worse(ExitCodes.OK, ExitCodes.SEGMENTS_FAILED)).isEqualTo(ExitCodes.SEGMENTS_FAILED);
		assertThat(RefreshCommand.worse(ExitCodes.LOCKED, ExitCodes.SEGMENTS_FAILED)).isEqualTo(ExitCodes.LOCKED);
		assertThat(RefreshCommand.worse(ExitCodes.LOCKED, ExitCodes.JOB_FAILED)).isEqualTo(ExitCodes.JOB_FAILED);
		assertThat(RefreshCommand.worse(ExitCodes.USAGE, ExitCodes.JOB_FAILED)).isEqualTo(ExitCodes.USAGE);
	}

	@Test
	void aSchemaNameThatIsNotAPlainIdentifierIsRefusedNamingItsOption() {
		Cli.Result option = this.cli.run("--db-schema", "Acct-1", "migrate");
		Result variable = run(Map.of("SEGMAT_DB_SCHEMA", "pg_catalog"), "migrate");

		assertThat(option.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(option.err()).contains("--db-schema 'Acct-1' is not a schema name");
		assertThat(variable.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(variable.err()).contains("SEGMAT_DB_SCHEMA 'pg_catalog' is not a schema name");
	}

	@Test
	void theEnvironmentVariableChoosesTheSchemaAndTheOptionWinsOverIt() {
		Result fromVariable = run(Map.of("SEGMAT_DB_SCHEMA", "acct_env"), "lists", "create", "--name", "env");
		Result fromOption = run(Map.of("SEGMAT_DB_SCHEMA", "acct_env"), "--db-schema", "acct_opt", "lists", "create",
				"--name", "opt");

		assertThat(fromVariable.exitCode()).as(fromVariable.err()).isZero();
		assertThat(fromOption.exitCode()).as(fromOption.err()).isZero();
		assertThat(this.jdbc.sql("SELECT name FROM acct_env.contact_list").query(String.class).list())
			.containsExactly("env");
		assertThat(this.jdbc.sql("SELECT name FROM acct_opt.contact_list").query(String.class).list())
			.containsExactly("opt");
		assertThat(this.jdbc.sql("SELECT count(*) FROM public.contact_list").query(Long.class).single()).isZero();
	}

	@Test
	void aUrlThatSetsAnotherSchemaIsRefused() {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();

		int exit = SegmatCommand.execute(
				new String[] { "--db-url", this.database.jdbcUrl() + "?currentSchema=public", "--db-user",
						TestDatabase.user(), "--db-schema", "acct_url", "lists", "list" },
				Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));

		assertThat(exit).isEqualTo(ExitCodes.USAGE);
		assertThat(err.toString()).contains("the database URL sets the schema to 'public'")
			.contains("--db-schema or SEGMAT_DB_SCHEMA");
	}

	private long executions(String schema) {
		return this.jdbc.sql("SELECT count(*) FROM " + schema + ".batch_job_execution").query(Long.class).single();
	}

	private PGSimpleDataSource inSchema(String schema) {
		PGSimpleDataSource ds = new PGSimpleDataSource();
		ds.setUrl(this.database.jdbcUrl());
		ds.setUser(TestDatabase.user());
		ds.setCurrentSchema(schema);
		return ds;
	}

	private Result run(Map<String, String> env, String... args) {
		List<String> all = new ArrayList<>(Arrays.asList(this.database.cliArguments()));
		all.addAll(Arrays.asList(args));
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int exit = SegmatCommand.execute(all.toArray(String[]::new), env, new PrintWriter(out, true),
				new PrintWriter(err, true));
		return new Result(exit, out.toString(), err.toString());
	}

	private record Result(int exitCode, String out, String err) {
	}

}
