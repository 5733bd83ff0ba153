package io.segmat.contacts;

/**
 * A contact row checked by {@link ContactValidator}: in storage form, or rejected with
 * the field at fault (null: the row as a whole) and its reason.
 */
record CheckedRow(long line, ContactRow row, String field, String error) {

	static CheckedRow valid(ContactRow row) {
		return new CheckedRow(row.line(), row, null, null);
	}

	static CheckedRow rejected(long line, String field, String error) {
		return new CheckedRow(line, null, field, error);
	}

}
