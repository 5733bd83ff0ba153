package io.segmat.contacts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.segmat.SegmatApplication;
import io.segmat.fields.CustomFieldDefinitions;
import io.segmat.ingest.JobOutcome;
import io.segmat.lists.ContactLists;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The configuration, database and data shared by the contact import test classes, so that
 * they share one cached Spring context. Each test starts on empty tables with three
 * custom fields ({@code plan}, {@code age}, {@code signup_date}) and one list
 * ({@code vip}).
 */
// A chunk of 3 rows makes every small file span several chunks.
@SpringBootTest(classes = SegmatApplication.class, properties = "segmat.import.chunk-size=3")
abstract class ContactImportTestSupport {

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

	/** Rows the import skipped by their digest, from the tally its step saved. */
	long unchanged(ImportReport report) {
		return JobOutcome
			.of(this.jobRepository.getJobExecution(report.jobExecutionId()), ContactImportJobConfiguration.STEP_NAME,
					ContactImportJobConfiguration.COUNTERS)
			.tally()
			.count(ContactWriter.UNCHANGED);
	}

	Path write(String name, String content) throws IOException {
		return Files.writeString(this.dir.resolve(name), content);
	}

	Map<String, Object> row(String email) {
		return this.jdbc.sql("""
				SELECT first_name, last_name, city, country, address_line_1, alternate_emails::text,
				       email_domains::text, custom_fields::text, change_seq, updated_at
				FROM contact WHERE email = ?
				""").param(email).query().singleRow();
	}

	List<String> emails() {
		return this.jdbc.sql("SELECT email FROM contact ORDER BY email").query(String.class).list();
	}

	long sequence() {
		return this.jdbc.sql("SELECT last_value FROM change_seq").query(Long.class).single();
	}

	/**
	 * Until a session of this database waits for a lock of one of these kinds
	 * ({@code pg_stat_activity.wait_event}); a condition, not a duration.
	 */
	void waitForALockWait(String... waitEvents) throws InterruptedException {
		for (int i = 0; i < 6000; i++) {
			if (this.jdbc.sql("""
					SELECT count(*) FROM pg_stat_activity
					WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = ANY(?)
					""").param(waitEvents).query(Long.class).single() > 0) {
				return;
			}
			Thread.sleep(10);
		}
		throw new AssertionError("no session waited for a lock: " + String.join(", ", waitEvents));
	}

	String canonicalJson(String json) {
		return this.jdbc.sql("SELECT CAST(? AS jsonb)::text").param(json).query(String.class).single();
	}

}
