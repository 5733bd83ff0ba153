package io.segmat.contacts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.segmat.ingest.ImportJson;
import io.segmat.ingest.RowError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contact imports, what they store: NDJSON and CSV rows in storage form, rows of one
 * email merged field by field within and across chunks, left-out fields kept, values
 * stored as given, and the list option.
 */
class ContactImportUpsertTests extends ContactImportTestSupport {

	@Test
	void ndjsonContactsAreStoredInStorageForm() throws IOException {
		// given
		Path file = write("contacts.ndjson",
				"""
						{"email":"Ada.Lovelace@Example.COM","first_name":"Ada","last_name":"Lovelace","country":"UK","alternate_emails":["ada@Analytical.Engine.org"],"list_ids":["%s"],"custom_fields":{"plan":"gold","AGE":36,"signup_date":"2024-06-19"}}
						{"email":"zoe@x.io","first_name":"Zoë","last_name":"Ørsted-Müller","custom_fields":{"%s":"2024-06-19T12:30:00Z","%s":"41.5"}}

						{"email":"li@x.io","first_name":"李","last_name":"小龍","city":"Zürich"}
						"""
					.formatted(this.vip, this.signup, this.age));

		// when
		ImportReport report = this.importer.importFile(file, null);

		// then
		assertThat(report.status()).isEqualTo("COMPLETED");
		assertThat(report)
			.extracting(ImportReport::read, ImportReport::imported, ImportReport::skipped, ImportReport::created,
					ImportReport::updated)
			.containsExactly(3L, 3L, 0L, 3L, 0L);
		assertThat(report.errors()).isEmpty();
		Map<String, Object> ada = row("ada.lovelace@example.com");
		assertThat(ada).containsEntry("first_name", "Ada").containsEntry("country", "UK");
		assertThat(ada.get("alternate_emails")).isEqualTo("{ada@analytical.engine.org}");
		assertThat(ada.get("email_domains")).isEqualTo("{example.com,analytical.engine.org}");
		assertThat(ada.get("custom_fields"))
			.isEqualTo("{\"%s\": 36, \"%s\": \"gold\", \"%s\": 1718755200}".formatted(this.age, this.plan, this.signup)
				.transform(this::canonicalJson));
		Map<String, Object> zoe = row("zoe@x.io");
		assertThat(zoe).containsEntry("first_name", "Zoë").containsEntry("last_name", "Ørsted-Müller");
		assertThat(zoe.get("custom_fields")).isEqualTo(
				"{\"%s\": 41.5, \"%s\": 1718800200}".formatted(this.age, this.signup).transform(this::canonicalJson));
		assertThat(row("li@x.io")).containsEntry("first_name", "李").containsEntry("city", "Zürich");
		assertThat(this.jdbc.sql("SELECT c.email FROM list_member m JOIN contact c USING (contact_key)")
			.query(String.class)
			.list()).containsExactly("ada.lovelace@example.com");
		assertThat(this.jdbc.sql("SELECT count(DISTINCT id) FROM contact").query(Long.class).single()).isEqualTo(3);
	}

	@Test
	void csvHandlesQuotingMultiLineValuesAndListIdColumns() throws IOException {
		// given a CSV whose second record spans three lines, so the bad row after it is
		// on line 5
		UUID other = this.lists.create("other").id();
		Path file = write("contacts.csv", """
				email,first_name,last_name,address_line_1,plan,age,list_ids
				ANNA@X.IO,"Anna, Jr.","O""Brien",,gold,30,%s;%s
				bob@x.io,Bob,Smith,"1 Main St
				Apt 2
				Back door",,,
				not-an-email,Carl,,,,,
				"müller@x.io",Jürgen,Müller,,"silver, ""plus""\",,
				""".formatted(this.vip, other));

		// when
		ImportReport report = this.importer.importFile(file, null);

		// then
		assertThat(report.status()).isEqualTo("COMPLETED");
		assertThat(report).extracting(ImportReport::read, ImportReport::imported, ImportReport::skipped)
			.containsExactly(4L, 3L, 1L);
		assertThat(report.errors()).containsExactly(new RowError(6, "email", "invalid email 'not-an-email'"));
		assertThat(row("anna@x.io")).containsEntry("first_name", "Anna, Jr.").containsEntry("last_name", "O\"Brien");
		assertThat(row("anna@x.io").get("custom_fields"))
			.isEqualTo("{\"%s\": 30, \"%s\": \"gold\"}".formatted(this.age, this.plan).transform(this::canonicalJson));
		assertThat(row("bob@x.io")).containsEntry("address_line_1", "1 Main St\nApt 2\nBack door")
			.containsEntry("custom_fields", "{}");
		assertThat(row("müller@x.io").get("custom_fields"))
			.isEqualTo("{\"%s\": \"silver, \\\"plus\\\"\"}".formatted(this.plan).transform(this::canonicalJson));
		assertThat(this.jdbc.sql("SELECT count(*) FROM list_member").query(Long.class).single()).isEqualTo(2);
	}

	@Test
	void rowsOfOneEmailMergeFieldByFieldWithinAndAcrossChunks() throws IOException {
		// given rows 1, 2 and 3 in the first chunk, row 4 in the second
		UUID other = this.lists.create("other").id();
		Path file = write("contacts.ndjson",
				"""
						{"email":"a@x.io","first_name":"A","alternate_emails":["a@one.io"],"list_ids":["%s"],"custom_fields":{"plan":"gold","age":1}}
						{"email":"A@X.IO","last_name":"Aa","list_ids":["%s"],"custom_fields":{"age":null}}
						{"email":"b@x.io","first_name":"B"}
						{"email":"a@x.io","first_name":"Ann"}
						"""
					.formatted(this.vip, other));

		// when
		ImportReport report = this.importer.importFile(file, null);

		// then
		assertThat(report).extracting(ImportReport::imported, ImportReport::created, ImportReport::updated)
			.containsExactly(4L, 2L, 1L);
		Map<String, Object> a = row("a@x.io");
		assertThat(a).containsEntry("first_name", "Ann")
			.containsEntry("last_name", "Aa")
			.containsEntry("alternate_emails", "{a@one.io}")
			.containsEntry("email_domains", "{x.io,one.io}");
		assertThat(a.get("custom_fields"))
			.isEqualTo("{\"%s\": \"gold\"}".formatted(this.plan).transform(this::canonicalJson));
		assertThat(this.jdbc.sql("SELECT count(*) FROM list_member").query(Long.class).single()).isEqualTo(2);
	}

	@Test
	void valuesThatCopyWouldReadAsStructureAreStoredAsGiven() throws IOException {
		// given text with backslashes, tabs, line breaks and quotes, and emails with
		// characters that arrays escape
		String email = "a\\\"{b},c@x.io";
		String alternate = "q\"u{o},te\\@y.io";
		Map<String, Object> contact = Map.of("email", email, "first_name", "tab\there", "last_name", "back\\slash \\N",
				"address_line_1", "one\ntwo\r\nthree", "alternate_emails", List.of(alternate), "custom_fields",
				Map.of("plan", "\\N\t\"x\""));
		Path file = write("contacts.ndjson", ImportJson.MAPPER.writeValueAsString(contact) + "\n");

		// when
		ImportReport report = this.importer.importFile(file, null);

		// then
		assertThat(report.errors()).isEmpty();
		assertThat(report.imported()).isEqualTo(1);
		Map<String, Object> row = this.jdbc.sql("""
				SELECT email, first_name, last_name, address_line_1, alternate_emails[1] AS alternate,
				       email_domains::text, custom_fields->>'%s' AS plan
				FROM contact
				""".formatted(this.plan)).query().singleRow();
		assertThat(row).containsEntry("email", email)
			.containsEntry("first_name", "tab\there")
			.containsEntry("last_name", "back\\slash \\N")
			.containsEntry("address_line_1", "one\ntwo\r\nthree")
			.containsEntry("alternate", alternate)
			.containsEntry("email_domains", "{x.io,y.io}")
			.containsEntry("plan", "\\N\t\"x\"");
		// and the same file again is recognised as unchanged
		assertThat(unchanged(this.importer.importFile(file, null))).isEqualTo(1);
	}

	@Test
	void leftOutFieldsKeepTheirValuesAndOnlyChangedContactsMove() throws IOException {
		// given
		this.importer.importFile(write("first.ndjson", """
				{"email":"a@x.io","first_name":"Ann","city":"Oslo","custom_fields":{"plan":"gold","age":30}}
				{"email":"b@x.io","first_name":"Bea"}
				"""), null);
		Map<String, Object> bBefore = row("b@x.io");
		long aSeq = (Long) row("a@x.io").get("change_seq");

		// when a partial row changes a, repeats b as it is, and clears one custom field
		// of a
		ImportReport report = this.importer.importFile(write("second.ndjson", """
				{"email":"A@X.IO","last_name":"Aas","custom_fields":{"age":null}}
				{"email":"b@x.io","first_name":"Bea"}
				"""), null);

		// then
		assertThat(report).extracting(ImportReport::created, ImportReport::updated).containsExactly(0L, 1L);
		Map<String, Object> a = row("a@x.io");
		assertThat(a).containsEntry("first_name", "Ann")
			.containsEntry("last_name", "Aas")
			.containsEntry("city", "Oslo");
		assertThat(a.get("custom_fields"))
			.isEqualTo("{\"%s\": \"gold\"}".formatted(this.plan).transform(this::canonicalJson));
		assertThat((Long) a.get("change_seq")).isGreaterThan(aSeq);
		assertThat(row("b@x.io")).isEqualTo(bBefore);
	}

	@Test
	void listIdOptionAddsEveryImportedContactAndBumpsItsChangeSeq() throws IOException {
		// given contacts already imported
		Path file = write("contacts.csv", "email\na@x.io\nb@x.io\n");
		this.importer.importFile(file, null);
		long before = sequence();

		// when the same file is imported into a list
		ImportReport report = this.importer.importFile(file, this.vip);

		// then
		assertThat(report).extracting(ImportReport::imported, ImportReport::updated).containsExactly(2L, 0L);
		assertThat(this.jdbc.sql("SELECT count(*) FROM list_member WHERE list_id = ?")
			.param(this.vip)
			.query(Long.class)
			.single()).isEqualTo(2);
		assertThat(this.jdbc.sql("SELECT min(change_seq) FROM contact").query(Long.class).single())
			.isGreaterThan(before);
	}

}
