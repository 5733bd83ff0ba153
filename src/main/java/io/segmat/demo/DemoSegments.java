package io.segmat.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.segmat.lists.ContactList;
import io.segmat.lists.ContactLists;
import io.segmat.segments.Segment;
import io.segmat.segments.Segments;

import org.springframework.stereotype.Component;

/**
 * The demo's segments: attributes, lists, engagement windows, time-relative conditions
 * and a parent list, written as a SendGrid user would write them. Created once; a second
 * run finds them.
 */
@Component
public class DemoSegments {

	private final Segments segments;

	private final ContactLists lists;

	DemoSegments(Segments segments, ContactLists lists) {
		this.segments = segments;
		this.lists = lists;
	}

	/**
	 * Creates the demo segments that do not exist yet and returns all of them, in the
	 * demo's order.
	 */
	public List<Segment> ensure() {
		Map<String, UUID> listIds = this.lists.list()
			.stream()
			.collect(Collectors.toMap(ContactList::name, ContactList::id, (a, b) -> a));
		Set<String> existing = this.segments.list(null, null, false)
			.stream()
			.map(Segment::name)
			.collect(Collectors.toSet());
		List<Segment> result = new ArrayList<>();
		definitions(listIds).forEach((name, definition) -> {
			if (!existing.contains(name)) {
				this.segments.create(name, definition.queryDsl(), (definition.parentList() != null)
						? List.of(listIds.get(definition.parentList()).toString()) : null);
			}
		});
		Set<String> names = definitions(listIds).keySet();
		this.segments.list(null, null, false).stream().filter((s) -> names.contains(s.name())).forEach(result::add);
		return result;
	}

	private static Map<String, Definition> definitions(Map<String, UUID> lists) {
		String lastSend = DemoData.SINGLE_SENDS.get(DemoData.SINGLE_SENDS.size() - 1).id();
		Map<String, Definition> definitions = new LinkedHashMap<>();
		definitions.put("UK contacts",
				new Definition("SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'", null));
		definitions.put("Paying, high value", new Definition("""
				SELECT contact_id, updated_at FROM contact_data
				WHERE plan IN ('pro', 'enterprise') AND lifetime_value >= 1000""", null));
		definitions.put("VIP or beta", new Definition("SELECT contact_id, updated_at FROM contact_data "
				+ "WHERE array_contains(list_ids, ['" + lists.get("vip") + "', '" + lists.get("beta") + "'])", null));
		definitions.put("Opened in the last 30 days", new Definition("""
				SELECT c.contact_id, c.updated_at FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id
				WHERE e.event_type = 'open' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)""", null));
		definitions.put("Never opened (90 days)", new Definition(
				"""
						SELECT contact_id, updated_at FROM contact_data
						WHERE contact_id NOT IN (SELECT contact_id FROM event_data
						                         WHERE event_type = 'open' AND timestamp > timestampadd(day, -90, CURRENT_TIMESTAMP))""",
				null));
		definitions.put("Clicked the latest send", new Definition("""
				SELECT c.contact_id, c.updated_at FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id
				WHERE e.event_type = 'click' AND e.DATA:payload.unique_args.singlesend_id = '%s'""".formatted(lastSend),
				null));
		definitions.put("Signed up in the last 90 days", new Definition(
				"SELECT contact_id, updated_at FROM contact_data WHERE signup_date > timestampadd(day, -90, CURRENT_TIMESTAMP)",
				null));
		definitions.put("Newsletter, free plan",
				new Definition("SELECT contact_id, updated_at FROM contact_data WHERE plan = 'free'", "newsletter"));
		definitions.put("Frequent clickers", new Definition("""
				SELECT c.contact_id, c.updated_at FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id
				WHERE e.event_type = 'click'
				GROUP BY c.contact_id, c.updated_at
				HAVING COUNT(*) >= 3""", null));
		return definitions;
	}

	private record Definition(String queryDsl, String parentList) {
	}

}
