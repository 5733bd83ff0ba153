package io.segmat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import io.segmat.testsupport.Cli;
import io.segmat.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a command does before its own work: help and usage errors answer without a
 * database, and the schema is brought up to date, Flyway's validation included, whenever
 * it is not already.
 */
class CommandStartupTests {

	private static final String UNREACHABLE = "jdbc:postgresql://localhost:" + freePort() + "/segmat";

	@Test
	void helpAnswersWithoutTheDatabase() {
		// given a database URL nothing answers at
		// when help is asked for, of segmat and of a command
		Result top = run("--db-url", UNREACHABLE, "--help");
		Result command = run("--db-url", UNREACHABLE, "fields", "list", "--help");
		Result version = run("--db-url", UNREACHABLE, "--version");

		// then it is printed, and nothing tried the database (that would exit 75)
		assertThat(top.exitCode()).isZero();
		assertThat(top.out()).contains("Usage: segmat").contains("Exit codes:");
		assertThat(command.exitCode()).isZero();
		assertThat(command.out()).contains("Usage: segmat fields list");
		assertThat(version.exitCode()).isZero();
		assertThat(version.out()).contains("segmat ");
		assertThat(top.err() + command.err() + version.err()).isEmpty();
	}

	@Test
	void aUsageErrorAnswersWithoutTheDatabase() {
		// when a command is given an option it does not have
		Result result = run("--db-url", UNREACHABLE, "fields", "list", "--no-such-option");

		// then it exits 2 saying so, not 75
		assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(result.err()).contains("Unknown option: '--no-such-option'");
	}

	@Test
	void aDatabaseMissingTheNewestMigrationIsMigratedByAnyCommand() {
		// given a database migrated up to the migration before the newest
		TestDatabase database = emptied(TestDatabase.create());
		List<String> versions = appliedVersions(TestDatabase.create());
		Flyway.configure()
			.dataSource(database.dataSource())
			.locations("classpath:db/migration")
			.target(versions.get(versions.size() - 2))
			.load()
			.migrate();

		// when a command that only reads runs over it
		Cli.Result result = new Cli(database).run("fields", "list");

		// then the newest migration was applied first
		assertThat(result.exitCode()).isZero();
		assertThat(appliedVersions(database)).isEqualTo(versions);
	}

	/**
	 * Flyway ignores a migration newer than the jar's (its default ignore pattern
	 * {@code *:future}; it logs a warning), so that a jar one release behind still works
	 * during a rolling upgrade. The check leaves such a database to Flyway, which keeps
	 * that behaviour.
	 */
	@Test
	void aDatabaseWithAMigrationNewerThanTheJarIsLeftToFlywayAsBefore() {
		// given a database a newer segmat migrated further than this jar knows
		TestDatabase database = TestDatabase.create();
		JdbcClient jdbc = JdbcClient.create(database.dataSource());
		jdbc.sql(
				"""
						INSERT INTO flyway_schema_history
						    (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
						SELECT max(installed_rank) + 1, '9999', 'from a newer segmat', 'SQL', 'V9999__x.sql', 42,
						    current_user, 1, true
						FROM flyway_schema_history
						""")
			.update();
		List<String> before = appliedVersions(database);

		// when
		Cli.Result result = new Cli(database).run("fields", "list");

		// then the command works and the history is as it was
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).contains("reserved_fields");
		assertThat(appliedVersions(database)).isEqualTo(before).endsWith("9999");
	}

	@Test
	void migrateOverAnUpToDateDatabaseStillReportsFlywaysView() {
		// given an up-to-date database
		TestDatabase database = TestDatabase.create();
		int migrations = appliedVersions(database).size();

		// when
		Cli.Result result = new Cli(database).run("migrate");

		// then migrate ran Flyway, whatever the check found
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).contains("\"applied\" : " + migrations).contains("\"pending\" : 0");
	}

	private static List<String> appliedVersions(TestDatabase database) {
		return JdbcClient.create(database.dataSource())
			.sql("SELECT version FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")
			.query(String.class)
			.list();
	}

	private static TestDatabase emptied(TestDatabase database) {
		JdbcClient.create(database.dataSource()).sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public").update();
		return database;
	}

	private static Result run(String... args) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int exit = SegmatCommand.execute(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
		return new Result(exit, out.toString(), err.toString());
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private record Result(int exitCode, String out, String err) {
	}

}
