package io.segmat.contacts;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated contact row ready to be written, in storage form: email lower-case, custom
 * fields keyed by field id (Text a String, Number a Long or a BigDecimal, Date epoch
 * seconds as a Long), email domains derived, list ids as uuids. It holds only what the
 * row gave: a field it left out keeps its stored value, while a field given empty or null
 * clears it.
 * <p>
 * Typed rather than a JSON tree because every row of an import passes through here: the
 * writer streams these fields straight into COPY.
 */
final class ContactRow {

	/**
	 * Bit of {@link #given()} that says the row gave alternate_emails; bits 0 to 15 are
	 * the text columns.
	 */
	static final int ALTERNATE_EMAILS = ContactLimits.TEXT_COLUMNS.size();

	private final long line;

	private final String email;

	private final String[] text = new String[ContactLimits.TEXT_COLUMNS.size()];

	private int given;

	private List<String> alternateEmails;

	private List<String> emailDomains;

	private Map<String, Object> customFields;

	private Set<String> listIds;

	private ContactStage.Line staged;

	ContactRow(long line, String email) {
		this.line = line;
		this.email = email;
		this.emailDomains = List.of(domain(email));
	}

	long line() {
		return this.line;
	}

	String email() {
		return this.email;
	}

	/**
	 * Which fields the row gave: bit i for text column i, and {@link #ALTERNATE_EMAILS}.
	 */
	int given() {
		return this.given;
	}

	/**
	 * Text column {@code column} (an index into {@link ContactLimits#TEXT_COLUMNS}), null
	 * when not given or cleared.
	 */
	String text(int column) {
		return this.text[column];
	}

	/** Null when not given or cleared, else at least one email. */
	List<String> alternateEmails() {
		return this.alternateEmails;
	}

	/** The domains of the email and of the alternate emails, in that order. */
	List<String> emailDomains() {
		return this.emailDomains;
	}

	/**
	 * Field id → value, null for a value to clear; null when the row gave no custom
	 * fields.
	 */
	Map<String, Object> customFields() {
		return this.customFields;
	}

	/** Null when the row names no list. */
	Set<String> listIds() {
		return this.listIds;
	}

	/** The row as {@link ContactStage} copies it, once encoded; null before. */
	ContactStage.Line staged() {
		return this.staged;
	}

	void staged(ContactStage.Line line) {
		this.staged = line;
	}

	void text(int column, String value) {
		this.text[column] = value;
		this.given |= 1 << column;
	}

	/** {@code emails} empty or null clears them. */
	void alternateEmails(List<String> emails) {
		Set<String> domains = new LinkedHashSet<>();
		domains.add(domain(this.email));
		if (emails != null) {
			emails.forEach((email) -> domains.add(domain(email)));
		}
		this.alternateEmails = (emails == null || emails.isEmpty()) ? null : List.copyOf(emails);
		this.emailDomains = List.copyOf(domains);
		this.given |= 1 << ALTERNATE_EMAILS;
	}

	void customField(String id, Object value) {
		if (this.customFields == null) {
			this.customFields = new LinkedHashMap<>();
		}
		this.customFields.put(id, value);
	}

	/** The row gave a custom_fields object, even an empty one. */
	void givesCustomFields() {
		if (this.customFields == null) {
			this.customFields = new LinkedHashMap<>();
		}
	}

	void listId(String id) {
		if (this.listIds == null) {
			this.listIds = new LinkedHashSet<>();
		}
		this.listIds.add(id);
	}

	/**
	 * This row followed by {@code later} (same email) as one row, later values winning
	 * field by field, as if the two had been imported one after the other. Neither row
	 * changes.
	 */
	ContactRow then(ContactRow later) {
		// In the place of the first: where the merged row is inserted.
		ContactRow merged = new ContactRow(this.line, this.email);
		System.arraycopy(this.text, 0, merged.text, 0, this.text.length);
		for (int column = 0; column < this.text.length; column++) {
			if ((later.given & (1 << column)) != 0) {
				merged.text[column] = later.text[column];
			}
		}
		merged.given = this.given | later.given;
		ContactRow alternates = ((later.given & (1 << ALTERNATE_EMAILS)) != 0) ? later : this;
		merged.alternateEmails = alternates.alternateEmails;
		merged.emailDomains = alternates.emailDomains;
		if (this.customFields != null || later.customFields != null) {
			merged.customFields = new LinkedHashMap<>();
			if (this.customFields != null) {
				merged.customFields.putAll(this.customFields);
			}
			if (later.customFields != null) {
				merged.customFields.putAll(later.customFields);
			}
		}
		if (this.listIds != null || later.listIds != null) {
			merged.listIds = new LinkedHashSet<>();
			if (this.listIds != null) {
				merged.listIds.addAll(this.listIds);
			}
			if (later.listIds != null) {
				merged.listIds.addAll(later.listIds);
			}
		}
		return merged;
	}

	static String domain(String email) {
		return email.substring(email.lastIndexOf('@') + 1);
	}

}
