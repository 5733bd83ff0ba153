package io.segmat.cli;

import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.segmat.testsupport.Cli;
import io.segmat.testsupport.TestData;
import io.segmat.testsupport.TestDatabase;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

class MembersCsvExportTests {

	private static final String SLOT = "2026-06-01T10:15:00Z";

	/**
	 * Each contact's first_name by email: what a spreadsheet would run, what splits a
	 * row.
	 */
	private static final Map<String, String> HOSTILE = hostile();

	private final TestDatabase database = TestDatabase.create();

	private final Cli cli = new Cli(this.database);

	private final JdbcClient jdbc = JdbcClient.create(this.database.dataSource());

	private String segmentId;

	@BeforeEach
	void membersWithHostileValues() {
		TestData data = new TestData(this.jdbc);
		HOSTILE.forEach((email, firstName) -> data.contact(email, firstName, "UK"));
		data.update("c01@example.com", "last_name", "=HYPERLINK(\"http://x\",\"y\")");
		Cli.Result created = this.cli.run("segments", "create", "--name", "everyone", "--query-dsl",
				"SELECT contact_id, updated_at FROM contact_data");
		assertThat(created.exitCode()).as(created.err()).isZero();
		Cli.Result refreshed = this.cli.run("refresh", "--slot", SLOT, "--as-of", SLOT);
		assertThat(refreshed.exitCode()).as(refreshed.err()).isZero();
		this.segmentId = this.jdbc.sql("SELECT id::text FROM segment").query(String.class).single();
	}

	@Test
	void formulaCellsAreNeutralizedAndEveryValueSurvivesTheRoundTrip() throws IOException {
		Cli.Result result = this.cli.run("segments", "members", this.segmentId, "--format", "csv");

		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(result.out()).startsWith("contact_id,email,first_name,last_name\r\n").endsWith("\r\n");
		Map<String, CSVRecord> records = parse(result.out());
		assertThat(records).hasSize(HOSTILE.size());
		assertThat(firstNames(records))
			.containsExactlyInAnyOrderEntriesOf(Map.ofEntries(Map.entry("c01@example.com", "'=cmd|' /C calc'!A0"),
					Map.entry("c02@example.com", "'+1"), Map.entry("c03@example.com", "'-2"),
					Map.entry("c04@example.com", "'@x"), Map.entry("c05@example.com", "'\tTab"),
					Map.entry("c06@example.com", "'\rCr"), Map.entry("c07@example.com", "bare\rcr"),
					Map.entry("c08@example.com", "line\nfeed"), Map.entry("c09@example.com", "comma, here"),
					Map.entry("c10@example.com", "a \"quote\""), Map.entry("=1+2@example.com", "Plain")));
		assertThat(records.get("c01@example.com").get("last_name")).isEqualTo("'=HYPERLINK(\"http://x\",\"y\")");
		assertThat(records.get("=1+2@example.com").get("email")).isEqualTo("'=1+2@example.com");
	}

	@Test
	void withoutEscapingFormulasTheValuesComeBackRaw() throws IOException {
		Cli.Result result = this.cli.run("segments", "members", this.segmentId, "--no-escape-formulas");

		assertThat(result.exitCode()).as(result.err()).isZero();
		Map<String, CSVRecord> records = parse(result.out());
		assertThat(records).hasSize(HOSTILE.size());
		assertThat(firstNames(records)).containsExactlyInAnyOrderEntriesOf(HOSTILE);
		assertThat(records.get("c01@example.com").get("last_name")).isEqualTo("=HYPERLINK(\"http://x\",\"y\")");
		assertThat(records.get("=1+2@example.com").get("email")).isEqualTo("=1+2@example.com");
	}

	@Test
	void escapingFormulasCanBeAskedForExplicitly() throws IOException {
		Cli.Result result = this.cli.run("segments", "members", this.segmentId, "--escape-formulas");

		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(firstNames(parse(result.out()))).containsEntry("c02@example.com", "'+1");
	}

	/** The records by email, an escaped email keyed as the raw one. */
	private static Map<String, CSVRecord> parse(String csv) throws IOException {
		List<CSVRecord> records = CSVFormat.RFC4180.builder()
			.setHeader()
			.setSkipHeaderRecord(true)
			.get()
			.parse(new StringReader(csv))
			.getRecords();
		Map<String, CSVRecord> byEmail = new LinkedHashMap<>();
		for (CSVRecord record : records) {
			assertThat(record.size()).as(record.toString()).isEqualTo(4);
			String email = record.get("email");
			byEmail.put(email.startsWith("'") ? email.substring(1) : email, record);
		}
		assertThat(byEmail).hasSameSizeAs(records);
		return byEmail;
	}

	private static Map<String, String> firstNames(Map<String, CSVRecord> records) {
		Map<String, String> names = new LinkedHashMap<>();
		records.forEach((email, record) -> names.put(email, record.get("first_name")));
		return names;
	}

	private static Map<String, String> hostile() {
		Map<String, String> values = new LinkedHashMap<>();
		values.put("c01@example.com", "=cmd|' /C calc'!A0");
		values.put("c02@example.com", "+1");
		values.put("c03@example.com", "-2");
		values.put("c04@example.com", "@x");
		values.put("c05@example.com", "\tTab");
		values.put("c06@example.com", "\rCr");
		values.put("c07@example.com", "bare\rcr");
		values.put("c08@example.com", "line\nfeed");
		values.put("c09@example.com", "comma, here");
		values.put("c10@example.com", "a \"quote\"");
		values.put("=1+2@example.com", "Plain");
		return values;
	}

}
