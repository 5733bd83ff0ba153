package io.segmat.demo;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.segmat.contacts.ContactImporter;
import io.segmat.contacts.ImportReport;
import io.segmat.events.EventImportReport;
import io.segmat.events.EventImporter;
import io.segmat.fields.CustomField;
import io.segmat.fields.CustomFieldDefinitions;
import io.segmat.lists.ContactList;
import io.segmat.lists.ContactLists;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Loads the demo data set: creates its custom fields and lists when missing, writes its
 * files and imports them through the same jobs a user's files go through. Loading twice
 * loads once: when the demo's events are already there, nothing is written or imported.
 */
@Service
public class DemoLoader {

	/**
	 * The default size, large enough for segments to be interesting, small enough to load
	 * in seconds.
	 */
	public static final int DEFAULT_CONTACTS = 50_000;

	private final CustomFieldDefinitions fields;

	private final ContactLists lists;

	private final ContactImporter contacts;

	private final EventImporter events;

	private final JdbcClient jdbc;

	private final Clock clock;

	DemoLoader(CustomFieldDefinitions fields, ContactLists lists, ContactImporter contacts, EventImporter events,
			JdbcClient jdbc, Clock clock) {
		this.fields = fields;
		this.lists = lists;
		this.contacts = contacts;
		this.events = events;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Loads the demo with its events ending today (UTC midnight), writing its files under
	 * {@code dir}.
	 */
	public Loaded load(Path dir, int contactCount) {
		return load(dir, contactCount, this.clock.instant().truncatedTo(ChronoUnit.DAYS));
	}

	public Loaded load(Path dir, int contactCount, Instant asOf) {
		if (alreadyLoaded()) {
			return summary(true, null, null, null);
		}
		ensureFields();
		Map<String, UUID> listIds = ensureLists();
		DemoData.Written files = new DemoData(contactCount, asOf).written(dir, listIds);
		ImportReport contactReport = this.contacts.importFile(files.contacts(), null);
		EventImportReport eventReport = contactReport.completed() ? this.events.importFile(files.events()) : null;
		return summary(false, asOf, contactReport, eventReport);
	}

	private boolean alreadyLoaded() {
		String lastSend = DemoData.SINGLE_SENDS.get(DemoData.SINGLE_SENDS.size() - 1).id();
		return this.jdbc.sql("SELECT EXISTS (SELECT 1 FROM email_event WHERE singlesend_id = ?)")
			.param(lastSend)
			.query(Boolean.class)
			.single();
	}

	private void ensureFields() {
		Map<String, CustomField> existing = new LinkedHashMap<>();
		this.fields.list().forEach((field) -> existing.put(field.name().toLowerCase(Locale.ROOT), field));
		DemoData.FIELDS.forEach((name, type) -> {
			if (!existing.containsKey(name)) {
				existing.put(name, this.fields.create(name, type));
			}
		});
	}

	private Map<String, UUID> ensureLists() {
		Map<String, UUID> ids = new LinkedHashMap<>();
		this.lists.list().forEach((list) -> ids.put(list.name(), list.id()));
		for (String name : DemoData.LISTS) {
			if (!ids.containsKey(name)) {
				ids.put(name, this.lists.create(name).id());
			}
		}
		return ids;
	}

	private Loaded summary(boolean already, Instant asOf, ImportReport contactReport, EventImportReport eventReport) {
		long contactCount = this.jdbc.sql("SELECT count(*) FROM contact").query(Long.class).single();
		long eventCount = this.jdbc.sql("SELECT count(*) FROM email_event").query(Long.class).single();
		List<ContactList> demoLists = this.lists.list()
			.stream()
			.filter((l) -> DemoData.LISTS.contains(l.name()))
			.toList();
		List<CustomField> demoFields = this.fields.list()
			.stream()
			.filter((f) -> DemoData.FIELDS.containsKey(f.name().toLowerCase(Locale.ROOT)))
			.toList();
		return new Loaded(already, asOf, demoFields, demoLists, DemoData.SINGLE_SENDS, contactCount, eventCount,
				contactReport, eventReport);
	}

	/**
	 * What the database holds after loading, and the imports' reports when this call
	 * loaded.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Loaded(@JsonProperty("already_loaded") boolean alreadyLoaded, @JsonProperty("as_of") Instant asOf,
			@JsonProperty("custom_fields") List<CustomField> customFields, List<ContactList> lists,
			@JsonProperty("single_sends") List<DemoData.SingleSend> singleSends, long contacts, long events,
			@JsonProperty("contact_import") ImportReport contactImport,
			@JsonProperty("event_import") EventImportReport eventImport) {

		/** Both imports ran to their end (or the demo was there already). */
		public boolean completed() {
			return this.alreadyLoaded || (this.contactImport != null && this.contactImport.completed()
					&& this.eventImport != null && this.eventImport.completed());
		}

	}

}
