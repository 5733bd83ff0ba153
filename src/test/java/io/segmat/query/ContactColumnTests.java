package io.segmat.query;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The one description of a contact's columns agrees with the migrated table. */
class ContactColumnTests {

	/**
	 * Columns of {@code contact} that only segmat reads: no field of the language or API.
	 */
	private static final Set<String> INTERNAL = Set.of("contact_key", "custom_fields", "change_seq", "import_hash");

	private final Map<String, String> table = contactTable();

	@Test
	void everyDescribedColumnExistsWithItsType() {
		for (ContactColumn column : ContactColumn.values()) {
			column.tableColumn()
				.ifPresent((name) -> assertThat(this.table).as(column.fieldName())
					.containsEntry(name, expectedType(column.kind())));
		}
	}

	@Test
	void everyColumnOfTheTableIsDescribedOrInternal() {
		Set<String> described = Arrays.stream(ContactColumn.values())
			.flatMap((column) -> column.tableColumn().stream())
			.collect(Collectors.toSet());
		assertThat(this.table.keySet()).allMatch((name) -> described.contains(name) || INTERNAL.contains(name));
	}

	@Test
	void writableTextExcludesTheEmailKeyAndKeepsTheTableOrder() {
		assertThat(ContactColumn.writableText()).doesNotContain(ContactColumn.EMAIL)
			.startsWith(ContactColumn.PHONE_NUMBER_ID, ContactColumn.EXTERNAL_ID)
			.endsWith(ContactColumn.UNIQUE_NAME)
			.allMatch((column) -> column.maxLength() > 0);
	}

	@Test
	void fieldNamesResolveCaseInsensitively() {
		assertThat(ContactColumn.byFieldName("First_Name")).contains(ContactColumn.FIRST_NAME);
		assertThat(ContactColumn.byFieldName("id")).isEmpty();
	}

	private static String expectedType(ContactColumn.Kind kind) {
		return switch (kind) {
			case ID -> "uuid";
			case TEXT -> "text";
			case TEXT_LIST, DERIVED_LIST -> "_text";
			case TIMESTAMP -> "timestamptz";
		};
	}

	private static Map<String, String> contactTable() {
		return JdbcClient.create(TestDatabase.create().dataSource())
			.sql("""
					SELECT column_name, udt_name FROM information_schema.columns
					WHERE table_schema = current_schema() AND table_name = 'contact'
					""")
			.query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2)))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

}
