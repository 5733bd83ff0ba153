package io.segmat.contacts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.segmat.InvalidInputException;
import io.segmat.SegmatApplication;
import io.segmat.db.ChangeSequence;
import io.segmat.fields.CustomFieldDefinitions;
import io.segmat.ingest.ImportJson;
import io.segmat.ingest.ImportTally;
import io.segmat.ingest.JobOutcome;
import io.segmat.ingest.RefusalSplitter;
import io.segmat.ingest.RowError;
import io.segmat.lists.ContactLists;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

// A chunk of 3 rows makes every small file span several chunks.
@SpringBootTest(classes = SegmatApplication.class, properties = "segmat.import.chunk-size=3")
class ContactImportTests {

	static final TestDatabase database = TestDatabase.create();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		database.register(registry);
	}

	@Autowired
	ContactImporter importer;

	@Autowired
	ContactLists lists;

	@Autowired
	CustomFieldDefinitions fields;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JdbcTemplate jdbcTemplate;

	@Autowired
	ChangeSequence changes;

	@Autowired
	Clock clock;

	@Autowired
	PlatformTransactionManager transactionManager;

	@TempDir
	Path dir;

	String plan;

	String age;

	String signup;

	UUID vip;

	@BeforeEach
	void cleanDatabaseWithFieldsAndAList() {
		database.truncateAll();
		this.jdbc.sql("DROP TRIGGER IF EXISTS fail_once ON contact").update();
		this.plan = this.fields.create("plan", "Text").id();
		this.age = this.fields.create("age", "Number").id();
		this.signup = this.fields.create("signup_date", "Date").id();
		this.vip = this.lists.create("vip").id();
	}

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
	void reimportingTheSameFileChangesNothing() throws IOException {
		// given
		Path file = write("contacts.ndjson", """
				{"email":"A@x.io","first_name":"A","list_ids":["%s"],"custom_fields":{"age":1}}
				{"email":"b@x.io","first_name":"B"}
				{"email":"c@x.io","custom_fields":{"signup_date":"2024-01-01T00:00:00Z"}}
				{"email":"d@x.io","alternate_emails":["d@other.io"]}
				""".formatted(this.vip));
		ImportReport first = this.importer.importFile(file, this.vip);
		List<String> before = snapshot();
		long sequence = sequence();

		// when
		ImportReport second = this.importer.importFile(file, this.vip);

		// then
		assertThat(second.status()).isEqualTo("COMPLETED");
		assertThat(second.jobExecutionId()).isNotEqualTo(first.jobExecutionId());
		assertThat(second).extracting(ImportReport::imported, ImportReport::created, ImportReport::updated)
			.containsExactly(4L, 0L, 0L);
		assertThat(snapshot()).isEqualTo(before);
		assertThat(sequence()).isEqualTo(sequence);
		assertThat(this.jdbc.sql("SELECT count(*) FROM list_member").query(Long.class).single()).isEqualTo(4);
		assertThat(this.jdbc.sql("""
				SELECT count(*) FROM batch_job_execution e JOIN batch_job_instance i USING (job_instance_id)
				WHERE i.job_name = 'contactImportJob' AND e.status = 'COMPLETED'
				""").query(Long.class).single()).isEqualTo(2);
	}

	@Test
	void anUnchangedReimportSkipsEveryRowByItsDigest() throws IOException {
		// given a file with lists, custom fields and alternate emails, imported once
		Path file = write("contacts.ndjson",
				"""
						{"email":"a@x.io","first_name":"A","alternate_emails":["a@other.io"],"list_ids":["%s"],"custom_fields":{"plan":"gold","age":1}}
						{"email":"b@x.io","first_name":"B","custom_fields":{"signup_date":"2024-01-01"}}
						{"email":"c@x.io","city":"Oslo"}
						{"email":"d@x.io"}
						"""
					.formatted(this.vip));
		this.importer.importFile(file, null);
		List<String> before = snapshot();
		long sequence = sequence();

		// when
		ImportReport second = this.importer.importFile(file, null);

		// then no row was compared or written: every one matched its contact's digest
		assertThat(unchanged(second)).isEqualTo(4);
		assertThat(second).extracting(ImportReport::imported, ImportReport::created, ImportReport::updated)
			.containsExactly(4L, 0L, 0L);
		assertThat(snapshot()).isEqualTo(before);
		assertThat(sequence()).isEqualTo(sequence);
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact WHERE import_hash IS NULL").query(Long.class).single())
			.isZero();
	}

	@Test
	void aChangedRowGetsANewChangeSeqAndDigestWhileUnchangedRowsKeepTheirs() throws IOException {
		// given
		this.importer.importFile(write("first.ndjson", """
				{"email":"a@x.io","first_name":"A","custom_fields":{"age":1}}
				{"email":"b@x.io","first_name":"B"}
				"""), null);
		Map<String, Object> aBefore = hashAndSeq("a@x.io");
		Map<String, Object> bBefore = hashAndSeq("b@x.io");

		// when the same file comes again with one value of a changed
		ImportReport report = this.importer.importFile(write("second.ndjson", """
				{"email":"a@x.io","first_name":"A","custom_fields":{"age":2}}
				{"email":"b@x.io","first_name":"B"}
				"""), null);

		// then
		assertThat(report).extracting(ImportReport::created, ImportReport::updated).containsExactly(0L, 1L);
		assertThat(unchanged(report)).isEqualTo(1);
		Map<String, Object> a = hashAndSeq("a@x.io");
		assertThat((Long) a.get("change_seq")).isGreaterThan((Long) aBefore.get("change_seq"));
		assertThat(a.get("import_hash")).isNotNull().isNotEqualTo(aBefore.get("import_hash"));
		assertThat(hashAndSeq("b@x.io")).isEqualTo(bBefore);
		assertThat(row("a@x.io").get("custom_fields"))
			.isEqualTo("{\"%s\": 2}".formatted(this.age).transform(this::canonicalJson));
	}

	@Test
	void contactsWithoutADigestAreComparedOnceAndGetOneWithoutANewChangeSeq() throws IOException {
		// given contacts that hold the file's values but no digest, as contacts imported
		// before digests existed
		Path file = write("contacts.ndjson", """
				{"email":"a@x.io","first_name":"A","list_ids":["%s"]}
				{"email":"b@x.io","custom_fields":{"plan":"gold"}}
				""".formatted(this.vip));
		this.importer.importFile(file, null);
		this.jdbc.sql("UPDATE contact SET import_hash = NULL").update();
		List<String> before = this.jdbc
			.sql("SELECT email || ' ' || change_seq || ' ' || updated_at FROM contact ORDER BY email")
			.query(String.class)
			.list();
		long sequence = sequence();

		// when
		ImportReport compared = this.importer.importFile(file, null);
		ImportReport skipped = this.importer.importFile(file, null);

		// then the first re-import compared the rows, found nothing to change and stored
		// their digests
		assertThat(compared).extracting(ImportReport::created, ImportReport::updated).containsExactly(0L, 0L);
		assertThat(unchanged(compared)).isZero();
		assertThat(this.jdbc.sql("SELECT email || ' ' || change_seq || ' ' || updated_at FROM contact ORDER BY email")
			.query(String.class)
			.list()).isEqualTo(before);
		assertThat(sequence()).isEqualTo(sequence);
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact WHERE import_hash IS NULL").query(Long.class).single())
			.isZero();
		// and the next one took the fast path
		assertThat(unchanged(skipped)).isEqualTo(2);
	}

	@Test
	void aRowThatOnlyAddsAListMovesChangeSeqButNotUpdatedAt() throws IOException {
		// given
		this.importer.importFile(write("first.ndjson", "{\"email\":\"a@x.io\",\"first_name\":\"A\"}\n"), null);
		Map<String, Object> before = row("a@x.io");

		// when the same values come with a list
		ImportReport report = this.importer.importFile(write("second.ndjson", """
				{"email":"a@x.io","first_name":"A","list_ids":["%s"]}
				""".formatted(this.vip)), null);

		// then
		assertThat(report).extracting(ImportReport::created, ImportReport::updated).containsExactly(0L, 0L);
		Map<String, Object> after = row("a@x.io");
		assertThat((Long) after.get("change_seq")).isGreaterThan((Long) before.get("change_seq"));
		assertThat(after.get("updated_at")).isEqualTo(before.get("updated_at"));
		assertThat(this.jdbc.sql("SELECT count(*) FROM list_member").query(Long.class).single()).isEqualTo(1);
		// and the contact now holds that row: importing it again is the fast path
		assertThat(unchanged(this.importer.importFile(write("third.ndjson", """
				{"email":"a@x.io","first_name":"A","list_ids":["%s"]}
				""".formatted(this.vip)), null))).isEqualTo(1);
	}

	@Test
	void twoFilesOverTheSameContactsDoNotRewriteThemWhenNothingChanges() throws IOException {
		// given a contact written by a full row, then given a partial row with the same
		// values
		this.importer
			.importFile(write("full.ndjson", "{\"email\":\"a@x.io\",\"first_name\":\"A\",\"city\":\"Oslo\"}\n"), null);
		Map<String, Object> before = hashAndSeq("a@x.io");
		String version = this.jdbc.sql("SELECT xmin::text FROM contact").query(String.class).single();

		// when
		ImportReport report = this.importer
			.importFile(write("partial.ndjson", "{\"email\":\"a@x.io\",\"first_name\":\"A\"}\n"), null);

		// then the contact keeps the full row's digest and was not written at all
		assertThat(report).extracting(ImportReport::updated).isEqualTo(0L);
		assertThat(hashAndSeq("a@x.io")).isEqualTo(before);
		assertThat(this.jdbc.sql("SELECT xmin::text FROM contact").query(String.class).single()).isEqualTo(version);
	}

	@Test
	void deletingAListMakesTheImportCompareItsFormerMembersAgain() throws IOException {
		// given
		UUID other = this.lists.create("other").id();
		this.importer.importFile(write("contacts.ndjson", """
				{"email":"a@x.io","list_ids":["%s"]}
				{"email":"b@x.io","list_ids":["%s"]}
				""".formatted(this.vip, other)), null);

		// when
		this.lists.delete(other);

		// then
		assertThat(this.jdbc.sql("SELECT email FROM contact WHERE import_hash IS NULL").query(String.class).list())
			.containsExactly("b@x.io");
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
	void aChunkWaitsForAConcurrentImportsChunkAndThenUpdatesTheContactsItInserted() throws Exception {
		// given one import's chunk that has inserted a@x.io and not committed yet
		TransactionTemplate tx = new TransactionTemplate(this.transactionManager);
		CountDownLatch written = new CountDownLatch(1);
		CountDownLatch commit = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			Future<?> first = pool.submit(() -> tx.executeWithoutResult((status) -> {
				write(contactRow(1, "a@x.io", "first_name", "Ann"));
				written.countDown();
				await(commit);
			}));
			assertThat(written.await(1, TimeUnit.MINUTES)).isTrue();

			// when another import writes a chunk with the same email
			Future<?> second = pool
				.submit(() -> tx.executeWithoutResult((status) -> write(contactRow(1, "a@x.io", "city", "Oslo"))));
			waitForAnAdvisoryLockWait();
			commit.countDown();
			first.get();
			second.get();
		}
		finally {
			pool.shutdownNow();
		}

		// then it waited for the first to commit, found the contact, and updated it
		assertThat(emails()).containsExactly("a@x.io");
		assertThat(row("a@x.io")).containsEntry("first_name", "Ann").containsEntry("city", "Oslo");
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

	@Test
	void aFailureMidFileFollowedByARerunConvergesToACleanImport() throws IOException {
		// given a writer failure, once, in the third chunk (rows 7-9)
		failOnceOn("g@x.io");
		StringBuilder lines = new StringBuilder();
		for (char c = 'a'; c <= 'k'; c++) {
			lines.append(
					"{\"email\":\"%s@x.io\",\"first_name\":\"%s\",\"list_ids\":[\"%s\"]}\n".formatted(c, c, this.vip));
		}
		Path file = write("contacts.ndjson", lines.toString());
		ImportReport failed = this.importer.importFile(file, null);
		assertThat(failed.status()).isEqualTo("FAILED");
		assertThat(failed.failure()).contains("injected failure");
		assertThat(emails()).containsExactly("a@x.io", "b@x.io", "c@x.io", "d@x.io", "e@x.io", "f@x.io");

		// when
		ImportReport rerun = this.importer.importFile(file, null);

		// then the same instance was restarted from its last commit and the state is
		// complete
		assertThat(rerun.status()).isEqualTo("COMPLETED");
		assertThat(rerun).extracting(ImportReport::read, ImportReport::imported, ImportReport::created)
			.containsExactly(11L, 11L, 11L);
		assertThat(emails()).hasSize(11);
		assertThat(this.jdbc.sql("SELECT count(*) FROM list_member").query(Long.class).single()).isEqualTo(11);
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact WHERE first_name || '@x.io' = email")
			.query(Long.class)
			.single()).isEqualTo(11);
		// the restart read only the rows after the last committed chunk
		assertThat(stepReadCounts()).hasSize(2).last().isEqualTo(5L);
	}

	@Test
	void anExecutionLeftStartedByAKilledProcessIsRecoveredAndRestarted() throws IOException {
		// given an import that failed mid-file, then made to look like its process was
		// killed
		failOnceOn("d@x.io");
		Path file = write("contacts.csv", "email,first_name\na@x.io,A\nb@x.io,B\nc@x.io,C\nd@x.io,D\ne@x.io,E\n");
		ImportReport crashed = this.importer.importFile(file, null);
		this.jdbc.sql(
				"UPDATE batch_job_execution SET status = 'STARTED', exit_code = 'UNKNOWN', end_time = NULL WHERE job_execution_id = ?")
			.param(crashed.jobExecutionId())
			.update();
		this.jdbc.sql(
				"UPDATE batch_step_execution SET status = 'STARTED', exit_code = 'EXECUTING', end_time = NULL WHERE job_execution_id = ?")
			.param(crashed.jobExecutionId())
			.update();

		// when
		ImportReport rerun = this.importer.importFile(file, null);

		// then
		assertThat(rerun.status()).isEqualTo("COMPLETED");
		assertThat(rerun.read()).isEqualTo(5);
		assertThat(emails()).containsExactly("a@x.io", "b@x.io", "c@x.io", "d@x.io", "e@x.io");
		assertThat(this.jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = ?")
			.param(crashed.jobExecutionId())
			.query(String.class)
			.single()).isEqualTo("FAILED");
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
	void aRefusedRowIsReportedOnceWhenAFailedImportIsResumed() throws IOException {
		// given a row the database refuses in the first chunk and a failure, once, in
		// the third
		this.jdbc.sql("ALTER TABLE contact ADD CONSTRAINT no_mallory CHECK (first_name IS DISTINCT FROM 'Mallory')")
			.update();
		failOnceOn("h@x.io");
		try {
			StringBuilder lines = new StringBuilder();
			for (char c = 'a'; c <= 'i'; c++) {
				lines
					.append("{\"email\":\"%s@x.io\",\"first_name\":\"%s\"}\n".formatted(c, (c == 'b') ? "Mallory" : c));
			}
			Path file = write("contacts.ndjson", lines.toString());
			ImportReport failed = this.importer.importFile(file, null);
			assertThat(failed.status()).isEqualTo("FAILED");

			// when
			ImportReport resumed = this.importer.importFile(file, null);

			// then
			assertThat(resumed.status()).isEqualTo("COMPLETED");
			assertThat(resumed.exitStatus()).isEqualTo(ImportTally.COMPLETED_WITH_ERRORS);
			assertThat(resumed).extracting(ImportReport::read, ImportReport::imported, ImportReport::skipped)
				.containsExactly(9L, 8L, 1L);
			assertThat(resumed.errors()).containsExactly(new RowError(2, RefusalSplitter.REFUSED));
			assertThat(emails()).hasSize(8).doesNotContain("b@x.io");
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

	private void failOnceOn(String email) {
		this.jdbc.sql("CREATE SEQUENCE IF NOT EXISTS fail_once_seq").update();
		this.jdbc.sql("SELECT setval('fail_once_seq', 1, false)").query().singleRow();
		this.jdbc.sql("""
				CREATE OR REPLACE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN
				    IF NEW.email = TG_ARGV[0] AND nextval('fail_once_seq') = 1 THEN
				        RAISE EXCEPTION 'injected failure';
				    END IF;
				    RETURN NEW;
				END $$
				""").update();
		this.jdbc
			.sql("CREATE TRIGGER fail_once BEFORE INSERT ON contact FOR EACH ROW EXECUTE FUNCTION fail_once('" + email
					+ "')")
			.update();
	}

	private void write(ContactRow row) {
		try {
			new ContactWriter(this.jdbc, this.jdbcTemplate, this.changes, this.clock,
					new ImportTally(ContactImportJobConfiguration.COUNTERS), this.transactionManager)
				.write(new Chunk<>(List.of(row)));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static ContactRow contactRow(long line, String email, String column, String value) {
		ContactRow row = new ContactRow(line, email);
		row.text(ContactLimits.TEXT_COLUMNS.indexOf(column), value);
		return row;
	}

	private static void await(CountDownLatch latch) {
		try {
			assertThat(latch.await(1, TimeUnit.MINUTES)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Until a session of this database waits for an advisory lock; a condition, not a
	 * duration.
	 */
	private void waitForAnAdvisoryLockWait() throws InterruptedException {
		for (int i = 0; i < 6000; i++) {
			if (this.jdbc.sql("""
					SELECT count(*) FROM pg_stat_activity
					WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'
					""").query(Long.class).single() > 0) {
				return;
			}
			Thread.sleep(10);
		}
		throw new AssertionError("no session waited for an advisory lock");
	}

	/** Rows the import skipped by their digest, from the tally its step saved. */
	private long unchanged(ImportReport report) {
		return JobOutcome
			.of(this.jobRepository.getJobExecution(report.jobExecutionId()), ContactImportJobConfiguration.STEP_NAME,
					ContactImportJobConfiguration.COUNTERS)
			.tally()
			.count(ContactWriter.UNCHANGED);
	}

	private Map<String, Object> hashAndSeq(String email) {
		return this.jdbc.sql(
				"SELECT encode(import_hash, 'hex') AS import_hash, change_seq, updated_at FROM contact WHERE email = ?")
			.param(email)
			.query()
			.singleRow();
	}

	private List<Long> stepReadCounts() {
		return this.jdbc.sql("""
				SELECT s.read_count FROM batch_step_execution s
				JOIN batch_job_execution e USING (job_execution_id)
				JOIN batch_job_instance i USING (job_instance_id)
				WHERE i.job_name = 'contactImportJob' ORDER BY s.step_execution_id
				""").query(Long.class).list();
	}

	private Path write(String name, String content) throws IOException {
		return Files.writeString(this.dir.resolve(name), content);
	}

	private Map<String, Object> row(String email) {
		return this.jdbc.sql("""
				SELECT first_name, last_name, city, country, address_line_1, alternate_emails::text,
				       email_domains::text, custom_fields::text, change_seq, updated_at
				FROM contact WHERE email = ?
				""").param(email).query().singleRow();
	}

	private List<String> emails() {
		return this.jdbc.sql("SELECT email FROM contact ORDER BY email").query(String.class).list();
	}

	private List<String> snapshot() {
		return this.jdbc.sql("""
				SELECT to_jsonb(c)::text || (SELECT array_agg(list_id ORDER BY list_id) FROM list_member m
				                             WHERE m.contact_key = c.contact_key)::text
				FROM contact c ORDER BY email
				""").query(String.class).list();
	}

	private long sequence() {
		return this.jdbc.sql("SELECT last_value FROM change_seq").query(Long.class).single();
	}

	private String canonicalJson(String json) {
		return this.jdbc.sql("SELECT CAST(? AS jsonb)::text").param(json).query(String.class).single();
	}

}
