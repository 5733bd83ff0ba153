package io.segmat.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.segmat.testsupport.TestDatabase;
import io.segmat.testsupport.TestResources;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Loads the fixture in src/test/resources/fixtures/basic into a fresh database, following
 * the storage conventions of the compiler contract: lower-case emails, email_domains from
 * email and alternate_emails, custom fields keyed by id (Date as epoch seconds), events
 * deduplicated by sg_event_id with the webhook object under data.payload and the
 * marketing and custom args also under unique_args. Each table is filled with one
 * set-based INSERT ... SELECT FROM jsonb_to_recordset.
 */
final class BasicFixture {

	static final Path DIRECTORY = TestResources.path("fixtures/basic");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Pattern LIST_PLACEHOLDER = Pattern.compile("\\{\\{list:([^}]+)}}");

	/** Keys of SendGrid's Event Webhook object; any other key is a custom arg. */
	private static final Set<String> WEBHOOK_KEYS = Set.of("email", "timestamp", "event", "sg_event_id",
			"sg_message_id", "smtp-id", "category", "url", "url_offset", "useragent", "ip", "reason", "status",
			"response", "attempt", "type", "bounce_classification", "asm_group_id", "tls", "cert_err",
			"marketing_campaign_id", "marketing_campaign_name", "marketing_campaign_version",
			"marketing_campaign_split_id", "pool", "sg_machine_open", "sg_content_type", "singlesend_id",
			"automation_id", "template_id", "phase_id", "send_at", "sg_template_id", "sg_template_name", "unique_args");

	private static final List<String> MARKETING_ARGS = List.of("singlesend_id", "automation_id", "template_id",
			"phase_id");

	private static final List<String> TEXT_COLUMNS = List.of("first_name", "last_name", "phone_number_id",
			"external_id", "anonymous_id", "address_line_1", "address_line_2", "city", "state_province_region",
			"postal_code", "country", "phone_number", "whatsapp", "line", "facebook", "unique_name");

	record Segment(String name, String queryDsl, UUID parentListId, Set<String> expectedEmails) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private final Instant asOf;

	private final Map<String, UUID> lists;

	private final FieldCatalog catalog;

	private final List<Segment> segments;

	private BasicFixture(DataSource dataSource, Instant asOf, Map<String, UUID> lists, FieldCatalog catalog,
			List<Segment> segments) {
		this.dataSource = dataSource;
		this.jdbc = JdbcClient.create(dataSource);
		this.asOf = asOf;
		this.lists = lists;
		this.catalog = catalog;
		this.segments = segments;
	}

	DataSource dataSource() {
		return this.dataSource;
	}

	JdbcClient jdbc() {
		return this.jdbc;
	}

	Instant asOf() {
		return this.asOf;
	}

	UUID list(String name) {
		return this.lists.get(name);
	}

	FieldCatalog catalog() {
		return this.catalog;
	}

	List<Segment> segments() {
		return this.segments;
	}

	/** A fresh database holding the fixture. */
	static BasicFixture load() {
		TestDatabase database = TestDatabase.create();
		JdbcClient jdbc = JdbcClient.create(database.dataSource());
		JsonNode segmentsFile = read(DIRECTORY.resolve("segments.json"));
		Instant asOf = Instant.parse(segmentsFile.get("as_of").asString());

		List<CatalogField> fields = new ArrayList<>();
		int number = 0;
		for (JsonNode field : read(DIRECTORY.resolve("fields.json"))) {
			FieldType type = FieldType.fromStored(field.get("field_type").asString());
			String id = "e" + (++number) + "_" + field.get("field_type").asString().charAt(0);
			fields.add(new CatalogField(id, field.get("name").asString(), type));
		}
		ArrayNode fieldRows = JSON.createArrayNode();
		for (CatalogField f : fields) {
			fieldRows.addObject()
				.put("id", f.id())
				.put("name", f.name())
				.put("field_type", f.type().name().charAt(0) + f.type().name().substring(1).toLowerCase(Locale.ROOT));
		}
		jdbc.sql("INSERT INTO custom_field (id, name, field_type, created_at) "
				+ "SELECT id, name, field_type, ?::timestamptz FROM jsonb_to_recordset(?::jsonb) AS r(id text, name text, field_type text)")
			.params(asOf.toString(), fieldRows.toString())
			.update();
		FieldCatalog catalog = new FieldCatalog(fields);

		Map<String, UUID> lists = new LinkedHashMap<>();
		ArrayNode listRows = JSON.createArrayNode();
		for (JsonNode name : read(DIRECTORY.resolve("lists.json"))) {
			UUID id = UUID.randomUUID();
			lists.put(name.asString(), id);
			listRows.addObject().put("id", id.toString()).put("name", name.asString());
		}
		jdbc.sql("INSERT INTO contact_list (id, name, created_at, updated_at) "
				+ "SELECT id, name, ?::timestamptz, ?::timestamptz FROM jsonb_to_recordset(?::jsonb) AS r(id uuid, name text)")
			.params(asOf.toString(), asOf.toString(), listRows.toString())
			.update();

		loadContacts(jdbc, catalog, lists, asOf);
		loadEvents(jdbc);

		List<Segment> segments = new ArrayList<>();
		for (JsonNode q : segmentsFile.get("queries")) {
			JsonNode parent = q.get("parent_list");
			Set<String> expected = new LinkedHashSet<>();
			q.get("expected_emails").forEach(e -> expected.add(e.asString()));
			segments.add(new Segment(q.get("name").asString(), replaceLists(q.get("query_dsl").asString(), lists),
					parent == null || parent.isNull() ? null : lists.get(parent.asString()), expected));
		}
		return new BasicFixture(database.dataSource(), asOf, lists, catalog, segments);
	}

	static String replaceLists(String text, Map<String, UUID> lists) {
		Matcher m = LIST_PLACEHOLDER.matcher(text);
		StringBuilder out = new StringBuilder();
		while (m.find()) {
			m.appendReplacement(out, Matcher.quoteReplacement(lists.get(m.group(1)).toString()));
		}
		m.appendTail(out);
		return out.toString();
	}

	private static void loadContacts(JdbcClient jdbc, FieldCatalog catalog, Map<String, UUID> lists, Instant asOf) {
		ArrayNode contacts = JSON.createArrayNode();
		ArrayNode members = JSON.createArrayNode();
		for (JsonNode c : lines(DIRECTORY.resolve("contacts.ndjson"))) {
			String email = c.get("email").asString().toLowerCase(Locale.ROOT);
			ObjectNode row = contacts.addObject();
			row.put("id", UUID.nameUUIDFromBytes(email.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
			row.put("email", email);
			for (String column : TEXT_COLUMNS) {
				if (c.hasNonNull(column)) {
					row.put(column, c.get(column).asString());
				}
			}
			Set<String> domains = new LinkedHashSet<>();
			domains.add(domain(email));
			if (c.hasNonNull("alternate_emails")) {
				ArrayNode alternates = row.putArray("alternate_emails");
				for (JsonNode alternate : c.get("alternate_emails")) {
					alternates.add(alternate.asString());
					domains.add(domain(alternate.asString().toLowerCase(Locale.ROOT)));
				}
			}
			ArrayNode domainArray = row.putArray("email_domains");
			domains.forEach(domainArray::add);
			ObjectNode custom = row.putObject("custom_fields");
			if (c.hasNonNull("custom_fields")) {
				for (Map.Entry<String, JsonNode> value : c.get("custom_fields").properties()) {
					CatalogField field = catalog.find(value.getKey()).orElseThrow();
					switch (field.type()) {
						case TEXT -> custom.put(field.id(), value.getValue().asString());
						case NUMBER -> custom.put(field.id(), value.getValue().decimalValue());
						case DATE ->
							custom.put(field.id(), Instant.parse(value.getValue().asString()).getEpochSecond());
					}
				}
			}
			if (c.hasNonNull("list_ids")) {
				for (JsonNode list : c.get("list_ids")) {
					members.addObject().put("email", email).put("list_id", replaceLists(list.asString(), lists));
				}
			}
		}
		jdbc.sql("""
				INSERT INTO contact (id, email, first_name, last_name, phone_number_id, external_id, anonymous_id,
				    alternate_emails, address_line_1, address_line_2, city, state_province_region, postal_code, country,
				    phone_number, whatsapp, line, facebook, unique_name, email_domains, custom_fields, created_at,
				    updated_at, change_seq)
				SELECT id, email, first_name, last_name, phone_number_id, external_id, anonymous_id,
				    alternate_emails, address_line_1, address_line_2, city, state_province_region, postal_code, country,
				    phone_number, whatsapp, line, facebook, unique_name, email_domains, custom_fields, ?::timestamptz,
				    ?::timestamptz, nextval('change_seq')
				FROM jsonb_to_recordset(?::jsonb) AS r(id uuid, email text, first_name text, last_name text,
				    phone_number_id text, external_id text, anonymous_id text, alternate_emails text[],
				    address_line_1 text, address_line_2 text, city text, state_province_region text, postal_code text,
				    country text, phone_number text, whatsapp text, line text, facebook text, unique_name text,
				    email_domains text[], custom_fields jsonb)
				""").params(asOf.toString(), asOf.toString(), contacts.toString()).update();
		jdbc.sql("""
				INSERT INTO list_member (list_id, contact_key)
				SELECT DISTINCT r.list_id, c.contact_key
				FROM jsonb_to_recordset(?::jsonb) AS r(email text, list_id uuid) JOIN contact c ON c.email = r.email
				""").params(members.toString()).update();
	}

	private static void loadEvents(JdbcClient jdbc) {
		ArrayNode events = JSON.createArrayNode();
		Set<String> seen = new HashSet<>();
		for (JsonNode e : lines(DIRECTORY.resolve("events.ndjson"))) {
			if (!seen.add(e.get("sg_event_id").asString())) {
				continue; // a re-delivered duplicate
			}
			ObjectNode payload = ((ObjectNode) e).deepCopy();
			ObjectNode uniqueArgs = payload.has("unique_args") && payload.get("unique_args").isObject()
					? (ObjectNode) payload.get("unique_args") : payload.putObject("unique_args");
			Map<String, JsonNode> args = new HashMap<>();
			for (Map.Entry<String, JsonNode> p : e.properties()) {
				if (MARKETING_ARGS.contains(p.getKey()) || !WEBHOOK_KEYS.contains(p.getKey())) {
					args.put(p.getKey(), p.getValue());
				}
			}
			args.forEach(uniqueArgs::set);
			ObjectNode row = events.addObject();
			row.put("sg_event_id", e.get("sg_event_id").asString());
			row.put("email", e.get("email").asString().toLowerCase(Locale.ROOT));
			row.put("event_type", e.get("event").asString());
			row.put("occurred_at", e.get("timestamp").asLong());
			for (String column : List.of("singlesend_id", "automation_id", "template_id", "url")) {
				if (e.hasNonNull(column)) {
					row.put(column, e.get(column).asString());
				}
			}
			row.set("data", JSON.createObjectNode().set("payload", payload));
		}
		jdbc.sql(
				"""
						INSERT INTO email_event (seq, sg_event_id, contact_key, event_source, event_type, occurred_at,
						    singlesend_id, automation_id, template_id, url, data)
						SELECT nextval('change_seq'), r.sg_event_id, c.contact_key, 'mail', r.event_type, to_timestamp(r.occurred_at),
						    r.singlesend_id, r.automation_id, r.template_id, r.url, r.data
						FROM jsonb_to_recordset(?::jsonb) AS r(sg_event_id text, email text, event_type text, occurred_at bigint,
						    singlesend_id text, automation_id text, template_id text, url text, data jsonb)
						JOIN contact c ON c.email = r.email
						""")
			.params(events.toString())
			.update();
	}

	private static String domain(String email) {
		return email.substring(email.lastIndexOf('@') + 1);
	}

	private static JsonNode read(Path path) {
		try {
			return JSON.readTree(Files.readString(path));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<JsonNode> lines(Path path) {
		try {
			List<JsonNode> out = new ArrayList<>();
			for (String line : Files.readAllLines(path)) {
				if (!line.isBlank()) {
					out.add(JSON.readTree(line));
				}
			}
			return out;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Runs a compiled query and returns the members' emails. */
	Set<String> members(CompiledQuery compiled) {
		return new LinkedHashSet<>(this.jdbc
			.sql("SELECT c.email FROM contact c WHERE c.contact_key IN (" + compiled.sql() + ") ORDER BY c.email")
			.params(compiled.parameters())
			.query(String.class)
			.list());
	}

	/**
	 * Runs a compiled query and returns how many rows it returned (duplicates included).
	 */
	long rowCount(CompiledQuery compiled) {
		return this.jdbc.sql("SELECT count(*) FROM (" + compiled.sql() + ") AS q")
			.params(compiled.parameters())
			.query(Long.class)
			.single();
	}

}
