package io.segmat.contacts;

import java.sql.Array;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

import io.segmat.fields.CustomFieldDefinitions;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * One contact in SendGrid's shape (ContactDetails3): the object a JSON export writes,
 * with the segments the contact is a member of. A segment's membership is what its last
 * evaluation found, as the segment's count is.
 */
@Service
public class ContactDetails {

	// One primary-key probe per segment: segment_member has no index by contact, and
	// needs none for this.
	private static final String SELECT = "SELECT " + ExportedContact.SELECT_LIST + """
			, ARRAY(SELECT s.id::text FROM segment s
			        WHERE EXISTS (SELECT 1 FROM segment_member m
			                      WHERE m.segment_key = s.segment_key AND m.contact_key = c.contact_key)
			        ORDER BY s.id) AS segment_ids
			FROM contact c WHERE c.id = ?
			""";

	private final JdbcClient jdbc;

	private final CustomFieldDefinitions fields;

	ContactDetails(JdbcClient jdbc, CustomFieldDefinitions fields) {
		this.jdbc = jdbc;
		this.fields = fields;
	}

	public Optional<ObjectNode> find(UUID id) {
		ContactShape shape = new ContactShape(this.fields.list());
		return this.jdbc.sql(SELECT).param(id).query((rs, n) -> {
			ObjectNode contact = shape.json(ExportedContact.map(rs, n));
			ArrayNode segmentIds = contact.putArray("segment_ids");
			Array array = rs.getArray(rs.getMetaData().getColumnCount());
			try {
				Arrays.stream((String[]) array.getArray()).forEach(segmentIds::add);
			}
			finally {
				array.free();
			}
			return contact;
		}).optional();
	}

}
