package io.segmat.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.segmat.contacts.ContactImporter;
import io.segmat.contacts.ImportReport;
import io.segmat.events.EventImportReport;
import io.segmat.events.EventImporter;
import io.segmat.fields.CustomFieldDefinitions;
import io.segmat.lists.ContactLists;
import io.segmat.testsupport.SpringTestSupport;
import io.segmat.testsupport.TestResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

class BasicFixtureImportTests extends SpringTestSupport {

	static final Path FIXTURE = TestResources.path("fixtures/basic");

	@Autowired
	ContactImporter contacts;

	@Autowired
	EventImporter events;

	@Autowired
	CustomFieldDefinitions fields;

	@Autowired
	ContactLists lists;

	@Autowired
	JdbcClient jdbc;

	@TempDir
	Path dir;

	@Test
	void theBasicFixtureLoadsThroughTheImporters() throws IOException {
		// given the fixture's fields and lists, and its files with list placeholders
		// replaced
		for (JsonNode field : ImportJson.MAPPER.readTree(FIXTURE.resolve("fields.json").toFile())) {
			this.fields.create(field.get("name").stringValue(), field.get("field_type").stringValue());
		}
		Map<String, UUID> listIds = new HashMap<>();
		for (JsonNode name : ImportJson.MAPPER.readTree(FIXTURE.resolve("lists.json").toFile())) {
			listIds.put(name.stringValue(), this.lists.create(name.stringValue()).id());
		}
		String contactsText = Files.readString(FIXTURE.resolve("contacts.ndjson"));
		for (var entry : listIds.entrySet()) {
			contactsText = contactsText.replace("{{list:" + entry.getKey() + "}}", entry.getValue().toString());
		}
		Path contactsFile = Files.writeString(this.dir.resolve("contacts.ndjson"), contactsText);
		Path eventsFile = Files.copy(FIXTURE.resolve("events.ndjson"), this.dir.resolve("events.ndjson"));

		// when
		ImportReport contactReport = this.contacts.importFile(contactsFile, null);
		EventImportReport eventReport = this.events.importFile(eventsFile);

		// then
		assertThat(contactReport.status()).isEqualTo("COMPLETED");
		assertThat(contactReport).extracting(ImportReport::read, ImportReport::imported, ImportReport::skipped)
			.containsExactly(400L, 400L, 0L);
		assertThat(eventReport.status()).isEqualTo("COMPLETED");
		assertThat(eventReport)
			.extracting(EventImportReport::read, EventImportReport::imported, EventImportReport::duplicates,
					EventImportReport::unknownEmail, EventImportReport::invalid)
			.containsExactly(1760L, 1730L, 20L, 10L, 0L);
		assertThat(count("SELECT count(*) FROM contact")).isEqualTo(400);
		assertThat(count("SELECT count(*) FROM contact WHERE email <> lower(email)")).isZero();
		assertThat(count("SELECT count(*) FROM email_event")).isEqualTo(1730);
		assertThat(count("SELECT count(*) FROM list_member")).isPositive();
		assertThat(this.jdbc.sql("SELECT DISTINCT jsonb_object_keys(custom_fields) FROM contact ORDER BY 1")
			.query(String.class)
			.list()).isEqualTo(this.fields.list().stream().map((f) -> f.id()).sorted().toList());
		assertThat(count("SELECT count(*) FROM contact WHERE NOT (email_domains @> ARRAY[split_part(email, '@', 2)])"))
			.isZero();
		List<String> typed = this.jdbc.sql("""
				SELECT DISTINCT f.field_type || ':' || jsonb_typeof(c.custom_fields -> f.id)
				FROM contact c, custom_field f WHERE c.custom_fields -> f.id IS NOT NULL
				""").query(String.class).list();
		assertThat(typed).containsExactlyInAnyOrder("Text:string", "Number:number", "Date:number");
	}

	private long count(String sql) {
		return this.jdbc.sql(sql).query(Long.class).single();
	}

}
