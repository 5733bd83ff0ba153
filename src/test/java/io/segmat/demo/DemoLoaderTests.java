package io.segmat.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.segmat.testsupport.Cli;
import io.segmat.testsupport.SpringTestSupport;
import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

class DemoLoaderTests extends SpringTestSupport {

	static final Instant AS_OF = Instant.parse("2026-06-01T00:00:00Z");

	@Autowired
	DemoLoader loader;

	@Autowired
	JdbcClient jdbc;

	@TempDir
	Path dir;

	@Test
	void theSameSeedSizeAndAsOfWriteTheSameFiles() throws IOException {
		Map<String, UUID> lists = Map.of("newsletter", new UUID(0, 1), "vip", new UUID(0, 2));

		DemoData.Written first = new DemoData(300, AS_OF).written(this.dir.resolve("a"), lists);
		DemoData.Written second = new DemoData(300, AS_OF).written(this.dir.resolve("b"), lists);

		assertThat(Files.readString(first.contacts())).isEqualTo(Files.readString(second.contacts()));
		assertThat(Files.readString(first.events())).isEqualTo(Files.readString(second.events()));
		assertThat(first.contactCount()).isEqualTo(300);
		assertThat(first.eventCount()).isGreaterThan(300);
		assertThat(Files.readString(first.contacts())).containsAnyOf("Zoë", "Łukasz", "李", "Олег", "さくら");
	}

	@Test
	void loadingCreatesFieldsListsContactsAndEventsOnceOnly() {
		// when
		DemoLoader.Loaded loaded = this.loader.load(this.dir, 500, AS_OF);
		DemoLoader.Loaded again = this.loader.load(this.dir, 500, AS_OF);

		// then
		assertThat(loaded.completed()).isTrue();
		assertThat(loaded.alreadyLoaded()).isFalse();
		assertThat(loaded.contactImport().skipped()).isZero();
		assertThat(loaded.eventImport().invalid()).isZero();
		assertThat(loaded.eventImport().unknownEmail()).isZero();
		assertThat(loaded.contacts()).isEqualTo(500);
		assertThat(loaded.events()).isEqualTo(loaded.eventImport().imported()).isGreaterThan(500);
		assertThat(loaded.customFields()).extracting((f) -> f.name())
			.containsExactlyInAnyOrder("plan", "age", "lifetime_value", "signup_date");
		assertThat(loaded.lists()).extracting((l) -> l.name())
			.containsExactlyInAnyOrder("newsletter", "vip", "beta", "churned");
		assertThat(this.jdbc.sql("SELECT count(DISTINCT event_type) FROM email_event").query(Long.class).single())
			.isEqualTo(4);
		assertThat(this.jdbc.sql("SELECT count(DISTINCT singlesend_id) FROM email_event").query(Long.class).single())
			.isEqualTo(DemoData.SINGLE_SENDS.size());
		assertThat(this.jdbc
			.sql("""
					SELECT min(occurred_at) >= CAST(? AS timestamptz) - interval '90 days' AND max(occurred_at) < CAST(? AS timestamptz)
					FROM email_event
					""")
			.params(AS_OF.toString(), AS_OF.toString())
			.query(Boolean.class)
			.single()).isTrue();
		assertThat(again.alreadyLoaded()).isTrue();
		assertThat(again.contactImport()).isNull();
		assertThat(again.contacts()).isEqualTo(500);
		assertThat(again.events()).isEqualTo(loaded.events());
	}

	@Test
	void theDemoCommandLoadsMaterializesAndPrintsTheSegmentsThenKeepsThem() {
		TestDatabase own = TestDatabase.create();
		Cli cli = new Cli(own);

		Cli.Result first = cli.run("demo", "--contacts", "200");
		Cli.Result second = cli.run("demo", "--contacts", "200");

		JdbcClient jdbc = JdbcClient.create(own.dataSource());
		assertThat(first.exitCode()).as(first.err()).isZero();
		assertThat(first.out()).startsWith("Loaded: 200 contacts")
			.contains("segment", "count", "entered", "next_sample_update", "sample")
			.contains("UK contacts", "Never opened (90 days)", "Newsletter, free plan", "Frequent clickers");
		assertThat(second.exitCode()).as(second.err()).isZero();
		assertThat(second.out()).startsWith("Demo data already loaded: 200 contacts");
		assertThat(jdbc.sql("SELECT count(*) FROM contact").query(Long.class).single()).isEqualTo(200);
		assertThat(jdbc.sql("SELECT count(*) FROM segment").query(Long.class).single()).isEqualTo(9);
		assertThat(jdbc
			.sql("SELECT count(*) FROM segment WHERE sample_updated_at IS NOT NULL AND query_validation = 'VALID'")
			.query(Long.class)
			.single()).as("every demo segment materialized").isEqualTo(9);
		assertThat(jdbc.sql("SELECT count(*) FROM segment_member").query(Long.class).single()).isPositive();
	}

}
