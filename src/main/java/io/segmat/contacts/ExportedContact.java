package io.segmat.contacts;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import io.segmat.query.ContactColumn;

/**
 * One contact as an export file and the API's contact object show it: its reserved
 * fields, its lists, its custom field values as stored (keyed by field id, a JSON text)
 * and its times. Read by {@link #SELECT_LIST} from {@code contact c}.
 *
 * @param text the values of {@link ContactColumn#writableText()}, in that order
 */
record ExportedContact(String id, String email, List<String> text, List<String> alternateEmails, List<String> listIds,
		String customFields, Instant createdAt, Instant updatedAt) {

	/**
	 * Derived from {@link ContactColumn}, so a column added there is exported too. The
	 * lists come by the list_member_contact index, one probe a contact.
	 */
	static final String SELECT_LIST = "c.id::text, c.email, "
			+ ContactColumn.writableText()
				.stream()
				.map((column) -> "c." + column.tableColumn().orElseThrow())
				.collect(Collectors.joining(", "))
			+ ", c.alternate_emails, ARRAY(SELECT lm.list_id::text FROM list_member lm"
			+ " WHERE lm.contact_key = c.contact_key ORDER BY lm.list_id) AS list_ids,"
			+ " c.custom_fields::text, c.created_at, c.updated_at";

	static ExportedContact map(ResultSet rs, int rowNumber) throws SQLException {
		int column = 1;
		String id = rs.getString(column++);
		String email = rs.getString(column++);
		List<String> text = new ArrayList<>(ContactColumn.writableText().size());
		for (int i = 0; i < ContactColumn.writableText().size(); i++) {
			text.add(rs.getString(column++));
		}
		List<String> alternateEmails = strings(rs.getArray(column++));
		List<String> listIds = strings(rs.getArray(column++));
		String customFields = rs.getString(column++);
		Instant createdAt = rs.getTimestamp(column++).toInstant();
		Instant updatedAt = rs.getTimestamp(column).toInstant();
		return new ExportedContact(id, email, text, alternateEmails, listIds, customFields, createdAt, updatedAt);
	}

	private static List<String> strings(Array array) throws SQLException {
		if (array == null) {
			return List.of();
		}
		try {
			return Arrays.asList((String[]) array.getArray());
		}
		finally {
			array.free();
		}
	}

}
