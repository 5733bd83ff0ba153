package io.segmat.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import io.segmat.testsupport.Cli;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

class FieldsAndListsCommandTests {

	private final TestDatabase database = TestDatabase.create();

	private final Cli cli = new Cli(this.database);

	private final JdbcClient jdbc = JdbcClient.create(this.database.dataSource());

	@Test
	void createdFieldGetsSendGridStyleIdAndIsListed() {
		// when
		Cli.Result created = this.cli.run("fields", "create", "--name", "lifetime_value", "--type", "number");

		// then
		assertThat(created.exitCode()).isZero();
		assertThat(created.out()).contains("\"id\" : \"e1_N\"").contains("\"field_type\" : \"Number\"");
		assertThat(this.cli.run("fields", "list").out()).contains("lifetime_value").contains("reserved_fields");
		assertThat(this.jdbc.sql("SELECT field_type FROM custom_field WHERE id = 'e1_N'").query(String.class).single())
			.isEqualTo("Number");
	}

	@Test
	void fieldNamesAreUniqueIgnoringCase() {
		this.cli.run("fields", "create", "--name", "plan", "--type", "Text");

		Cli.Result duplicate = this.cli.run("fields", "create", "--name", "PLAN", "--type", "Text");

		assertThat(duplicate.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(duplicate.err()).contains("name: a custom field named 'PLAN' already exists");
		assertThat(this.jdbc.sql("SELECT count(*) FROM custom_field").query(Long.class).single()).isEqualTo(1);
	}

	@Test
	void reservedAndMalformedFieldNamesAreRefused() {
		Cli.Result reserved = this.cli.run("fields", "create", "--name", "First_Name", "--type", "Text");
		Cli.Result malformed = this.cli.run("fields", "create", "--name", "2fast", "--type", "Text");
		Cli.Result badType = this.cli.run("fields", "create", "--name", "ok", "--type", "Boolean");

		assertThat(reserved.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(reserved.err()).contains("'First_Name' is a reserved field name");
		assertThat(malformed.err()).contains("must start with a letter or underscore");
		assertThat(badType.err()).contains("field_type must be Text, Number or Date");
		assertThat(this.jdbc.sql("SELECT count(*) FROM custom_field").query(Long.class).single()).isZero();
	}

	@Test
	void deletingAnUnknownFieldExitsTwo() {
		Cli.Result result = this.cli.run("fields", "delete", "e99_T");

		assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(result.err()).contains("custom field e99_T does not exist");
	}

	@Test
	void listsAreCreatedListedAndDeleted() {
		Cli.Result created = this.cli.run("lists", "create", "--name", "vip");
		String id = this.jdbc.sql("SELECT id::text FROM contact_list WHERE name = 'vip'").query(String.class).single();

		assertThat(created.exitCode()).isZero();
		assertThat(created.out()).contains(id).contains("\"contact_count\" : 0");
		assertThat(this.cli.run("lists", "list").out()).contains(id);
		assertThat(this.cli.run("lists", "create", "--name", "vip").err())
			.contains("a list named 'vip' already exists");
		assertThat(this.cli.run("lists", "delete", id).exitCode()).isZero();
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact_list").query(Long.class).single()).isZero();
	}

	@Test
	void unknownCommandIsAUsageError() {
		Cli.Result result = this.cli.run("frobnicate");

		assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(result.err()).contains("Unmatched argument").doesNotContain("Exception");
	}

	@Test
	void unreachableDatabaseFailsWithAMessageNotAStackTrace() {
		StringWriter err = new StringWriter();

		int exit = SegmatCommand.execute(
				new String[] { "--db-url", "jdbc:postgresql://127.0.0.1:1/none", "lists", "list" }, Map.of(),
				new PrintWriter(new StringWriter()), new PrintWriter(err, true));

		assertThat(exit).isEqualTo(ExitCodes.LOCKED);
		assertThat(err.toString()).startsWith("error: ").doesNotContain("\tat ");
	}

}
