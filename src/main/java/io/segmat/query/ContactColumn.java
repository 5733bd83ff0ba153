package io.segmat.query;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The reserved columns of a contact, in the order of the {@code contact} table: the one
 * description that the compiler's {@code contact_data}, the import's length limits and
 * the reserved field listing are derived from. {@code ContactColumnTests} checks it
 * against the migrated table, so a migration that adds a column fails a test until it is
 * described here.
 */
public enum ContactColumn {

	CONTACT_ID("contact_id", "id", Kind.ID, 0),

	EMAIL("email", "email", Kind.TEXT, ContactColumn.EMAIL_MAX_LENGTH),

	PHONE_NUMBER_ID("phone_number_id", Kind.TEXT, ContactColumn.DEFAULT_MAX_LENGTH),

	EXTERNAL_ID("external_id", Kind.TEXT, 254),

	ANONYMOUS_ID("anonymous_id", Kind.TEXT, 254),

	FIRST_NAME("first_name", Kind.TEXT, 50),

	LAST_NAME("last_name", Kind.TEXT, 50),

	ALTERNATE_EMAILS("alternate_emails", Kind.TEXT_LIST, ContactColumn.EMAIL_MAX_LENGTH),

	ADDRESS_LINE_1("address_line_1", Kind.TEXT, 100),

	ADDRESS_LINE_2("address_line_2", Kind.TEXT, 100),

	CITY("city", Kind.TEXT, 60),

	STATE_PROVINCE_REGION("state_province_region", Kind.TEXT, 50),

	POSTAL_CODE("postal_code", Kind.TEXT, ContactColumn.DEFAULT_MAX_LENGTH),

	COUNTRY("country", Kind.TEXT, 50),

	PHONE_NUMBER("phone_number", Kind.TEXT, ContactColumn.DEFAULT_MAX_LENGTH),

	WHATSAPP("whatsapp", Kind.TEXT, ContactColumn.DEFAULT_MAX_LENGTH),

	LINE("line", Kind.TEXT, ContactColumn.DEFAULT_MAX_LENGTH),

	FACEBOOK("facebook", Kind.TEXT, ContactColumn.DEFAULT_MAX_LENGTH),

	UNIQUE_NAME("unique_name", Kind.TEXT, ContactColumn.DEFAULT_MAX_LENGTH),

	/** Not a column of {@code contact}: the lists come from {@code list_member}. */
	LIST_IDS("list_ids", null, Kind.DERIVED_LIST, 0),

	EMAIL_DOMAINS("email_domains", "email_domains", Kind.DERIVED_LIST, 0),

	CREATED_AT("created_at", "created_at", Kind.TIMESTAMP, 0),

	UPDATED_AT("updated_at", "updated_at", Kind.TIMESTAMP, 0);

	/**
	 * Where SendGrid's ContactRequest gives no maxLength, a text value (a custom Text
	 * field's included) may hold this many characters.
	 */
	public static final int DEFAULT_MAX_LENGTH = 1000;

	public static final int EMAIL_MAX_LENGTH = 254;

	/** SendGrid's limit on {@code alternate_emails}. */
	public static final int MAX_ALTERNATE_EMAILS = 5;

	// after the constants, which a static initializer of an enum always follows
	private static final List<ContactColumn> WRITABLE_TEXT = Arrays.stream(values())
		.filter((column) -> column.kind == Kind.TEXT && column != EMAIL)
		.toList();

	/** How a column is stored and who writes it. */
	public enum Kind {

		/** The contact's public id, a uuid; segmat assigns it. */
		ID,
		/** Text the user writes. */
		TEXT,
		/** A list of text values the user writes. */
		TEXT_LIST,
		/** A list segmat derives from other data. */
		DERIVED_LIST,
		/** A time segmat keeps. */
		TIMESTAMP

	}

	private final String fieldName;

	private final String tableColumn;

	private final Kind kind;

	private final int maxLength;

	ContactColumn(String name, Kind kind, int maxLength) {
		this(name, name, kind, maxLength);
	}

	ContactColumn(String fieldName, String tableColumn, Kind kind, int maxLength) {
		this.fieldName = fieldName;
		this.tableColumn = tableColumn;
		this.kind = kind;
		this.maxLength = maxLength;
	}

	/** The name a query, an import file and the API use. */
	public String fieldName() {
		return this.fieldName;
	}

	/** Its column in the {@code contact} table; empty where it is derived by a join. */
	public Optional<String> tableColumn() {
		return Optional.ofNullable(this.tableColumn);
	}

	public Kind kind() {
		return this.kind;
	}

	/**
	 * The most characters a value (or, for a list, each entry) may have; 0 where the user
	 * writes none.
	 */
	public int maxLength() {
		return this.maxLength;
	}

	/** Whether an import or the API may set it. */
	public boolean writable() {
		return this.kind == Kind.TEXT || this.kind == Kind.TEXT_LIST;
	}

	/** The type SendGrid's field definitions show for it: Text, Set or Date. */
	public String sendGridType() {
		return switch (this.kind) {
			case ID, TEXT, TEXT_LIST -> "Text";
			case DERIVED_LIST -> "Set";
			case TIMESTAMP -> "Date";
		};
	}

	/** The column with this field name, compared case-insensitively. */
	public static Optional<ContactColumn> byFieldName(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		return Arrays.stream(values()).filter((column) -> column.fieldName.equals(lower)).findFirst();
	}

	/**
	 * The plain text columns a user writes, other than {@code email}, which is the key of
	 * an import and checked as an address.
	 */
	public static List<ContactColumn> writableText() {
		return WRITABLE_TEXT;
	}

}
