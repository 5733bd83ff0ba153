package io.segmat.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.segmat.testsupport.Cli;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

class ImportCommandTests {

	private final TestDatabase database = TestDatabase.create();

	private final Cli cli = new Cli(this.database);

	private final JdbcClient jdbc = JdbcClient.create(this.database.dataSource());

	@TempDir
	Path dir;

	@Test
	void contactsImportPrintsTheReportAndExitsThreeWithSkippedRows() throws IOException {
		// given
		Path file = Files.writeString(this.dir.resolve("contacts.csv"), "email,first_name\nA@x.io,Ann\nbroken,Bob\n");

		// when
		Cli.Result result = this.cli.run("contacts", "import", file.toString());

		// then
		assertThat(result.exitCode()).isEqualTo(ExitCodes.ROWS_SKIPPED);
		assertThat(result.out()).contains("\"status\" : \"COMPLETED\"")
			.contains("\"exit_status\" : \"COMPLETED_WITH_ERRORS\"")
			.contains("\"imported\" : 1")
			.contains("\"skipped\" : 1")
			.contains("\"line\" : 3")
			.contains("invalid email 'broken'");
		assertThat(result.err()).contains("1 of 2 rows skipped");
		assertThat(this.jdbc.sql("SELECT email FROM contact").query(String.class).list()).containsExactly("a@x.io");
	}

	@Test
	void missingFileAndUnknownListExitTwoWithAMessage() throws IOException {
		Path file = Files.writeString(this.dir.resolve("contacts.csv"), "email\na@x.io\n");

		Cli.Result missing = this.cli.run("contacts", "import", this.dir.resolve("nope.csv").toString());
		Cli.Result unknownList = this.cli.run("contacts", "import", file.toString(), "--list-id",
				"00000000-0000-0000-0000-000000000001");

		assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(missing.err()).startsWith("error: file: cannot read").doesNotContain("\tat ");
		assertThat(unknownList.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(unknownList.err()).contains("list 00000000-0000-0000-0000-000000000001 does not exist");
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact").query(Long.class).single()).isZero();
	}

	@Test
	void aFailedJobExitsOneAndTheRerunCompletesIt() throws IOException {
		// given a database that refuses contacts while the trigger exists
		this.jdbc.sql("""
				CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN RAISE EXCEPTION 'contacts are read-only today'; END $$
				""").update();
		this.jdbc.sql("CREATE TRIGGER refuse BEFORE INSERT ON contact FOR EACH ROW EXECUTE FUNCTION refuse()").update();
		Path file = Files.writeString(this.dir.resolve("contacts.ndjson"), "{\"email\":\"a@x.io\"}\n");

		// when
		Cli.Result failed = this.cli.run("contacts", "import", file.toString());
		this.jdbc.sql("DROP TRIGGER refuse ON contact").update();
		Cli.Result rerun = this.cli.run("contacts", "import", file.toString());

		// then
		assertThat(failed.exitCode()).isEqualTo(ExitCodes.JOB_FAILED);
		assertThat(failed.out()).contains("\"status\" : \"FAILED\"");
		assertThat(failed.err()).contains("contacts are read-only today")
			.contains("run the same command again")
			.doesNotContain("\tat ");
		assertThat(rerun.exitCode()).isZero();
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact").query(Long.class).single()).isEqualTo(1);
		assertThat(this.jdbc.sql("SELECT count(*) FROM batch_job_instance").query(Long.class).single()).isEqualTo(1);
	}

	@Test
	void aContactsDeleteWhoseJobFailsExitsOneAndDeletesNothing() throws IOException {
		// given a contact, and a database that refuses deletions while the trigger exists
		Path contacts = Files.writeString(this.dir.resolve("c.ndjson"), "{\"email\":\"a@x.io\"}\n");
		this.cli.run("contacts", "import", contacts.toString());
		this.jdbc.sql("""
				CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN RAISE EXCEPTION 'deletions are paused'; END $$
				""").update();
		this.jdbc.sql("CREATE TRIGGER refuse BEFORE INSERT ON contact_deletion FOR EACH ROW EXECUTE FUNCTION refuse()")
			.update();

		// when
		Cli.Result deleted = this.cli.run("contacts", "delete", "--emails", "a@x.io");

		// then
		assertThat(deleted.exitCode()).isEqualTo(ExitCodes.JOB_FAILED);
		assertThat(deleted.err()).contains("contact deletion ended FAILED").contains("nothing was deleted");
		assertThat(this.jdbc.sql("SELECT email FROM contact").query(String.class).list()).containsExactly("a@x.io");
	}

	@Test
	void aFailedJobSaysTheSqlStateNotPostgresqlsText() throws IOException {
		// given a trigger that fails on a table that does not exist
		this.jdbc.sql("""
				CREATE FUNCTION broken() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN PERFORM 1 FROM no_such_table; RETURN NEW; END $$
				""").update();
		this.jdbc.sql("CREATE TRIGGER broken BEFORE INSERT ON contact FOR EACH ROW EXECUTE FUNCTION broken()").update();
		Path file = Files.writeString(this.dir.resolve("contacts.ndjson"), "{\"email\":\"a@x.io\"}\n");

		// when
		Cli.Result failed = this.cli.run("contacts", "import", file.toString());

		// then
		assertThat(failed.exitCode()).isEqualTo(ExitCodes.JOB_FAILED);
		assertThat(failed.err()).contains("SQLSTATE 42P01").doesNotContain("no_such_table");
		assertThat(failed.out()).contains("SQLSTATE 42P01").doesNotContain("no_such_table");
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact").query(Long.class).single()).isZero();
	}

	@Test
	void valuesPostgresqlCannotStoreAreSkippedByLineAndFieldAndTheImportExitsThree() throws IOException {
		// given a Number field, a Date field, and bad values in the first and in a later
		// chunk (of 5,000 rows): each of them used to fail its whole chunk's COPY
		this.cli.run("fields", "create", "--name", "age", "--type", "Number");
		this.cli.run("fields", "create", "--name", "signup", "--type", "Date");
		StringBuilder lines = new StringBuilder();
		lines.append("{\"email\":\"nul@x.io\",\"first_name\":\"A\\u0000\"}\n");
		lines.append("{\"email\":\"surrogate@x.io\",\"last_name\":\"\\ud800\"}\n");
		lines.append("{\"email\":\"date@x.io\",\"custom_fields\":{\"signup\":\"99999-01-01T00:00:00Z\"}}\n");
		lines.append("{\"email\":\"big@x.io\",\"custom_fields\":{\"age\":1e400}}\n");
		for (int i = 5; i <= 6000; i++) {
			lines.append("{\"email\":\"c%d@x.io\",\"custom_fields\":{\"age\":%d}}\n".formatted(i, i));
		}
		lines.append("{\"email\":\"tiny@x.io\",\"custom_fields\":{\"age\":1e-400}}\n");
		lines.append("{\"email\":\"last@x.io\"}\n");
		Path file = Files.writeString(this.dir.resolve("contacts.ndjson"), lines);

		// when
		Cli.Result result = this.cli.run("contacts", "import", file.toString());

		// then
		assertThat(result.exitCode()).isEqualTo(ExitCodes.ROWS_SKIPPED);
		assertThat(result.out()).contains("\"exit_status\" : \"COMPLETED_WITH_ERRORS\"")
			.contains("\"imported\" : 5997")
			.contains("\"skipped\" : 5")
			.contains("\"line\" : 6001")
			.contains("\"field\" : \"age\"")
			.contains("\"field\" : \"signup\"");
		assertThat(result.err()).contains("5 of 6002 rows skipped");
		assertThat(result.out() + result.err()).doesNotContain("COPY", "ERROR:", "contact_import_stage", "\tat ");
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact").query(Long.class).single()).isEqualTo(5997);
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact WHERE email IN ('c5@x.io', 'c6000@x.io', 'last@x.io')")
			.query(Long.class)
			.single()).isEqualTo(3);
	}

	@Test
	void invalidEventsAreSkippedByLineAndFieldAndTheImportExitsThree() throws IOException {
		// given
		Path contacts = Files.writeString(this.dir.resolve("c.ndjson"), "{\"email\":\"a@x.io\"}\n");
		this.cli.run("contacts", "import", contacts.toString());
		Path events = Files.writeString(this.dir.resolve("e.json"), """
				[{"email":"a@x.io","timestamp":1,"event":"open","sg_event_id":"1"},
				 {"email":"a@x.io","timestamp":99999999999999999,"event":"open","sg_event_id":"2"},
				 {"email":"a@x.io","timestamp":3,"event":"open","sg_event_id":"3","campaign":"x\\u0000y"},
				 {"email":"a@x.io","timestamp":4,"event":"open","sg_event_id":"4"}]
				""");

		// when
		Cli.Result imported = this.cli.run("events", "import", events.toString());

		// then
		assertThat(imported.exitCode()).isEqualTo(ExitCodes.ROWS_SKIPPED);
		assertThat(imported.out()).contains("\"exit_status\" : \"COMPLETED_WITH_ERRORS\"")
			.contains("\"imported\" : 2")
			.contains("\"invalid\" : 2")
			.contains("\"field\" : \"timestamp\"")
			.contains("\"field\" : \"campaign\"");
		assertThat(imported.err()).contains("2 of 4 events invalid");
		assertThat(imported.out() + imported.err()).doesNotContain("ERROR:", "out of range", "Unicode escape");
		assertThat(this.jdbc.sql("SELECT sg_event_id FROM email_event ORDER BY 1").query(String.class).list())
			.containsExactly("1", "4");
	}

	@Test
	void contactsDeleteLeavesABatchExecutionLikeTheApi() throws IOException {
		// given
		Path contacts = Files.writeString(this.dir.resolve("c.ndjson"),
				"{\"email\":\"a@x.io\"}\n{\"email\":\"b@x.io\"}\n");
		this.cli.run("contacts", "import", contacts.toString());

		// when
		Cli.Result deleted = this.cli.run("contacts", "delete", "--emails", "B@x.io");

		// then
		assertThat(deleted.exitCode()).isZero();
		assertThat(deleted.out()).contains("\"deleted\" : 1").contains("\"job_execution_id\"");
		assertThat(this.jdbc.sql("""
				SELECT e.status FROM batch_job_execution e JOIN batch_job_instance i USING (job_instance_id)
				WHERE i.job_name = 'contactDeletionJob'
				""").query(String.class).list()).containsExactly("COMPLETED");
		assertThat(this.jdbc.sql("SELECT email FROM contact").query(String.class).list()).containsExactly("a@x.io");
	}

	@Test
	void eventsImportAndContactsDelete() throws IOException {
		// given
		Path contacts = Files.writeString(this.dir.resolve("c.ndjson"),
				"{\"email\":\"a@x.io\"}\n{\"email\":\"b@x.io\"}\n");
		Path events = Files.writeString(this.dir.resolve("e.json"), """
				[{"email":"a@x.io","timestamp":1,"event":"open","sg_event_id":"1"},
				 {"email":"z@x.io","timestamp":1,"event":"open","sg_event_id":"2"}]
				""");
		this.cli.run("contacts", "import", contacts.toString());

		// when
		Cli.Result imported = this.cli.run("events", "import", events.toString());
		Cli.Result deleted = this.cli.run("contacts", "delete", "--emails", "A@x.io,nobody@x.io");
		Cli.Result both = this.cli.run("contacts", "delete", "--all", "--ids", "x");
		Cli.Result badId = this.cli.run("contacts", "delete", "--ids", "not-a-uuid");

		// then
		assertThat(imported.exitCode()).isZero();
		assertThat(imported.out()).contains("\"imported\" : 1").contains("\"unknown_email\" : 1");
		assertThat(deleted.exitCode()).isZero();
		assertThat(deleted.out()).contains("\"deleted\" : 1");
		assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(badId.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(badId.err()).contains("'not-a-uuid' is not a contact id");
		assertThat(this.jdbc.sql("SELECT email FROM contact").query(String.class).list()).containsExactly("b@x.io");
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact_deletion").query(Long.class).single()).isEqualTo(1);
		assertThat(this.jdbc.sql("SELECT count(*) FROM email_event").query(Long.class).single()).isZero();
	}

}
