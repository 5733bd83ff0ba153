package io.segmat.contacts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

import io.segmat.InvalidInputException;
import io.segmat.ingest.ImportTally;
import io.segmat.ingest.RefusalSplitter;
import io.segmat.ingest.RowError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Contact imports with bad input: bad rows and values PostgreSQL cannot store cost only
 * their own row and are reported with their line, field and reason (never the database's
 * words); an unknown list or a missing file is refused before any job runs.
 */
class ContactImportBadRowTests extends ContactImportTestSupport {

	@Test
	void everyKindOfBadRowIsSkippedWithItsLineAndReason() throws IOException {
		// given
		Path file = write("bad.ndjson", """
				{"email":"good1@x.io"}
				{"email":"no-at-sign.x.io"}
				{"email":"a@x.io","favourite_color":"blue"}
				{"email":"b@x.io","custom_fields":{"shoe_size":42}}
				{"email":"c@x.io","custom_fields":{"age":"forty"}}
				{"email":"d@x.io","custom_fields":{"signup_date":"last tuesday"}}
				{"email":"e@x.io","first_name":"%s"}
				{"email":"f@x.io","custom_fields":{"plan":"%s"}}
				{"email":"g@x.io","list_ids":["%s"]}
				{"email":"h@x.io", "first_name": }
				["not","an","object"]
				{"first_name":"no email"}
				{"email":"good2@x.io","first_name":"%s"}
				""".formatted("x".repeat(51), "y".repeat(1001), UUID.randomUUID(), "z".repeat(50)));

		// when
		ImportReport report = this.importer.importFile(file, null);

		// then
		assertThat(report.status()).isEqualTo("COMPLETED");
		assertThat(report).extracting(ImportReport::read, ImportReport::imported, ImportReport::skipped)
			.containsExactly(13L, 2L, 11L);
		assertThat(report.errors()).extracting(RowError::line)
			.containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
		assertThat(report.errors()).extracting(RowError::reason)
			.satisfiesExactly((r) -> assertThat(r).isEqualTo("invalid email 'no-at-sign.x.io'"),
					(r) -> assertThat(r).isEqualTo("unknown field 'favourite_color'"),
					(r) -> assertThat(r).isEqualTo("unknown field 'shoe_size'"),
					(r) -> assertThat(r).isEqualTo("age must be a number, not \"forty\""),
					(r) -> assertThat(r).startsWith("signup_date must be an ISO-8601 date or date-time"),
					(r) -> assertThat(r).isEqualTo("first_name is longer than 50 characters"),
					(r) -> assertThat(r).isEqualTo("plan is longer than 1000 characters"),
					(r) -> assertThat(r).startsWith("unknown list id '"),
					(r) -> assertThat(r).startsWith("malformed JSON"),
					(r) -> assertThat(r).isEqualTo("a contact must be a JSON object"),
					(r) -> assertThat(r).isEqualTo("email is required"));
		assertThat(emails()).containsExactly("good1@x.io", "good2@x.io");
	}

	@Test
	void malformedCsvRowsAreSkippedAndTheRestIsRead() throws IOException {
		// given
		Path file = write("bad.csv", """
				email,first_name
				one@x.io,One
				two@x.io,Two,extra
				three@x.io,"Th"ree
				four@x.io,Four
				five@x.io,"never closed
				""");

		// when
		ImportReport report = this.importer.importFile(file, null);

		// then
		assertThat(report.status()).isEqualTo("COMPLETED");
		assertThat(report.errors()).containsExactly(
				new RowError(3, "malformed CSV: the row has 3 values but the header has 2"),
				new RowError(4,
						"malformed CSV: unexpected character after a quoted value or a stray quote in column 2"),
				new RowError(6, "malformed CSV: a quoted value is not closed"));
		assertThat(emails()).containsExactly("four@x.io", "one@x.io");
	}

	@Test
	void unknownListOrMissingFileIsRefusedBeforeAnyJobRuns() throws IOException {
		Path file = write("contacts.csv", "email\na@x.io\n");

		assertThatThrownBy(() -> this.importer.importFile(file, UUID.randomUUID()))
			.isInstanceOf(InvalidInputException.class)
			.hasMessageContaining("does not exist");
		assertThatThrownBy(() -> this.importer.importFile(this.dir.resolve("missing.csv"), null))
			.isInstanceOf(InvalidInputException.class)
			.hasMessageContaining("cannot read");
		assertThat(this.jdbc.sql("SELECT count(*) FROM batch_job_instance WHERE job_name = 'contactImportJob'")
			.query(Long.class)
			.single()).isZero();
	}

	/**
	 * Each value below made the COPY (or the statements after it) of its whole chunk
	 * fail: the job failed at that chunk, and the rows of that chunk and every later one
	 * were lost, reported as a line inside the chunk in PostgreSQL's words.
	 */
	static Stream<Arguments> valuesPostgresqlCannotStore() {
		return Stream.of(Arguments.of("NUL in a reserved text field", "\"first_name\":\"An\\u0000n\"", "first_name"),
				Arguments.of("NUL in a custom Text field", "\"custom_fields\":{\"plan\":\"go\\u0000ld\"}", "plan"),
				Arguments.of("lone surrogate", "\"last_name\":\"x\\ud800y\"", "last_name"),
				Arguments.of("lone low surrogate in a custom field", "\"custom_fields\":{\"plan\":\"\\udc00\"}",
						"plan"),
				Arguments.of("date after 9999", "\"custom_fields\":{\"signup_date\":\"99999-01-01T00:00:00Z\"}",
						"signup_date"),
				Arguments.of("date after 9999 with its sign",
						"\"custom_fields\":{\"signup_date\":\"+99999-01-01T00:00:00Z\"}", "signup_date"),
				Arguments.of("epoch seconds after 9999", "\"custom_fields\":{\"signup_date\":99999999999999}",
						"signup_date"),
				Arguments.of("epoch seconds before year 1", "\"custom_fields\":{\"signup_date\":-99999999999}",
						"signup_date"),
				Arguments.of("1e400", "\"custom_fields\":{\"age\":1e400}", "age"),
				Arguments.of("1e-400", "\"custom_fields\":{\"age\":1e-400}", "age"),
				Arguments.of("1e400 as text", "\"custom_fields\":{\"age\":\"1e400\"}", "age"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesPostgresqlCannotStore")
	void aValuePostgresqlCannotStoreCostsOnlyItsOwnRow(String name, String badValue, String field) throws IOException {
		// given the bad row in the middle of the second chunk (lines 4-6), good rows
		// around
		// it and in the chunks before and after
		Path file = write("bad-value.ndjson", """
				{"email":"a1@x.io","first_name":"A1"}
				{"email":"a2@x.io"}
				{"email":"a3@x.io"}
				{"email":"b1@x.io","custom_fields":{"age":41.5,"signup_date":"9999-12-31T23:59:59Z"}}
				{"email":"bad@x.io",%s}
				{"email":"b3@x.io","custom_fields":{"age":1e2,"signup_date":"0001-01-01"}}
				{"email":"c1@x.io"}
				{"email":"c2@x.io"}
				""".formatted(badValue));

		// when
		ImportReport report = this.importer.importFile(file, null);

		// then
		assertThat(report.status()).isEqualTo("COMPLETED");
		assertThat(report.exitStatus()).isEqualTo(ImportTally.COMPLETED_WITH_ERRORS);
		assertThat(report.completedWithErrors()).isTrue();
		assertThat(report).extracting(ImportReport::read, ImportReport::imported, ImportReport::skipped)
			.containsExactly(8L, 7L, 1L);
		assertThat(report.errors()).singleElement().satisfies((error) -> {
			assertThat(error.line()).isEqualTo(5);
			assertThat(error.field()).isEqualTo(field);
			assertThat(error.reason()).startsWith(field + " ");
			assertNoDatabaseText(error.reason());
		});
		assertThat(report.failure()).isNull();
		assertThat(emails()).containsExactly("a1@x.io", "a2@x.io", "a3@x.io", "b1@x.io", "b3@x.io", "c1@x.io",
				"c2@x.io");
		assertThat(this.jdbc.sql("SELECT exit_code FROM batch_job_execution WHERE job_execution_id = ?")
			.param(report.jobExecutionId())
			.query(String.class)
			.single()).isEqualTo(ImportTally.COMPLETED_WITH_ERRORS);
	}

	@Test
	void csvCellsPostgresqlCannotStoreAreReportedWithTheirFileLineAndField() throws IOException {
		// given a CSV whose bad cells are in the first, second and third chunks
		Path file = write("bad-values.csv", """
				email,first_name,age,signup_date
				a@x.io,Ann,1,2024-01-01
				b@x.io,B\u0000b,2,
				c@x.io,Cy,1e-400,
				d@x.io,Di,1e400,
				e@x.io,Ed,3.25,
				f@x.io,Flo,,99999-01-01
				g@x.io,Gus,,10000-01-01T00:00:00Z
				h@x.io,Hal,4,2024-02-29
				""");

		// when
		ImportReport report = this.importer.importFile(file, null);

		// then
		assertThat(report.status()).isEqualTo("COMPLETED");
		assertThat(report.exitStatus()).isEqualTo(ImportTally.COMPLETED_WITH_ERRORS);
		assertThat(report.errors()).extracting(RowError::line, RowError::field)
			.containsExactly(tuple(3L, "first_name"), tuple(4L, "age"), tuple(5L, "age"), tuple(7L, "signup_date"),
					tuple(8L, "signup_date"));
		report.errors().forEach((error) -> assertNoDatabaseText(error.reason()));
		assertThat(emails()).containsExactly("a@x.io", "e@x.io", "h@x.io");
		assertThat(row("e@x.io").get("custom_fields")).isEqualTo("{\"%s\": 3.25}".formatted(this.age));
	}

	@Test
	void aValueTheChecksDoNotForeseeCostsOnlyItsRowWithAGenericReason() throws IOException {
		// given a rule only the database knows, broken by rows in the first and second
		// chunks
		this.jdbc.sql("ALTER TABLE contact ADD CONSTRAINT no_mallory CHECK (first_name IS DISTINCT FROM 'Mallory')")
			.update();
		try {
			Path file = write("contacts.ndjson", """
					{"email":"a@x.io","first_name":"Ann"}
					{"email":"m1@x.io","first_name":"Mallory"}
					{"email":"c@x.io","first_name":"Cy"}
					{"email":"d@x.io","first_name":"Di"}
					{"email":"e@x.io","first_name":"Ed"}
					{"email":"m2@x.io","first_name":"Mallory","list_ids":["%s"]}
					{"email":"g@x.io","first_name":"Gus","list_ids":["%s"]}
					""".formatted(this.vip, this.vip));

			// when
			ImportReport report = this.importer.importFile(file, null);

			// then
			assertThat(report.status()).isEqualTo("COMPLETED");
			assertThat(report.exitStatus()).isEqualTo(ImportTally.COMPLETED_WITH_ERRORS);
			assertThat(report)
				.extracting(ImportReport::read, ImportReport::imported, ImportReport::skipped, ImportReport::created)
				.containsExactly(7L, 5L, 2L, 5L);
			assertThat(report.errors()).containsExactly(new RowError(2, RefusalSplitter.REFUSED),
					new RowError(6, RefusalSplitter.REFUSED));
			assertThat(emails()).containsExactly("a@x.io", "c@x.io", "d@x.io", "e@x.io", "g@x.io");
			assertThat(this.jdbc.sql("SELECT c.email FROM list_member JOIN contact c USING (contact_key)")
				.query(String.class)
				.list()).containsExactly("g@x.io");
		}
		finally {
			this.jdbc.sql("ALTER TABLE contact DROP CONSTRAINT IF EXISTS no_mallory").update();
		}
	}

	@Test
	void aRefusedRowInAChunkOfNewAndExistingContactsCostsOnlyItsOwnRowAndMemberships() throws IOException {
		// given an existing contact, and a chunk that updates it and copies two new
		// contacts, one of which only the database refuses
		this.importer.importFile(write("first.csv", "email,first_name\na@x.io,Ann\n"), null);
		this.jdbc.sql("ALTER TABLE contact ADD CONSTRAINT no_mallory CHECK (first_name IS DISTINCT FROM 'Mallory')")
			.update();
		try {
			Path file = write("contacts.ndjson", """
					{"email":"a@x.io","first_name":"Anna","list_ids":["%s"]}
					{"email":"m@x.io","first_name":"Mallory","list_ids":["%s"]}
					{"email":"c@x.io","first_name":"Cy","list_ids":["%s"]}
					""".formatted(this.vip, this.vip, this.vip));

			// when
			ImportReport report = this.importer.importFile(file, null);

			// then
			assertThat(report.exitStatus()).isEqualTo(ImportTally.COMPLETED_WITH_ERRORS);
			assertThat(report)
				.extracting(ImportReport::read, ImportReport::imported, ImportReport::skipped, ImportReport::created,
						ImportReport::updated)
				.containsExactly(3L, 2L, 1L, 1L, 1L);
			assertThat(report.errors()).containsExactly(new RowError(2, RefusalSplitter.REFUSED));
			assertThat(emails()).containsExactly("a@x.io", "c@x.io");
			assertThat(row("a@x.io")).containsEntry("first_name", "Anna");
			assertThat(this.jdbc.sql("SELECT c.email FROM list_member JOIN contact c USING (contact_key) ORDER BY 1")
				.query(String.class)
				.list()).containsExactly("a@x.io", "c@x.io");
			assertThat(this.jdbc.sql("SELECT count(*) FROM list_member").query(Long.class).single()).isEqualTo(2);
		}
		finally {
			this.jdbc.sql("ALTER TABLE contact DROP CONSTRAINT IF EXISTS no_mallory").update();
		}
	}

	@Test
	void aFileWithoutBadRowsCompletesWithoutErrors() throws IOException {
		Path file = write("contacts.ndjson", "{\"email\":\"a@x.io\"}\n{\"email\":\"b@x.io\"}\n");

		ImportReport report = this.importer.importFile(file, null);

		assertThat(report.exitStatus()).isEqualTo("COMPLETED");
		assertThat(report.completedWithErrors()).isFalse();
	}

	@Test
	void aBadFieldNameIsQuotedPrintablyAndTheImportCompletes() throws IOException {
		Path file = write("contacts.ndjson", """
				{"email":"a@x.io","fav\\u0000\\ud800":"x"}
				{"email":"b@x.io"}
				""");

		ImportReport report = this.importer.importFile(file, null);

		assertThat(report.status()).isEqualTo("COMPLETED");
		assertThat(report.errors())
			.containsExactly(new RowError(1, "fav\uFFFD\uFFFD", "unknown field 'fav\uFFFD\uFFFD'"));
		assertThat(emails()).containsExactly("b@x.io");
	}

	private static void assertNoDatabaseText(String reason) {
		assertThat(reason).doesNotContain("COPY", "ERROR", "contact_import_stage", "SQL", "Detail", "Where:");
	}

}
