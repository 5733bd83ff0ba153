package io.segmat.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import io.segmat.testsupport.Cli;
import io.segmat.testsupport.TestData;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

class ContactsExportCommandTests {

	private final TestDatabase database = TestDatabase.create();

	private final Cli cli = new Cli(this.database);

	private final JdbcClient jdbc = JdbcClient.create(this.database.dataSource());

	@TempDir
	Path folder;

	private UUID segmentId;

	@BeforeEach
	void aSegmentOfSomeContacts() {
		TestData data = new TestData(this.jdbc);
		for (int i = 0; i < 6; i++) {
			data.contact("c" + i + "@example.com", "First" + i, "UK");
		}
		this.segmentId = data.segmentWithMembers("some", List.of("c1@example.com", "c2@example.com", "c4@example.com"));
	}

	@Test
	void exportsASegmentToTheOutputFile() throws IOException {
		Path output = this.folder.resolve("some.csv");

		Cli.Result result = this.cli.run("contacts", "export", "--segment-id", this.segmentId.toString(), "--format",
				"csv", "--output", output.toString());

		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(result.out()).contains("\"contact_count\" : 3").contains(output.toString());
		List<String> lines = Files.readAllLines(output);
		assertThat(lines.get(0)).startsWith("email,");
		assertThat(lines.subList(1, lines.size())).extracting((line) -> line.substring(0, line.indexOf(',')))
			.containsExactlyElementsOf(this.jdbc.sql("""
					SELECT c.email FROM segment s JOIN segment_member m ON m.segment_key = s.segment_key
					JOIN contact c ON c.contact_key = m.contact_key WHERE s.id = ? ORDER BY c.contact_key
					""").param(this.segmentId).query(String.class).list());
		assertThat(this.jdbc
			.sql("""
					SELECT x.status || ' ' || e.status FROM contact_export x JOIN batch_job_execution e USING (job_execution_id)
					""")
			.query(String.class)
			.single()).isEqualTo("ready COMPLETED");
	}

	@Test
	void severalFilesGetANumberBeforeTheExtension() throws IOException {
		// 3,000 contacts of about 400 bytes as NDJSON: more than 1 MB
		this.jdbc.sql("""
				INSERT INTO contact (id, email, first_name, email_domains, created_at, updated_at, change_seq)
				SELECT gen_random_uuid(), 'bulk' || n || '@example.com', repeat('x', 300), ARRAY['example.com'], now(),
				       now(), nextval('change_seq')
				FROM generate_series(1, 3000) n
				""").update();
		Path output = this.folder.resolve("everyone.ndjson");

		Cli.Result result = this.cli.run("contacts", "export", "--all", "--format", "json", "--max-file-size", "1",
				"--output", output.toString());

		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(output).doesNotExist();
		Path first = this.folder.resolve("everyone-1.json");
		Path second = this.folder.resolve("everyone-2.json");
		assertThat(result.out()).contains(first.toString()).contains(second.toString());
		long lines = 0;
		for (int part = 1; Files.exists(this.folder.resolve("everyone-" + part + ".json")); part++) {
			Path file = this.folder.resolve("everyone-" + part + ".json");
			assertThat(Files.size(file)).isLessThanOrEqualTo(1024 * 1024);
			lines += Files.readAllLines(file).size();
		}
		assertThat(lines).isEqualTo(3006);
	}

	@Test
	void anUnknownSegmentIsBadInputAndWritesNothing() throws IOException {
		UUID unknown = UUID.randomUUID();
		Path output = this.folder.resolve("x.csv");

		Cli.Result result = this.cli.run("contacts", "export", "--segment-id", unknown.toString(), "--output",
				output.toString());

		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err()).contains("segment " + unknown + " does not exist");
		assertThat(output).doesNotExist();
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact_export").query(Long.class).single()).isZero();
	}

	@Test
	void withoutSegmentsListsOrAllItIsAUsageError() {
		Cli.Result result = this.cli.run("contacts", "export", "--output", this.folder.resolve("x.csv").toString());

		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err()).contains("give at least one --segment-id or --list-id, or --all");
	}

}
