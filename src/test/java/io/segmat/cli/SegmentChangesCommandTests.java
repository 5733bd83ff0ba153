package io.segmat.cli;

import java.util.List;

import io.segmat.testsupport.Cli;
import io.segmat.testsupport.TestData;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code segmat segments changes}: the feed on stdout, the cursor on stderr. */
class SegmentChangesCommandTests {

	private final TestDatabase database = TestDatabase.create();

	private final Cli cli = new Cli(this.database);

	private final JdbcClient jdbc = JdbcClient.create(this.database.dataSource());

	@Test
	void changesAfterACursorAsCsvWithFormulaCellsNeutralized() {
		// given a segment first materialized with a member whose email a spreadsheet
		// would
		// run, and a change since
		TestData data = new TestData(this.jdbc);
		data.contact("ada@example.com", "Ada", "UK");
		data.contact("=cmd@example.com", "Eve", "UK");
		data.contact("bob@example.com", "Bob", "US");
		assertThat(this.cli
			.run("segments", "create", "--name", "uk", "--query-dsl",
					"SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'")
			.exitCode()).isZero();
		assertThat(
				this.cli.run("refresh", "--slot", "2026-06-01T10:00:00Z", "--as-of", "2026-06-01T10:00:00Z").exitCode())
			.isZero();
		String id = this.jdbc.sql("SELECT id::text FROM segment").query(String.class).single();
		Cli.Result first = this.cli.run("segments", "changes", id, "--limit", "1");
		data.update("bob@example.com", "country", "UK");
		assertThat(
				this.cli.run("refresh", "--slot", "2026-06-01T11:00:00Z", "--as-of", "2026-06-01T11:00:00Z").exitCode())
			.isZero();

		// when the rest is read from the cursor the first read printed
		String cursor = cursor(first);
		Cli.Result rest = this.cli.run("segments", "changes", id, "--since", cursor, "--format", "csv");

		// then
		assertThat(first.exitCode()).as(first.err()).isZero();
		assertThat(first.out().lines().toList()).hasSize(1).first().asString().contains("\"change\":\"entered\"");
		assertThat(rest.exitCode()).as(rest.err()).isZero();
		List<String> lines = rest.out().lines().toList();
		assertThat(lines.get(0)).isEqualTo("contact_id,email,change,at,evaluation_id");
		assertThat(lines.subList(1, lines.size()))
			.extracting((line) -> line.split(",", -1)[1] + " " + line.split(",", -1)[2])
			.containsExactlyInAnyOrder("'=cmd@example.com entered", "bob@example.com entered");
		assertThat(rest.out()).contains("\r\n");
		assertThat(cursor(rest)).isNotEqualTo(cursor);
		Cli.Result none = this.cli.run("segments", "changes", id, "--since", cursor(rest));
		assertThat(none.out()).isEmpty();
		assertThat(cursor(none)).isEqualTo(cursor(rest));
	}

	@Test
	void anExpiredCursorExitsTwoWithAMessage() {
		TestData data = new TestData(this.jdbc);
		data.contact("ada@example.com", "Ada", "UK");
		assertThat(this.cli
			.run("segments", "create", "--name", "uk", "--query-dsl",
					"SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'")
			.exitCode()).isZero();
		assertThat(
				this.cli.run("refresh", "--slot", "2026-06-01T10:00:00Z", "--as-of", "2026-06-01T10:00:00Z").exitCode())
			.isZero();
		String id = this.jdbc.sql("SELECT id::text FROM segment").query(String.class).single();
		this.jdbc.sql("""
				INSERT INTO segment_change_pruned (segment_key, through_seq)
				SELECT segment_key, max(seq) + 1 FROM segment_change GROUP BY segment_key""").update();

		// the cursor of the start, as a reader who read nothing yet kept it
		int key = this.jdbc.sql("SELECT segment_key FROM segment").query(Integer.class).single();
		String start = java.util.Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(java.nio.ByteBuffer.allocate(20).putInt(key).putLong(0).putLong(Long.MAX_VALUE).array());

		Cli.Result expired = this.cli.run("segments", "changes", id, "--since", start);

		assertThat(expired.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(expired.err()).contains("error: the cursor is older than the retained changes");
		assertThat(expired.out()).isEmpty();
	}

	@Test
	void deliveringWithoutAWebhookIsAUsageError() {
		Cli.Result result = this.cli.run("changes", "deliver");

		assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(result.err()).contains("error: SEGMAT_CHANGES_WEBHOOK_URL is not set");
		assertThat(this.jdbc.sql("SELECT count(*) FROM batch_job_instance").query(Long.class).single()).isZero();
	}

	private static String cursor(Cli.Result result) {
		return result.err()
			.lines()
			.filter((line) -> line.startsWith("next_cursor: "))
			.map((line) -> line.substring("next_cursor: ".length()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no next_cursor in: " + result.err()));
	}

}
