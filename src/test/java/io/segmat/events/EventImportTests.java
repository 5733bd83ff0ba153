package io.segmat.events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import io.segmat.SegmatApplication;
import io.segmat.contacts.ContactImporter;
import io.segmat.ingest.ImportTally;
import io.segmat.ingest.RefusalSplitter;
import io.segmat.ingest.RowError;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(classes = SegmatApplication.class, properties = "segmat.import.chunk-size=4")
class EventImportTests {

	static final TestDatabase database = TestDatabase.create();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		database.register(registry);
	}

	@Autowired
	EventImporter importer;

	@Autowired
	ContactImporter contacts;

	@Autowired
	JdbcClient jdbc;

	@TempDir
	Path dir;

	@BeforeEach
	void twoContacts() throws IOException {
		database.truncateAll();
		this.contacts.importFile(write("contacts.ndjson", """
				{"email":"ada@x.io"}
				{"email":"Bob@X.io"}
				"""), null);
	}

	@Test
	void ndjsonEventsAreStoredWithPayloadColumnsAndUniqueArgs() throws IOException {
		// given
		Path file = write("events.ndjson",
				"""
						{"email":"ADA@x.io","timestamp":1732780800,"event":"click","sg_event_id":"e1","sg_message_id":"m1","singlesend_id":"ss-1","url":"https://x.io/a","template_id":"t-9","phase_id":"send","campaign":"black-friday","category":["promo"]}
						{"email":"bob@x.io","timestamp":1732780900,"event":"open","sg_event_id":"e2","automation_id":"au-1"}
						""");

		// when
		EventImportReport report = this.importer.importFile(file);

		// then
		assertThat(report.status()).isEqualTo("COMPLETED");
		assertThat(report)
			.extracting(EventImportReport::read, EventImportReport::imported, EventImportReport::duplicates,
					EventImportReport::unknownEmail, EventImportReport::invalid)
			.containsExactly(2L, 2L, 0L, 0L, 0L);
		Map<String, Object> click = this.jdbc.sql("""
				SELECT c.email, e.event_source, e.event_type, e.occurred_at = to_timestamp(1732780800) AS at_ok,
				       e.singlesend_id, e.template_id, e.url,
				       e.data #>> '{payload,unique_args,singlesend_id}' AS ua_singlesend,
				       e.data #>> '{payload,unique_args,phase_id}' AS ua_phase,
				       e.data #>> '{payload,unique_args,campaign}' AS ua_campaign,
				       e.data #>> '{payload,url}' AS payload_url,
				       e.data #> '{payload,unique_args,sg_message_id}' IS NOT NULL AS standard_copied
				FROM email_event e JOIN contact c USING (contact_key) WHERE e.sg_event_id = 'e1'
				""").query().singleRow();
		assertThat(click).containsEntry("email", "ada@x.io")
			.containsEntry("event_source", "mail")
			.containsEntry("event_type", "click")
			.containsEntry("at_ok", true)
			.containsEntry("singlesend_id", "ss-1")
			.containsEntry("template_id", "t-9")
			.containsEntry("url", "https://x.io/a")
			.containsEntry("ua_singlesend", "ss-1")
			.containsEntry("ua_phase", "send")
			.containsEntry("ua_campaign", "black-friday")
			.containsEntry("payload_url", "https://x.io/a")
			.containsEntry("standard_copied", false);
		assertThat(this.jdbc.sql("SELECT automation_id FROM email_event WHERE sg_event_id = 'e2'")
			.query(String.class)
			.single()).isEqualTo("au-1");
		assertThat(this.jdbc.sql("SELECT count(*) FROM email_event WHERE seq <= (SELECT last_value FROM change_seq)")
			.query(Long.class)
			.single()).isEqualTo(2);
	}

	@Test
	void aJsonArrayIsDeduplicatedBySgEventIdAndUnknownEmailsAreSkipped() throws IOException {
		// given an array spread over lines, a repeat inside one chunk, one across chunks,
		// one unknown email
		Path file = write("events.json", """
				[
				  {"email":"ada@x.io","timestamp":1,"event":"delivered","sg_event_id":"a"},
				  {"email":"ada@x.io","timestamp":1,"event":"delivered","sg_event_id":"a"},
				  {"email":"nobody@x.io","timestamp":2,"event":"open","sg_event_id":"n"},
				  {"email":"bob@x.io","timestamp":3,"event":"open","sg_event_id":"b"},
				  {"email":"bob@x.io","timestamp":3,
				   "event":"open","sg_event_id":"b"},
				  {"email":"bob@x.io","event":"open","sg_event_id":"no-time"}
				]
				""");

		// when
		EventImportReport report = this.importer.importFile(file);
		EventImportReport again = this.importer.importFile(file);

		// then
		assertThat(report)
			.extracting(EventImportReport::read, EventImportReport::imported, EventImportReport::duplicates,
					EventImportReport::unknownEmail, EventImportReport::invalid)
			.containsExactly(6L, 2L, 2L, 1L, 1L);
		assertThat(report.errors())
			.containsExactly(new RowError(8, "timestamp", "timestamp must be a number of epoch seconds"));
		assertThat(again).extracting(EventImportReport::imported, EventImportReport::duplicates)
			.containsExactly(0L, 4L);
		assertThat(this.jdbc.sql("SELECT sg_event_id FROM email_event ORDER BY 1").query(String.class).list())
			.containsExactly("a", "b");
	}

	@Test
	void malformedLinesAreReportedAndTheOthersLoaded() throws IOException {
		Path file = write("events.ndjson", """
				{"email":"ada@x.io","timestamp":1,"event":"open","sg_event_id":"ok"}
				{"email":"ada@x.io","timestamp":1,"event":"open",
				{"email":"ada@x.io","timestamp":1,"event":"open"}
				""");

		EventImportReport report = this.importer.importFile(file);

		assertThat(report.imported()).isEqualTo(1);
		assertThat(report.errors()).extracting(RowError::line).containsExactly(2L, 3L);
		assertThat(report.errors().get(0).reason()).startsWith("malformed JSON");
		assertThat(report.errors().get(1).reason()).isEqualTo("sg_event_id is required");
	}

	static Stream<Arguments> valuesPostgresqlCannotStore() {
		return Stream.of(Arguments.of("timestamp after 9999", "\"timestamp\":99999999999999999", "timestamp"),
				Arguments.of("timestamp before year 1", "\"timestamp\":-99999999999", "timestamp"),
				Arguments.of("NUL in a custom arg", "\"timestamp\":1,\"campaign\":\"a\\u0000b\"", "campaign"),
				Arguments.of("NUL in a column", "\"timestamp\":1,\"url\":\"https://x.io/\\u0000\"", "url"),
				Arguments.of("NUL in a name", "\"timestamp\":1,\"a\\u0000b\":1", "a\uFFFDb"),
				Arguments.of("lone surrogate inside unique_args",
						"\"timestamp\":1,\"unique_args\":{\"tags\":[\"ok\",\"\\udbff\"]}", "unique_args.tags[1]"),
				Arguments.of("1e400", "\"timestamp\":1,\"score\":1e400", "score"),
				Arguments.of("1e-400", "\"timestamp\":1,\"score\":1e-400", "score"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesPostgresqlCannotStore")
	void anEventPostgresqlCannotStoreCostsOnlyItself(String name, String badValues, String field) throws IOException {
		// given the bad event in the second chunk (lines 5-8), good ones around it
		StringBuilder lines = new StringBuilder();
		for (int i = 1; i <= 10; i++) {
			lines.append((i == 6)
					? "{\"email\":\"ada@x.io\",\"event\":\"open\",\"sg_event_id\":\"bad\",%s}\n".formatted(badValues)
					: "{\"email\":\"ada@x.io\",\"timestamp\":%d,\"event\":\"open\",\"sg_event_id\":\"e%d\",\"score\":0.5}\n"
						.formatted(i, i));
		}
		Path file = write("events.ndjson", lines.toString());

		// when
		EventImportReport report = this.importer.importFile(file);

		// then
		assertThat(report.status()).isEqualTo("COMPLETED");
		assertThat(report.exitStatus()).isEqualTo(ImportTally.COMPLETED_WITH_ERRORS);
		assertThat(report).extracting(EventImportReport::read, EventImportReport::imported, EventImportReport::invalid)
			.containsExactly(10L, 9L, 1L);
		assertThat(report.errors()).singleElement().satisfies((error) -> {
			assertThat(error.line()).isEqualTo(6);
			assertThat(error.field()).isEqualTo(field);
			assertThat(error.reason()).doesNotContain("ERROR", "jsonb", "out of range for type", "Unicode escape");
		});
		assertThat(report.failure()).isNull();
		assertThat(this.jdbc.sql("SELECT count(*) FROM email_event").query(Long.class).single()).isEqualTo(9);
	}

	@Test
	void anEventTheChecksDoNotForeseeCostsOnlyItselfWithAGenericReason() throws IOException {
		// given a rule only the database knows, broken in the first and third chunks
		this.jdbc.sql("ALTER TABLE email_event ADD CONSTRAINT no_spam CHECK (event_type <> 'spamreport')").update();
		try {
			StringBuilder lines = new StringBuilder();
			for (int i = 1; i <= 10; i++) {
				lines.append("{\"email\":\"bob@x.io\",\"timestamp\":%d,\"event\":\"%s\",\"sg_event_id\":\"e%d\"}\n"
					.formatted(i, (i == 2 || i == 9) ? "spamreport" : "open", i));
			}
			Path file = write("events.ndjson", lines.toString());

			// when
			EventImportReport report = this.importer.importFile(file);

			// then
			assertThat(report.status()).isEqualTo("COMPLETED");
			assertThat(report.exitStatus()).isEqualTo(ImportTally.COMPLETED_WITH_ERRORS);
			assertThat(report)
				.extracting(EventImportReport::read, EventImportReport::imported, EventImportReport::duplicates,
						EventImportReport::invalid)
				.containsExactly(10L, 8L, 0L, 2L);
			assertThat(report.errors()).containsExactly(new RowError(2, RefusalSplitter.REFUSED),
					new RowError(9, RefusalSplitter.REFUSED));
			assertThat(this.jdbc.sql("SELECT count(*) FROM email_event").query(Long.class).single()).isEqualTo(8);
		}
		finally {
			this.jdbc.sql("ALTER TABLE email_event DROP CONSTRAINT IF EXISTS no_spam").update();
		}
	}

	@Test
	void unknownEmailsAndRepeatsAreNotErrors() throws IOException {
		Path file = write("events.ndjson", """
				{"email":"ada@x.io","timestamp":1,"event":"open","sg_event_id":"a"}
				{"email":"ada@x.io","timestamp":1,"event":"open","sg_event_id":"a"}
				{"email":"nobody@x.io","timestamp":1,"event":"open","sg_event_id":"n"}
				""");

		EventImportReport report = this.importer.importFile(file);

		assertThat(report.exitStatus()).isEqualTo("COMPLETED");
		assertThat(report.completedWithErrors()).isFalse();
	}

	private Path write(String name, String content) throws IOException {
		return Files.writeString(this.dir.resolve(name), content);
	}

}
