package io.segmat.fields;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.segmat.InvalidInputException;
import io.segmat.NotFoundException;
import io.segmat.query.FieldId;
import io.segmat.query.FieldType;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Custom field definitions, with SendGrid's rules for their names and types. */
@Service
public class CustomFieldDefinitions {

	private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	private static final int MAX_NAME_LENGTH = 100;

	private final JdbcClient jdbc;

	private final Clock clock;

	CustomFieldDefinitions(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Transactional
	public CustomField create(String name, String fieldType) {
		validateName(name);
		FieldType type = FieldType.parse(fieldType)
			.orElseThrow(() -> new InvalidInputException("field_type",
					"field_type must be Text, Number or Date, not '" + fieldType + "'"));
		// Serialize creators so the case-insensitive uniqueness check and the insert
		// agree.
		this.jdbc.sql("LOCK TABLE custom_field IN SHARE ROW EXCLUSIVE MODE").update();
		boolean taken = this.jdbc.sql("SELECT count(*) > 0 FROM custom_field WHERE lower(name) = lower(?)")
			.param(name)
			.query(Boolean.class)
			.single();
		if (taken) {
			throw new InvalidInputException("name", "a custom field named '" + name + "' already exists");
		}
		long number = this.jdbc.sql("SELECT nextval('custom_field_number_seq')").query(Long.class).single();
		FieldId id = FieldId.of(number, type);
		this.jdbc.sql("INSERT INTO custom_field (id, name, field_type, created_at) VALUES (?, ?, ?, ?)")
			.params(id.toString(), name, type.sendGridName(), java.sql.Timestamp.from(this.clock.instant()))
			.update();
		if (type == FieldType.DATE) {
			// A segment comparing the field with a moving time bound looks up the
			// contacts the bound swept past by this index. The id is ours, e<number>_D,
			// so it is safe as an identifier.
			this.jdbc
				.sql("CREATE INDEX \"" + dateIndex(id) + "\" ON contact ((to_timestamp((custom_fields->>'" + id
						+ "')::double precision)))")
				.update();
		}
		return new CustomField(id, name);
	}

	public List<CustomField> list() {
		// Fields created at one instant keep their creation order by number
		// (e<number>_<type>):
		// by the id's text, e10_T would come before e9_N.
		return this.jdbc.sql("""
				SELECT id, name, field_type FROM custom_field
				ORDER BY created_at, split_part(substr(id, 2), '_', 1)::bigint
				""")
			.query((rs, n) -> new CustomField(FieldId.parse(rs.getString(1)).orElseThrow(), rs.getString(2)))
			.list();
	}

	@Transactional
	public void delete(String id) {
		int deleted = this.jdbc.sql("DELETE FROM custom_field WHERE id = ?").param(id).update();
		if (deleted == 0) {
			throw new NotFoundException("custom field " + id + " does not exist");
		}
		Optional<FieldId> deletedId = FieldId.parse(id);
		if (deletedId.isPresent() && deletedId.get().type() == FieldType.DATE) {
			this.jdbc.sql("DROP INDEX IF EXISTS \"" + dateIndex(deletedId.get()) + "\"").update();
		}
	}

	private static String dateIndex(FieldId id) {
		return "contact_date_" + id;
	}

	private static void validateName(String name) {
		if (name == null || name.isEmpty()) {
			throw new InvalidInputException("name", "name is required");
		}
		if (name.length() > MAX_NAME_LENGTH) {
			throw new InvalidInputException("name", "name must be at most " + MAX_NAME_LENGTH + " characters");
		}
		if (!NAME.matcher(name).matches()) {
			throw new InvalidInputException("name", "name '" + name
					+ "' may contain only letters, digits and underscores, and must start with a letter or underscore");
		}
		if (FieldId.hasIdForm(name)) {
			// custom_fields in an import are keyed by id or by name: a name that reads as
			// another field's id would write to that field
			throw new InvalidInputException("name",
					"'" + name + "' has the form of a custom field id (e<number>_<T|N|D>); choose another name");
		}
		if (ReservedField.isReserved(name)) {
			throw new InvalidInputException("name", "'" + name + "' is a reserved field name");
		}
	}

}
