package io.segmat.contacts;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import java.util.UUID;
import java.util.stream.Stream;

import io.segmat.contacts.ExportRequest.FileType;
import io.segmat.testsupport.SameInstant;
import io.segmat.testsupport.SpringTestSupport;
import io.segmat.testsupport.TestData;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contactExportJob through {@link ContactExporter#exportTo}, the command line's path;
 * the API's (background runs, serving, expiry) is in ContactExportApiTests.
 */
class ContactExportJobTests extends SpringTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	ContactExporter exporter;

	@Autowired
	JdbcClient jdbc;

	@TempDir
	Path folder;

	private TestData data;

	private UUID listId;

	private UUID segmentId;

	@BeforeEach
	void contactsOnAListAndInASegment() {
		database.truncateAll();
		this.data = new TestData(this.jdbc);
		for (int i = 0; i < 30; i++) {
			this.data.contact("c" + i + "@example.com", "First" + i, (i % 2 == 0) ? "UK" : "FR");
		}
		this.listId = this.data.list("newsletter");
		for (int i = 0; i < 12; i++) {
			this.data.addToList("c" + i + "@example.com", this.listId);
		}
		// 8 to 19: 8 to 11 are on the list too, and must come once
		List<String> members = new ArrayList<>();
		for (int i = 8; i < 20; i++) {
			members.add("c" + i + "@example.com");
		}
		this.segmentId = this.data.segmentWithMembers("members", members);
	}

	@Test
	void exportsEveryContactOfTheListsAndSegmentsOnceWithTheJobAndTheRowReady() throws IOException {
		Path output = this.folder.resolve("contacts.csv");

		ContactExport export = this.exporter.exportTo(request(FileType.CSV, 1_000_000, true), output);

		List<String> expected = this.jdbc.sql("""
				SELECT c.email FROM contact c
				WHERE c.contact_key IN (SELECT contact_key FROM list_member WHERE list_id = ?)
				   OR c.contact_key IN (SELECT m.contact_key FROM segment_member m
				                        JOIN segment s ON s.segment_key = m.segment_key WHERE s.id = ?)
				ORDER BY c.contact_key
				""").params(this.listId, this.segmentId).query(String.class).list();
		assertThat(expected).hasSize(20);
		assertThat(export.status()).isEqualTo(ContactExport.READY);
		assertThat(export.contactCount()).isEqualTo(20);
		assertThat(export.fileCount()).isEqualTo(1);
		assertThat(export.exportType()).isEqualTo("segment_export");
		assertThat(jobStatus(export)).isEqualTo("COMPLETED");
		assertThat(this.jdbc.sql("SELECT status FROM contact_export WHERE id = ?")
			.param(export.id())
			.query(String.class)
			.single()).isEqualTo("ready");
		List<CSVRecord> records = csv(Files.readString(output));
		assertThat(records).extracting((r) -> r.get("email")).containsExactlyElementsOf(expected);
		assertThat(names(this.folder)).containsExactly("contacts.csv");
	}

	@Test
	void csvHasTheImportsColumnNamesThenTheReadOnlyOnesThenCustomFieldsByName() throws IOException {
		String plan = this.data.field("plan", "Text");
		String age = this.data.field("age", "Number");
		String renewal = this.data.field("renewal", "Date");
		this.data.customField("c1@example.com", plan, "\"gold\"");
		this.data.customField("c1@example.com", age, "0.0000001");
		this.data.customField("c1@example.com", renewal, 1772445600);
		this.data.update("c1@example.com", "alternate_emails", new String[] { "a@x.io", "b@x.io" });
		Path output = this.folder.resolve("contacts.csv");

		this.exporter.exportTo(request(FileType.CSV, 1_000_000, true), output);

		String text = Files.readString(output);
		assertThat(text).startsWith("email,phone_number_id,external_id,anonymous_id,first_name,last_name,"
				+ "address_line_1,address_line_2,city,state_province_region,postal_code,country,phone_number,"
				+ "whatsapp,line,facebook,unique_name,alternate_emails,list_ids,created_at,updated_at,contact_id,"
				+ "plan,age,renewal\r\n");
		CSVRecord c1 = csv(text).stream().filter((r) -> r.get("email").equals("c1@example.com")).findFirst().get();
		assertThat(c1.get("first_name")).isEqualTo("First1");
		assertThat(c1.get("country")).isEqualTo("FR");
		assertThat(c1.get("alternate_emails")).isEqualTo("a@x.io;b@x.io");
		assertThat(c1.get("list_ids")).isEqualTo(this.listId.toString());
		assertThat(c1.get("plan")).isEqualTo("gold");
		assertThat(c1.get("age")).isEqualTo("0.0000001");
		assertThat(c1.get("renewal")).isEqualTo("2026-03-02T10:00:00Z");
		assertThat(c1.get("created_at")).isEqualTo("2026-01-01T00:00:00Z");
		assertThat(c1.get("contact_id"))
			.isEqualTo(this.jdbc.sql("SELECT id::text FROM contact WHERE email = 'c1@example.com'")
				.query(String.class)
				.single());
	}

	@Test
	void jsonIsOneContactObjectALine() throws IOException {
		String plan = this.data.field("plan", "Text");
		String renewal = this.data.field("renewal", "Date");
		this.data.customField("c9@example.com", plan, "\"gold\"");
		this.data.customField("c9@example.com", renewal, 1772445600);
		Path output = this.folder.resolve("contacts.json");

		ContactExport export = this.exporter.exportTo(request(FileType.JSON, 1_000_000, true), output);

		List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
		assertThat(lines).hasSize(20);
		assertThat(export.contactCount()).isEqualTo(20);
		JsonNode c9 = lines.stream()
			.map(JSON::readTree)
			.filter((n) -> n.get("email").asString().equals("c9@example.com"))
			.findFirst()
			.get();
		assertThat(c9.get("first_name").asString()).isEqualTo("First9");
		assertThat(c9.get("list_ids")).hasSize(1);
		assertThat(c9.get("list_ids").get(0).asString()).isEqualTo(this.listId.toString());
		assertThat(c9.get("custom_fields").get("plan").asString()).isEqualTo("gold");
		assertThat(c9.get("custom_fields").get("renewal").asString()).isEqualTo("2026-03-02T10:00:00Z");
		assertThat(c9.get("created_at").asString()).isEqualTo("2026-01-01T00:00:00Z");
		assertThat(c9.has("external_id")).as("an unset identifier is left out").isFalse();
		assertThat(c9.get("city").asString()).isEmpty();
	}

	@Test
	void filesSplitAtTheSizeLimitEachWithTheHeaderAndNoneOverIt() throws IOException {
		Path output = this.folder.resolve("contacts.csv");
		int header = Files.readString(exportOnce()).indexOf("\r\n") + 2;
		long limit = header + 3L * 200;

		ContactExport export = this.exporter.exportTo(request(FileType.CSV, limit, true), output);

		assertThat(export.status()).isEqualTo(ContactExport.READY);
		assertThat(export.fileCount()).isGreaterThan(3);
		assertThat(Files.exists(output)).as("several files: no file under the plain name").isFalse();
		List<String> emails = new ArrayList<>();
		for (int part = 1; part <= export.fileCount(); part++) {
			Path file = this.folder.resolve("contacts-" + part + ".csv");
			assertThat(export.files().get(part - 1)).isEqualTo(file);
			assertThat(Files.size(file)).as("part %d", part).isLessThanOrEqualTo(limit);
			String text = Files.readString(file);
			assertThat(text).startsWith("email,");
			List<CSVRecord> records = csv(text);
			assertThat(records).isNotEmpty();
			records.forEach((r) -> emails.add(r.get("email")));
		}
		assertThat(Files.exists(this.folder.resolve("contacts-" + (export.fileCount() + 1) + ".csv"))).isFalse();
		assertThat(emails).hasSize(20).doesNotHaveDuplicates();
		assertThat(emails).containsExactlyElementsOf(this.jdbc.sql("""
				SELECT c.email FROM contact c
				WHERE c.contact_key IN (SELECT contact_key FROM list_member WHERE list_id = ?)
				   OR c.contact_key IN (SELECT m.contact_key FROM segment_member m
				                        JOIN segment s ON s.segment_key = m.segment_key WHERE s.id = ?)
				ORDER BY c.contact_key
				""").params(this.listId, this.segmentId).query(String.class).list());
	}

	@Test
	void aContactLargerThanTheLimitGetsAFileOfItsOwn() throws IOException {
		ContactExport export = this.exporter.exportTo(request(FileType.JSON, 10, true),
				this.folder.resolve("tiny.json"));

		assertThat(export.fileCount()).isEqualTo(20);
		for (Path file : export.files()) {
			assertThat(Files.readAllLines(file)).hasSize(1);
		}
	}

	@Test
	void formulaCellsAreNeutralizedUnlessTurnedOff() throws IOException {
		this.data.update("c0@example.com", "first_name", "=cmd|' /C calc'!A0");
		this.data.update("c0@example.com", "last_name", "@SUM(1+1)");
		this.data.update("c0@example.com", "city", "-2+3");
		this.data.update("c0@example.com", "country", "+1");
		this.data.update("c0@example.com", "address_line_1", "\tTab");
		this.data.update("c0@example.com", "address_line_2", "line\nfeed, \"quoted\"");

		this.exporter.exportTo(request(FileType.CSV, 1_000_000, true), this.folder.resolve("safe.csv"));
		this.exporter.exportTo(request(FileType.CSV, 1_000_000, false), this.folder.resolve("raw.csv"));

		CSVRecord safe = c0(Files.readString(this.folder.resolve("safe.csv")));
		assertThat(List.of(safe.get("first_name"), safe.get("last_name"), safe.get("city"), safe.get("country"),
				safe.get("address_line_1"), safe.get("address_line_2")))
			.containsExactly("'=cmd|' /C calc'!A0", "'@SUM(1+1)", "'-2+3", "'+1", "'\tTab", "line\nfeed, \"quoted\"");
		CSVRecord raw = c0(Files.readString(this.folder.resolve("raw.csv")));
		assertThat(List.of(raw.get("first_name"), raw.get("last_name"), raw.get("city"), raw.get("country"),
				raw.get("address_line_1")))
			.containsExactly("=cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "+1", "\tTab");
	}

	@Test
	void noListsOrSegmentsExportsEveryContact() throws IOException {
		ContactExport export = this.exporter.exportTo(
				new ExportRequest(List.of(), List.of(), FileType.CSV, 1_000_000, true), this.folder.resolve("all.csv"));

		assertThat(export.exportType()).isEqualTo("contacts_export");
		assertThat(export.contactCount()).isEqualTo(30);
		assertThat(csv(Files.readString(this.folder.resolve("all.csv")))).hasSize(30);
	}

	@Test
	void aJobThatCannotWriteItsFileFailsTheExportAndLeavesNoFileBehind() throws IOException {
		// the first file's name is taken by a folder: the writer cannot open it
		Files.createDirectory(this.folder.resolve("blocked-1.csv"));

		ContactExport export = this.exporter.exportTo(request(FileType.CSV, 1_000_000, true),
				this.folder.resolve("blocked.csv"));

		assertThat(export.status()).isEqualTo(ContactExport.FAILURE);
		assertThat(export.message())
			.isEqualTo("the export failed: its file could not be written; see the server's log");
		assertThat(jobStatus(export)).isEqualTo("FAILED");
		assertThat(this.jdbc.sql("SELECT status, file_count FROM contact_export WHERE id = ?")
			.param(export.id())
			.query((rs, n) -> rs.getString(1) + " " + rs.getInt(2))
			.single()).isEqualTo("failure 0");
		assertThat(Files.exists(this.folder.resolve("blocked.csv"))).isFalse();
		assertThat(names(this.folder)).containsExactly("blocked-1.csv");
	}

	@Test
	void aFailureAfterSomeFilesDeletesThemAll() {
		// the third file is blocked: two are written, then the job fails
		Path output = this.folder.resolve("split.json");
		try {
			Files.createDirectory(this.folder.resolve("split-3.json"));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}

		ContactExport export = this.exporter.exportTo(request(FileType.JSON, 10, true), output);

		assertThat(export.status()).isEqualTo(ContactExport.FAILURE);
		assertThat(jobStatus(export)).isEqualTo("FAILED");
		assertThat(Files.exists(this.folder.resolve("split-1.json"))).isFalse();
		assertThat(Files.exists(this.folder.resolve("split-2.json"))).isFalse();
	}

	private Path exportOnce() {
		Path probe = this.folder.resolve("probe.csv");
		this.exporter.exportTo(request(FileType.CSV, 1_000_000, true), probe);
		return probe;
	}

	@Test
	void twoExportsStartedAtTheSameInstantBothComplete() throws Exception {
		List<String> statuses = new ArrayList<>();
		try (SameInstant sameInstant = new SameInstant()) {
			for (int round = 0; round < 12; round++) {
				// given two exports to two files
				Path first = this.folder.resolve("a" + round + ".csv");
				Path second = this.folder.resolve("b" + round + ".csv");

				// when both start at the same instant, as a command and an API request
				// may
				SameInstant.Both<ContactExport, ContactExport> both = sameInstant.run(
						() -> this.exporter.exportTo(request(FileType.CSV, 1_000_000, true), first),
						() -> this.exporter.exportTo(request(FileType.CSV, 1_000_000, true), second));
				statuses.add(both.first().status());
				statuses.add(both.second().status());
			}
		}

		// then every export is ready, its job completed
		assertThat(statuses).hasSize(24).containsOnly(ContactExport.READY);
		assertThat(this.jdbc.sql("""
				SELECT e.status FROM batch_job_execution e JOIN batch_job_instance i USING (job_instance_id)
				WHERE i.job_name = ?
				""").param(ContactExportJobConfiguration.JOB_NAME).query(String.class).list()).hasSize(24)
			.containsOnly("COMPLETED");
	}

	private ExportRequest request(FileType type, long maxBytes, boolean escapeFormulas) {
		return new ExportRequest(List.of(this.listId), List.of(this.segmentId), type, maxBytes, escapeFormulas);
	}

	private String jobStatus(ContactExport export) {
		return this.jdbc.sql("""
				SELECT e.status FROM batch_job_execution e JOIN batch_job_instance i USING (job_instance_id)
				WHERE e.job_execution_id = ? AND i.job_name = 'contactExportJob'
				""").param(export.jobExecutionId()).query(String.class).single();
	}

	private static List<String> names(Path folder) throws IOException {
		try (Stream<Path> files = Files.list(folder)) {
			return files.map((p) -> p.getFileName().toString()).toList();
		}
	}

	private static CSVRecord c0(String text) throws IOException {
		return csv(text).stream().filter((r) -> r.get("email").equals("c0@example.com")).findFirst().get();
	}

	static List<CSVRecord> csv(String text) throws IOException {
		return CSVFormat.RFC4180.builder()
			.setHeader()
			.setSkipHeaderRecord(true)
			.get()
			.parse(new StringReader(text))
			.getRecords();
	}

}
